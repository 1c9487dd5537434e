import { URI, type TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { expectAccessible } from '../harness/a11y';
import { screenshot } from '../harness/screenshots';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { enrolUser, signInAs, type ConsoleUser } from '../harness/console';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';

// The console's administration pages (apps/console/src/admin-*.tsx) in Debian's Chromium against an in-process hub
// on real PostgreSQL and Redis. Each user signs in once (a TOTP step is accepted once). Waits are on selectors.

let hub: TestHub;
let browser: TestBrowser;
let member: SeededOrg;
let hubAdmin: ConsoleUser;
let memberAdmin: ConsoleUser;

beforeAll(async () => {
  hub = await startTestHub();
  member = await seedOrg(hub, { trustLevel: 2, country: 'LU' });
  const orgs = await hub.http('GET', '/api/v1/orgs?limit=1000', hub.adminKey);
  const hubOrg = (orgs.body.items as { id: string; isHub: boolean }[]).find((o) => o.isHub)!;
  // A person of the hub's own organisation with the admin role: a hub admin, the one who may change trust.
  hubAdmin = await enrolUser(hub, { ...member, id: hubOrg.id, keys: { ...member.keys, admin: hub.adminKey } }, 'admin');
  memberAdmin = await enrolUser(hub, member, 'admin');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

/** Signs a user in on a fresh page (the browser's context is shared: the previous user's cookie is dropped). */
async function newPageAs(user: ConsoleUser): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await signInAs(hub, page, user);
  return page;
}

async function openAdmin(user: ConsoleUser): Promise<Page> {
  const page = await newPageAs(user);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { level: 1, name: /^Administration of / }).waitFor();
  return page;
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

describe('the console’s administration', () => {
  it('lets a hub admin change a member’s trust level with a reason, and shows it in the audit trail', async () => {
    const page = await openAdmin(hubAdmin);
    expect(page.url()).toBe(`${hub.url}/console/admin`);
    await page.getByRole('tab', { name: 'Organisations', selected: true }).waitFor();
    const orgs = page.getByRole('table', { name: 'Organisations you may see' });
    await orgs.getByRole('cell', { name: member.name, exact: true }).waitFor();
    await expectAccessible(page);

    await orgs.getByRole('button', { name: `Show ${member.name}` }).click();
    await page.getByRole('heading', { name: `Trust level of ${member.name}` }).waitFor();
    await page.getByLabel('New trust level').selectOption('3');

    // Without a reason: refused with a visible message, and nothing changes.
    await page.getByRole('button', { name: 'Change trust level' }).click();
    await page.getByRole('alert').filter({ hasText: 'A reason is required' }).waitFor();
    expect(await page.getByLabel('Reason (required)').getAttribute('aria-invalid')).toBe('true');
    expect((await hub.http('GET', `/api/v1/orgs/${member.id}`, hub.adminKey)).body.trustLevel).toBe(2);

    const reason = `vetted at the annual meeting ${Date.now()}`;
    await page.getByLabel('Reason (required)').fill(reason);
    await page.getByRole('button', { name: 'Change trust level' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${member.name} is now trust 3 trusted.` })
      .waitFor();
    await orgs
      .getByRole('row')
      .filter({ hasText: member.name })
      .getByRole('cell', { name: '3 trusted', exact: true })
      .waitFor();

    // The audit trail beside it shows the change, newest first.
    const audit = page.getByRole('table', { name: `Audit trail of ${member.name}, newest first` });
    await audit.getByRole('cell', { name: reason, exact: true }).waitFor();
    const newest = await audit.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(newest.slice(1, 5)).toEqual(['org.trust-changed', 'trustLevel: 2', 'trustLevel: 3', reason]);
    await expectAccessible(page);
    // The reason and the audit trail in view.
    await page.getByLabel('New trust level').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'admin');

    // The API says the same: the new level, and the entry naming the user who acted.
    expect((await hub.http('GET', `/api/v1/orgs/${member.id}`, hub.adminKey)).body.trustLevel).toBe(3);
    const trail = await hub.http('GET', `/api/v1/orgs/${member.id}/audit`, hub.adminKey);
    expect(trail.body.items[0]).toMatchObject({
      action: 'org.trust-changed',
      oldValue: { trustLevel: 2 },
      newValue: { trustLevel: 3 },
      reason,
      actorKeyId: null,
    });
    expect(trail.body.items[0].actorUserId).toMatch(/^[0-9a-f-]{36}$/);
    await page.close();
  });

  it('lets a member admin create a key shown once that works, revoke it, and invite a user', async () => {
    const page = await openAdmin(memberAdmin);
    // A member admin sees its own organisation, and no trust form: only the hub's admins change trust.
    const orgs = page.getByRole('table', { name: 'Organisations you may see' });
    await orgs.getByRole('cell', { name: member.name, exact: true }).waitFor();
    expect(await orgs.getByRole('row').count()).toBe(2);
    await page.getByText('Only the hub’s admins change trust levels.').waitFor();
    expect(await page.getByRole('button', { name: 'Change trust level' }).count()).toBe(0);

    await openTab(page, 'Keys');
    expect(page.url()).toBe(`${hub.url}/console/admin/keys`);
    const keys = page.getByRole('table', { name: `API keys of ${member.name}` });
    await keys.getByRole('cell', { name: 'admin', exact: true }).first().waitFor();
    await expectAccessible(page);

    const label = `SOC ${Date.now()}`;
    await page.getByLabel('Role of the key').selectOption('operator');
    await page.getByLabel('Label (optional)').fill(label);
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByLabel('New operator key');
    await shown.waitFor();
    const secret = await shown.inputValue();
    expect(secret).toMatch(/^tcs_/);
    await page.getByText('it is shown this once and never again').waitFor();
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    await keys.getByRole('cell', { name: label, exact: true }).waitFor();
    await expectAccessible(page);

    // The new key works against the API.
    const asKey = await hub.http('GET', `/api/v1/orgs/${member.id}`, secret);
    expect(asKey.status).toBe(200);
    expect(asKey.body.id).toBe(member.id);

    // Once dismissed, it is nowhere on the page.
    await page.getByRole('button', { name: 'Done' }).click();
    await eventually(async () => expect(await page.getByLabel('New operator key').count()).toBe(0));
    expect(await page.content()).not.toContain(secret);

    // Revoked: the row says so, and the key stops working.
    const row = keys.getByRole('row').filter({ hasText: label });
    // Revoking asks first: Cancel leaves the key as it is; the dialog's own button revokes it.
    await row.getByRole('button', { name: `Revoke ${label}` }).click();
    const ask = page.getByRole('alertdialog', { name: `Revoke the operator key ${label}?` });
    await ask.waitFor();
    await expectAccessible(page);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    expect((await hub.http('GET', `/api/v1/orgs/${member.id}`, secret)).status).toBe(200);
    await row.getByRole('button', { name: `Revoke ${label}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await eventually(async () => expect(await row.getByRole('button').count()).toBe(0));
    expect((await row.getByRole('cell').nth(3).textContent())?.trim()).not.toBe('—');
    expect((await hub.http('GET', `/api/v1/orgs/${member.id}`, secret)).status).toBe(401);

    // Users: invite a vetter; the link is shown once and works.
    await openTab(page, 'Users');
    const users = page.getByRole('table', { name: `Users of ${member.name}` });
    await users.getByRole('cell', { name: memberAdmin.email, exact: true }).waitFor();
    await expectAccessible(page);
    const email = `new.vetter.${Date.now()}@cert.example`;
    await page.getByLabel('E-mail of the new user').fill(email);
    await page.getByLabel('Role of the new user').selectOption('vetter');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const link = await page.getByLabel(`Invite link for ${email}`).inputValue();
    expect(link).toMatch(new RegExp(`^${hub.url}/invite#[A-Za-z0-9_-]+$`));
    const invitedRow = users.getByRole('row').filter({ hasText: email });
    await invitedRow.getByRole('cell', { name: 'invited', exact: true }).waitFor();
    await expectAccessible(page);
    const listed = await hub.http('GET', `/api/v1/orgs/${member.id}/users`, member.keys.admin);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ email, role: 'vetter', status: 'invited' }));
    const token = link.split('#')[1]!;
    expect(
      (await hub.http('POST', `/api/v1/invites/${token}`, null, { password: 'violet glacier tomato 43' })).status,
    ).toBe(200);

    // A role change and a disable, through the row's own controls.
    await invitedRow.getByLabel(`Role of ${email}`).selectOption('reader');
    await invitedRow.getByRole('button', { name: `Change role of ${email}` }).click();
    await invitedRow.getByRole('status').filter({ hasText: 'Role changed to reader.' }).waitFor();
    await invitedRow.getByRole('button', { name: `Disable ${email}` }).click();
    await page
      .getByRole('alertdialog', { name: `Disable ${email}?` })
      .getByRole('button', { name: 'Disable user' })
      .click();
    await invitedRow.getByRole('cell', { name: 'disabled', exact: true }).waitFor();
    const after = await hub.http('GET', `/api/v1/orgs/${member.id}/users`, member.keys.admin);
    expect(after.body.items).toContainEqual(expect.objectContaining({ email, role: 'reader', status: 'disabled' }));

    // Enabled again; a new invite link (a password reset) is shown once and works; a lost factor is removed.
    await invitedRow.getByRole('button', { name: `Enable ${email}` }).click();
    await invitedRow.getByRole('cell', { name: 'active', exact: true }).waitFor();
    await invitedRow.getByRole('button', { name: `New invite link for ${email}` }).click();
    await invitedRow.getByRole('status').filter({ hasText: 'A new invite link is shown above' }).waitFor();
    const reset = await page.getByLabel(`Invite link for ${email}`).inputValue();
    expect(reset).not.toBe(link);
    const password = 'violet glacier tomato 44';
    const resetToken = reset.split('#')[1]!;
    expect((await hub.http('POST', `/api/v1/invites/${resetToken}`, null, { password })).status).toBe(200);
    const session = await hub.http('POST', '/api/v1/session', null, { email, password });
    const headers = {
      cookie: (session.headers.get('set-cookie') ?? '').split(';')[0]!,
      origin: hub.url,
      'x-csrf-token': session.body.csrfToken as string,
    };
    const offer = await hub.http('POST', '/api/v1/session/totp', null, undefined, headers);
    const totp = URI.parse(offer.body.otpauthUri as string) as TOTP;
    expect(
      (await hub.http('POST', '/api/v1/session/totp/confirm', null, { code: totp.generate() }, headers)).status,
    ).toBe(200);
    await page.reload();
    await openTab(page, 'Users');
    const enrolledRow = users.getByRole('row').filter({ hasText: email });
    await enrolledRow.getByRole('cell', { name: 'yes', exact: true }).waitFor();
    await enrolledRow.getByRole('button', { name: `Remove second factor of ${email}` }).click();
    await enrolledRow.getByRole('status').filter({ hasText: 'Second factor removed' }).waitFor();
    await enrolledRow.getByRole('cell', { name: 'no', exact: true }).waitFor();
    expect(await enrolledRow.getByRole('button', { name: `Remove second factor of ${email}` }).isDisabled()).toBe(true);
    await expectAccessible(page);
    const removed = await hub.http('GET', `/api/v1/orgs/${member.id}/users`, member.keys.admin);
    expect(removed.body.items).toContainEqual(
      expect.objectContaining({ email, status: 'active', secondFactor: false }),
    );
    await page.close();
  });

  it('manages subscriptions and the constituency, showing why an entry is wrong as it is typed', async () => {
    const admin = await enrolUser(hub, member, 'admin');
    const page = await openAdmin(admin);

    await openTab(page, 'Subscriptions');
    const subs = page.getByRole('table', { name: `Subscriptions of ${member.name}` });
    await subs.waitFor();
    await expectAccessible(page);
    // The API's field error is shown next to its field.
    await page.getByLabel('Name', { exact: true }).fill('FI/EE high');
    await page.getByLabel('Minimum severity').selectOption('high');
    await page.getByLabel('Classifications').fill('not-a-class');
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.locator('#sub-classifications-error').filter({ hasText: 'entry 1:' }).waitFor();
    expect(await page.getByLabel('Classifications').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Classifications').fill('');
    await page.getByLabel('Targeted countries').fill('FI, EE');
    await page.getByRole('button', { name: 'Create subscription' }).click();
    const row = subs.getByRole('row').filter({ hasText: 'FI/EE high' });
    await row.waitFor();
    const shownFilters = (await row.getByRole('cell').nth(1).textContent()) ?? '';
    expect(shownFilters).toContain('minSeverity: high');
    expect(shownFilters).toContain('countries: FI, EE');
    const listed = await hub.http('GET', '/api/v1/subscriptions', member.keys.reader);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ name: 'FI/EE high', filters: { minSeverity: 'high', countries: ['FI', 'EE'] } }),
    );
    await row.getByRole('button', { name: 'Delete FI/EE high' }).click();
    await eventually(async () => expect(await row.count()).toBe(0));
    expect((await hub.http('GET', '/api/v1/subscriptions', member.keys.reader)).body.items).toEqual([]);

    // The tabs work from the keyboard: the arrow key moves to the next one, and its URL follows.
    await page.getByRole('tab', { name: 'Subscriptions', selected: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Constituency', selected: true }).waitFor();
    await page.waitForURL(`${hub.url}/console/admin/constituency`);
    const cidrs = page.getByLabel('CIDR ranges');
    await cidrs.waitFor();
    await expectAccessible(page);
    // Checked as it is typed, before any saving.
    await cidrs.fill('203.0.113.77/24\n10.0.0.0/33');
    await page.getByText('10.0.0.0/33: the prefix length must be a number from 0 to 32').waitFor();
    await page.getByLabel('AS numbers').fill('AS64500\nASX');
    await page.getByText('ASX: an AS number is digits').waitFor();
    await page.getByLabel('Domains').fill('Example.LU.\nexa mple.lu');
    await page.getByText('"exa mple" is not a domain label').waitFor();
    await page.getByLabel('Countries', { exact: true }).fill('LUX');
    await page.getByText('LUX: a country is two letters').waitFor();
    expect(await cidrs.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save constituency' }).click();
    await page.getByRole('alert').filter({ hasText: 'Fix the 4 marked entries first.' }).waitFor();
    expect((await hub.http('GET', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin)).body.version).toBe(0);

    await cidrs.fill('203.0.113.77/24\n2001:db8:ab::/48');
    await page.getByLabel('AS numbers').fill('AS64500');
    await page.getByLabel('Domains').fill('Example.LU.');
    await page.getByLabel('Countries', { exact: true }).fill('lu');
    expect(await cidrs.getAttribute('aria-invalid')).toBe('false');
    await page.getByRole('button', { name: 'Save constituency' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: version 1.' }).waitFor();
    // The API's normalized form comes back into the fields.
    expect(await cidrs.inputValue()).toBe('203.0.113.0/24\n2001:db8:ab::/48');
    const c = await hub.http('GET', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin);
    expect(c.body).toMatchObject({
      countries: ['LU'],
      asns: ['AS64500'],
      cidrs: ['203.0.113.0/24', '2001:db8:ab::/48'],
      domains: ['example.lu'],
      version: 1,
    });
    await page.close();
  });

  it('shows a reader no administration, and the API refuses it the same calls', async () => {
    const reader = await enrolUser(hub, member, 'reader');
    const page = await newPageAs(reader);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Search' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Administration' }).count()).toBe(0);

    await page.goto(`${hub.url}/console/admin/keys`);
    await page.getByText('Administration is for an organisation’s admins: your role (reader) has none.').waitFor();
    expect(await page.getByRole('tab').count()).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
    await expectAccessible(page);

    // The same calls with the reader's own session: refused by the API (403: the role lacks the right).
    const trustBefore = (await hub.http('GET', `/api/v1/orgs/${member.id}`, hub.adminKey)).body.trustLevel;
    const session = await page.request.get(`${hub.url}/api/v1/session`);
    const csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
    const headers = { 'x-csrf-token': csrf };
    const base = `${hub.url}/api/v1/orgs/${member.id}`;
    expect((await page.request.get(`${base}/users`)).status()).toBe(403);
    expect((await page.request.get(`${base}/keys`)).status()).toBe(403);
    expect((await page.request.get(`${base}/audit`)).status()).toBe(403);
    expect((await page.request.get(`${base}/constituency`)).status()).toBe(403);
    expect((await page.request.post(`${base}/keys`, { headers, data: { role: 'admin' } })).status()).toBe(403);
    expect(
      (await page.request.post(`${base}/users`, { headers, data: { email: 'x@y.example', role: 'admin' } })).status(),
    ).toBe(403);
    expect((await page.request.patch(base, { headers, data: { trustLevel: 4, reason: 'self' } })).status()).toBe(403);
    expect((await page.request.get(`${hub.url}/api/v1/audit`)).status()).toBe(403);
    // What it may read of its own organisation is its own organisation only.
    const orgs = (await (await page.request.get(`${hub.url}/api/v1/orgs`)).json()) as { items: { id: string }[] };
    expect(orgs.items.map((o) => o.id)).toEqual([member.id]);
    expect((await hub.http('GET', `/api/v1/orgs/${member.id}`, hub.adminKey)).body.trustLevel).toBe(trustBefore);
    await page.close();
  });
});
