import { URI, type TOTP } from 'otpauth';
import qrcode from 'qrcode-generator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { expectAccessible } from '../harness/a11y';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { CONSOLE_PASSWORD, enrolUser, signInAs } from '../harness/console';
import { startTestHub, type TestHub } from '../harness/hub';

// The console's account page: a user sets up its second factor, or replaces it (a new phone), in Debian's Chromium
// against an in-process hub. Waits are on selectors, never on time.

let hub: TestHub;
let org: SeededOrg;
let browser: TestBrowser;

beforeAll(async () => {
  hub = await startTestHub();
  org = await seedOrg(hub, { trustLevel: 3, country: 'IE' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

/**
 * The dark modules the page's QR code draws (its one path, a unit square per module, inside a 4-module quiet zone),
 * beside those of the QR code of `text` (error correction M, as the page asks): equal when the page encodes `text`.
 */
async function qrOnPage(page: Page, text: string): Promise<{ drawn: string[]; expected: string[] }> {
  const d = (await page.getByRole('img', { name: 'QR code of the new key' }).locator('path').getAttribute('d')) ?? '';
  const drawn = [...d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${Number(m[2]) - 4},${Number(m[1]) - 4}`);
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const expected: string[] = [];
  for (let r = 0; r < qr.getModuleCount(); r++) {
    for (let c = 0; c < qr.getModuleCount(); c++) {
      if (qr.isDark(r, c)) {
        expected.push(`${r},${c}`);
      }
    }
  }
  return { drawn, expected };
}

const signIn = (email: string, totp?: string) =>
  hub.http('POST', '/api/v1/session', null, { email, password: CONSOLE_PASSWORD, ...(totp ? { totp } : {}) });

describe('the account page', () => {
  it('replaces the second factor after proving the old one, shows new recovery codes once, and ends other sessions', async () => {
    const user = await enrolUser(hub, org, 'reader');
    // Another session of the user, elsewhere (a recovery code signs it in).
    const elsewhere = await signIn(user.email, user.recoveryCodes[1]);
    expect(elsewhere.status).toBe(201);
    const elsewhereCookie = (elsewhere.headers.get('set-cookie') ?? '').split(';')[0]!;

    const page = await browser.context.newPage();
    await signInAs(hub, page, user);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByText('An authenticator app is set up').waitFor();
    await expectAccessible(page);

    // A wrong code is refused with the hub's reason; nothing changes.
    await page.getByLabel('A current code of your app, or a recovery code').fill('000000');
    await page.getByRole('button', { name: 'Replace second factor' }).click();
    await page.getByRole('alert').filter({ hasText: 'is not a current code of your second factor' }).waitFor();

    // A recovery code proves the factor: a new key is offered; the old factor holds until it is confirmed.
    await page.getByLabel('A current code of your app, or a recovery code').fill(user.recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Replace second factor' }).click();
    const uri = await page.locator('.enrol-uri').textContent();
    const next = URI.parse(uri ?? '') as TOTP;
    // The same key as a QR code for the app to scan.
    const qr = await qrOnPage(page, uri ?? '');
    expect(qr.drawn.length).toBeGreaterThan(100);
    expect(qr.drawn.sort()).toEqual(qr.expected.sort());
    await expectAccessible(page);
    expect(next.secret.base32).not.toBe(user.totp.secret.base32);
    expect((await signIn(user.email, user.recoveryCodes[2])).status).toBe(201);

    await page.getByLabel('Code from the new key in your app').fill(next.generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Your second factor is replaced' }).waitFor();
    await expectAccessible(page);
    const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
    expect(codes).toHaveLength(10);

    // This page's session goes on; the other one is ended; the old factor and codes no longer sign in, the new do.
    expect(await page.evaluate(async () => (await fetch('/api/v1/session')).status)).toBe(200);
    const gone = await hub.http('GET', '/api/v1/session', null, undefined, { cookie: elsewhereCookie });
    expect(gone.status).toBe(401);
    expect((await signIn(user.email, user.recoveryCodes[3])).status).toBe(401);
    expect((await signIn(user.email, codes[0])).status).toBe(201);
    expect((await signIn(user.email, next.generate({ timestamp: Date.now() + 30_000 }))).status).toBe(201);
    // The browser's profile is shared by the tests of this file: sign out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').waitFor();
    await page.close();
  });

  it('lets a user without a second factor set one up', async () => {
    const email = `plain.${Date.now()}@cert.example`;
    const invited = await hub.http('POST', `/api/v1/orgs/${org.id}/users`, org.keys.admin, { email, role: 'reader' });
    const accepted = await hub.http('POST', `/api/v1/invites/${invited.body.inviteToken}`, null, {
      password: CONSOLE_PASSWORD,
    });
    expect(accepted.status).toBe(200);
    const page = await browser.context.newPage();
    await page.goto(`${hub.url}/`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(CONSOLE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${email} (reader)`).waitFor();

    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByText('No authenticator app is set up.').waitFor();
    await page.getByRole('button', { name: 'Set up a second factor' }).click();
    const totp = URI.parse((await page.locator('.enrol-uri').textContent()) ?? '') as TOTP;
    await page.getByLabel('Code from the new key in your app').fill(totp.generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Your second factor is set.' }).waitFor();
    // From now on a sign-in asks for a code.
    expect((await signIn(email)).body.type).toBe('urn:tocsin:problem:second-factor-required');
    await page.close();
  });
});
