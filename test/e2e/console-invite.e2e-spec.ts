import { URI, type TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../factories/orgs';
import { expectAccessible } from '../harness/a11y';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { CONSOLE_PASSWORD } from '../harness/console';
import { startTestHub, type TestHub } from '../harness/hub';

// The invite page and second-factor enrolment in Debian's Chromium against an in-process hub on real PostgreSQL
// and Redis: an invited admin sets a password, signs in to an enrolment-only session, enrols TOTP from the shown
// otpauth URI, sees the recovery codes, reaches the feed, and signs in again with a code.

let hub: TestHub;
let browser: TestBrowser;

beforeAll(async () => {
  hub = await startTestHub();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('an invited admin in the console', () => {
  it('sets a password from the invite link, enrols a second factor, and signs in again with a code', async () => {
    const org = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const email = `admin.${Date.now()}@cert.example`;
    const invited = await hub.http('POST', `/api/v1/orgs/${org.id}/users`, org.keys.admin, { email, role: 'admin' });
    expect(invited.status).toBe(201);

    const page = await browser.context.newPage();
    await page.goto(invited.body.inviteUrl as string);
    await page.getByRole('heading', { name: 'Accept your invite', level: 1 }).waitFor();
    // The token leaves the address bar once read.
    expect(new URL(page.url()).pathname).toBe('/console/invite');
    expect(new URL(page.url()).hash).toBe('');
    await expectAccessible(page);

    // A common password: the API's field error is shown beside the field, and the invite stays usable.
    const password = page.getByLabel(/^New password/);
    await password.fill('qwerty123456');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Password: / })
      .waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await password.fill(CONSOLE_PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is set' }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();

    // First sign-in: the role requires a second factor the user lacks, so the session may only enrol.
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(CONSOLE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Set up your second factor', level: 1 }).waitFor();
    const uri = await page.getByText(/^otpauth:\/\/totp\//).textContent();
    const totp = URI.parse(uri ?? '') as TOTP;
    await expectAccessible(page);
    // The enrolment-only session is refused everything else by the API.
    const refused = await page.evaluate(async () => (await fetch('/api/v1/alerts')).status);
    expect(refused).toBe(403);

    await page.getByLabel('Code from your authenticator app').fill(totp.generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Continue to the console' }).click();
    await page.getByText(`Signed in as ${email} (admin)`).waitFor();
    await page.getByRole('link', { name: 'Administration' }).waitFor();

    // Signed out, then in again: now the hub asks for a code (the next time step: one is never accepted twice).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(CONSOLE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${email} (admin)`).waitFor();
    await page.close();
  });
});
