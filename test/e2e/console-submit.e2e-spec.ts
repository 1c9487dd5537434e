import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { expectAccessible } from '../harness/a11y';
import { screenshot } from '../harness/screenshots';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { enrolUser, signInAs, type ConsoleUser } from '../harness/console';
import { startTestHub, type TestHub } from '../harness/hub';

// The console's Submit page in Debian's Chromium against an in-process hub: an operator uploads a 10,000-line CSV
// (a few bad lines among them), sees the preview the hub reads (POST /api/v1/alerts/preview), submits it with
// upload progress and sees its outcome; a reader has no Submit page and the API refuses it. Waits are on selectors.

let hub: TestHub;
let org: SeededOrg;
let trusted: SeededOrg;
let member: SeededOrg;
let browser: TestBrowser;
let operator: ConsoleUser;
let reader: ConsoleUser;
/** A second operator: a user signs in once per file (a TOTP step is accepted once). */
let redOperator: ConsoleUser;

beforeAll(async () => {
  hub = await startTestHub();
  org = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
  trusted = await seedOrg(hub, { trustLevel: 3, country: 'LU' });
  member = await seedOrg(hub, { trustLevel: 2, country: 'EE' });
  operator = await enrolUser(hub, org, 'operator');
  reader = await enrolUser(hub, org, 'reader');
  redOperator = await enrolUser(hub, org, 'operator');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

/** Lines (1-based, the header being line 1) that are refused, with what they hold. */
const BAD: Record<number, string> = {
  100: 'ipv4,999.0.0.1',
  2000: 'ipv4,not-an-address',
  5000: 'colour,blue',
};

/** A 10,000-line CSV: a header, then distinct addresses, with the bad lines of BAD. */
function tenThousandLines(): string {
  const lines = ['type,value'];
  for (let line = 2; line <= 10_000; line++) {
    const i = line - 2;
    lines.push(BAD[line] ?? `ipv4,198.${Math.floor(i / 65536) + 1}.${Math.floor(i / 256) % 256}.${i % 256}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('the console Submit page', () => {
  it('previews an uploaded 10,000-line CSV with its refused lines, submits it with progress and shows it published', async () => {
    const page = await browser.context.newPage();
    await signInAs(hub, page, operator);
    await page.getByRole('link', { name: 'Submit', exact: true }).click();
    await page.getByRole('heading', { name: 'Submit an alert' }).waitFor();

    await page.getByLabel('Or upload a file').setInputFiles({
      name: 'scan-wave.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(tenThousandLines()),
    });
    await page.getByText('Loaded scan-wave.csv').waitFor();
    expect(await page.getByLabel('Format').inputValue()).toBe('csv');
    await page.getByLabel('Title').fill('Scanning wave from the console');
    await page.getByLabel('TLP').selectOption('GREEN');
    await page.getByRole('button', { name: 'Preview' }).click();

    // 9,999 data lines: one is no indicator (an unknown type cell), two are rejected by normalization.
    const summary = page.getByRole('status').filter({ hasText: 'indicators read' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain(
      '9,998 indicators read, 9,996 accepted, 0 duplicates merged, 3 refused',
    );
    const refused = page.getByRole('table', { name: 'Refused records' });
    for (const [line, value] of [
      [100, '999.0.0.1'],
      [2000, 'not-an-address'],
    ] as const) {
      const row = refused.getByRole('row').filter({ hasText: `line ${line}` });
      expect(await row.getByRole('cell').nth(1).textContent()).toBe(value);
      expect((await row.getByRole('cell').nth(2).textContent())?.trim()).not.toBe('');
    }
    expect(await refused.getByRole('row').filter({ hasText: 'line 5000' }).textContent()).toMatch(/colour/);
    expect(await page.getByRole('table', { name: 'Indicators read' }).getByRole('row').count()).toBe(101);
    await expectAccessible(page);
    // The preview in view.
    await summary.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'submit');

    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByText('upload complete').waitFor();
    expect(await page.getByLabel('Upload progress').getAttribute('value')).toBe('100');
    const outcome = page.getByRole('status').filter({ hasText: 'Outcome:' });
    await outcome.waitFor({ timeout: 50_000 });
    expect(await outcome.textContent()).toBe('Outcome: published');
    await expectAccessible(page);

    // The link goes to the alert, which the API shows published with what the preview said.
    const href = await page.getByRole('link', { name: 'Open the alert' }).getAttribute('href');
    const id = decodeURIComponent(/^\/console\/alerts\/(.+)$/.exec(href ?? '')?.[1] ?? '');
    const a = await hub.http('GET', `/api/v1/alerts/${id}`, org.keys.operator);
    expect(a.body).toMatchObject({
      title: 'Scanning wave from the console',
      status: 'published',
      tlp: 'GREEN',
      indicatorCount: 9_996,
      rejectedCount: 2,
    });
    await page.getByRole('link', { name: 'Open the alert' }).click();
    await page.getByRole('heading', { name: 'Scanning wave from the console' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').waitFor();
    await page.close();
  }, 120_000);

  it('offers as RED recipients only the organisations the operator may name, and previews a pasted list with them', async () => {
    const page = await browser.context.newPage();
    await signInAs(hub, page, redOperator);
    await page.getByRole('link', { name: 'Submit', exact: true }).click();
    await page.getByLabel('Paste a document').fill('192.0.2.44\n# a comment\nnot a value at all\n');
    await page.getByLabel('Title').fill('For named eyes only');
    await page.getByLabel('TLP').selectOption('RED');
    const recipients = page.getByRole('group', { name: 'RED recipients' });
    const names = await hub.http('GET', '/api/v1/recipients', org.keys.operator);
    const trustedName = (names.body.items as { id: string; name: string }[]).find((o) => o.id === trusted.id)?.name;
    expect(trustedName).toBeTruthy();
    await recipients.getByRole('checkbox', { name: `${trustedName} (LU)` }).check();
    const listed = await recipients
      .getByRole('checkbox')
      .evaluateAll((els) => els.map((e) => e.parentElement?.textContent));
    expect(listed.some((t) => t?.includes('(EE)'))).toBe(false); // trust 2: may not be named
    expect(member.id).not.toBe(trusted.id);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('status').filter({ hasText: 'indicators read' }).waitFor();
    expect(await page.getByRole('list', { name: 'Alerts to be created' }).textContent()).toContain(
      '1 named recipients',
    );
    expect(
      await page.getByRole('table', { name: 'Refused records' }).getByRole('row').filter({ hasText: 'line 3' }).count(),
    ).toBe(1);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').waitFor();
    await page.close();
  });

  it('shows a reader no Submit link nor page, and the API refuses it the submission', async () => {
    const page = await browser.context.newPage();
    await signInAs(hub, page, reader);
    await page.getByRole('link', { name: 'Search' }).waitFor();
    expect(await page.getByRole('link', { name: 'Submit', exact: true }).count()).toBe(0);
    await page.goto(`${hub.url}/console/submit`);
    await page.getByText(`Signed in as ${reader.email} (reader)`).waitFor();
    expect(await page.getByRole('heading', { name: 'Submit an alert' }).count()).toBe(0);

    // The reader's own session, as the page would send it: preview and submission are both 403.
    const statuses = await page.evaluate(async () => {
      const s = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const send = (path: string) =>
        fetch(`/api/v1/alerts${path}?title=x`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', 'x-csrf-token': s.csrfToken },
          body: 'ipv4,192.0.2.1\n',
        }).then((r) => r.status);
      return [await send('/preview'), await send(''), await fetch('/api/v1/recipients').then((r) => r.status)];
    });
    expect(statuses).toEqual([403, 403, 403]);
    await page.close();
  });
});
