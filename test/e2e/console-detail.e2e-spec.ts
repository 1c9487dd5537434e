import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { expectAccessible } from '../harness/a11y';
import { screenshot } from '../harness/screenshots';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { eventually } from '../harness/eventually';
import { enrolUser, publishAlert, signInAs, type ConsoleUser } from '../harness/console';
import { startTestHub, type TestHub } from '../harness/hub';

// The console's alert detail page in Debian's Chromium against an in-process hub on real PostgreSQL and Redis: the
// virtualised indicator table (sorted, filtered and paged by the hub), sightings, revoke and who sees what.

let hub: TestHub;
let sender: SeededOrg;
let receiver: SeededOrg;
let browser: TestBrowser;
let operator: ConsoleUser;
let senderReader: ConsoleUser;
let receiverReader: ConsoleUser;
let big: { id: string };

const IPS = Array.from(
  { length: 500 },
  (_, i) => `${['198.51.100', '203.0.113', '192.0.2'][i % 3]}.${Math.floor(i / 3)}`,
);
const HOSTS = Array.from({ length: 100 }, (_, i) => `host-${i}.example.org`);
const TOTAL = IPS.length + HOSTS.length;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  operator = await enrolUser(hub, sender, 'operator');
  senderReader = await enrolUser(hub, sender, 'reader');
  receiverReader = await enrolUser(hub, receiver, 'reader');
  big = await publishAlert(hub, sender, 'Six hundred indicators', {
    indicators: [
      ...IPS.map((value) => ({ type: 'ipv4', value })),
      ...HOSTS.map((value) => ({ type: 'domain', value })),
    ],
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

/** A fresh page signed in as `user` (cookies of the previous user cleared first). */
async function pageAs(user: ConsoleUser): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await signInAs(hub, page, user);
  return page;
}

async function openAlert(page: Page, id: string, title: string): Promise<void> {
  await page.goto(`${hub.url}/console/alerts/${id}`);
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

const count = (page: Page) => page.locator('#indicator-count');
const table = (page: Page) => page.getByRole('table', { name: 'Indicators' });
const bodyRows = (page: Page) => table(page).locator('[role=rowgroup].indicator-body [role=row]');
/** The value cells of the rows rendered now, top to bottom. */
async function shownValues(page: Page): Promise<string[]> {
  return bodyRows(page).evaluateAll((rows) =>
    rows
      .map((r) => ({ i: Number(r.getAttribute('aria-rowindex')), v: r.querySelector('.value')?.textContent ?? '' }))
      .filter((x) => x.v !== '')
      .sort((a, b) => a.i - b.i)
      .map((x) => x.v),
  );
}

describe('the alert detail page', () => {
  it('pages the indicators in as the reader scrolls, sorts and filters them on the hub, and passes axe', async () => {
    const page = await pageAs(receiverReader);
    await openAlert(page, big.id, 'Six hundred indicators');
    await count(page)
      .filter({ hasText: `${TOTAL} indicators (200 loaded` })
      .waitFor();
    expect(await table(page).getAttribute('aria-rowcount')).toBe(String(TOTAL + 1));
    await table(page).getByRole('cell', { name: IPS[0], exact: true }).waitFor();
    // Only the rows in view are in the page.
    expect(await bodyRows(page).count()).toBeLessThan(100);
    await expectAccessible(page);
    await screenshot(page, 'detail');

    // Scrolling to the end of what is loaded loads the next page, until everything is there.
    for (const loaded of [400, 600]) {
      await table(page).evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await (
        loaded < TOTAL
          ? count(page).filter({ hasText: `(${loaded} loaded` })
          : count(page).filter({ hasText: new RegExp(`^${TOTAL} indicators$`) })
      ).waitFor();
    }
    await table(page).evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await table(page).getByRole('cell', { name: HOSTS[99], exact: true }).waitFor();
    expect(
      await table(page)
        .locator(`[role=row][aria-rowindex="${TOTAL + 1}"]`)
        .count(),
    ).toBe(1);

    // Sorting by value: ascending, then descending, the header saying so.
    const sorted = [...IPS, ...HOSTS].sort();
    const valueHeader = table(page).getByRole('columnheader').filter({ hasText: 'Value' });
    await page.getByRole('button', { name: 'Value' }).click();
    await eventually(async () => expect((await shownValues(page)).slice(0, 3)).toEqual(sorted.slice(0, 3)));
    expect(await valueHeader.getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'Value' }).click();
    await eventually(async () => expect((await shownValues(page)).slice(0, 3)).toEqual(sorted.reverse().slice(0, 3)));
    expect(await valueHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await table(page).getByRole('columnheader').filter({ hasText: 'Type' }).getAttribute('aria-sort')).toBe(
      'none',
    );

    // Filtering by type and by part of the value, with the filtered count.
    await page.getByRole('combobox', { name: /^Type/ }).selectOption('domain');
    await count(page)
      .filter({ hasText: /^100 indicators$/ })
      .waitFor();
    expect(
      await table(page).locator('[role=rowgroup].indicator-body [role=row] [role=cell]:nth-child(2)').allTextContents(),
    ).toEqual(expect.arrayContaining(['domain']));
    expect(
      new Set(
        await table(page)
          .locator('[role=rowgroup].indicator-body [role=row] [role=cell]:nth-child(2)')
          .allTextContents(),
      ),
    ).toEqual(new Set(['domain']));
    await page.getByLabel('Value contains').fill('HOST-42.');
    await count(page)
      .filter({ hasText: /^1 indicator$/ })
      .waitFor();
    await table(page).getByRole('cell', { name: 'host-42.example.org', exact: true }).waitFor();
    await page.getByRole('combobox', { name: /^Type/ }).selectOption('ipv4');
    await count(page)
      .filter({ hasText: /^0 indicators$/ })
      .waitFor();
    await page.close();
  });

  it('lets a receiver report a sighting and a false positive, which the API then shows', async () => {
    const small = await publishAlert(hub, sender, 'Sighted C2');
    // Another reader of the receiving organisation: a TOTP step is accepted once, and receiverReader signed in above.
    const page = await pageAs(await enrolUser(hub, receiver, 'reader'));
    await openAlert(page, small.id, 'Sighted C2');
    // Not the submitter's: no update or revoke.
    expect(await page.getByRole('button', { name: 'Revoke alert' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByRole('status').filter({ hasText: 'Recorded: 1 sightings, 0 false positives.' }).waitFor();
    await page.getByRole('combobox', { name: /^Report/ }).selectOption('false-positive');
    await page.getByLabel('Indicator value (empty: the whole alert)').fill('198.51.100.23');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByRole('status').filter({ hasText: 'Recorded: 1 sightings, 1 false positives.' }).waitFor();
    await page.getByText('1 sighting, 1 false positive').waitFor();

    const seen = await hub.http('GET', `/api/v1/alerts/${small.id}`, receiver.keys.reader);
    expect(seen.body).toMatchObject({ sightingCount: 1, falsePositiveCount: 1 });
    await expectAccessible(page);
    await page.close();
  });

  it('shows a reader of the submitting organisation no update or revoke', async () => {
    const own = await publishAlert(hub, sender, 'Our own alert');
    const page = await pageAs(senderReader);
    await openAlert(page, own.id, 'Our own alert');
    await table(page).getByRole('cell', { name: '198.51.100.23', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Revoke alert' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Update alert' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send report' }).count()).toBe(0);
    await page.close();
  });

  it('lets the submitting operator update and then revoke the alert, and shows it revoked', async () => {
    const own = await publishAlert(hub, sender, 'To be withdrawn');
    const page = await pageAs(operator);
    await openAlert(page, own.id, 'To be withdrawn');
    await expectAccessible(page);

    await page.getByRole('combobox', { name: /^Severity/ }).selectOption('critical');
    await page.getByRole('button', { name: 'Update alert' }).click();
    await page.getByRole('status').filter({ hasText: 'Updated' }).waitFor();
    const updated = await hub.http('GET', `/api/v1/alerts/${own.id}`, sender.keys.operator);
    expect(updated.body).toMatchObject({ severity: 'critical', revision: 2 });

    await page.getByLabel('Reason for revoking').fill('sinkholed by the registrar');
    await page.getByRole('button', { name: 'Revoke alert' }).click();
    await page.getByRole('note').filter({ hasText: 'sinkholed by the registrar' }).waitFor();
    expect(await page.getByRole('button', { name: 'Revoke alert' }).count()).toBe(0);
    const revoked = await hub.http('GET', `/api/v1/alerts/${own.id}`, sender.keys.operator);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect(revoked.body.revokeReason).toBe('sinkholed by the registrar');
    await page.close();
  });
});
