import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { eventually } from '../harness/eventually';
import { CONSOLE_PASSWORD, enrolUser, feedRow, publishAlert, signInAs, type ConsoleUser } from '../harness/console';
import { startTestHub, type TestHub } from '../harness/hub';

// The web console (apps/console, built into dist/console by `npm run build`, which the e2e tier runs first) in
// Debian's Chromium, against an in-process hub on real PostgreSQL and Redis. Waits are on selectors, never on time.

let hub: TestHub;
let receiver: SeededOrg;
let sender: SeededOrg;
let browser: TestBrowser;

let reader: ConsoleUser;
let EMAIL: string;

const enrol = (org: SeededOrg, role: 'reader' | 'vetter'): Promise<ConsoleUser> => enrolUser(hub, org, role);
const signIn = (page: Page, user: ConsoleUser): Promise<void> => signInAs(hub, page, user);

beforeAll(async () => {
  hub = await startTestHub();
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
  sender = await seedOrg(hub, { trustLevel: 3, country: 'BE' });
  reader = await enrol(receiver, 'reader');
  EMAIL = reader.email;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

const publish = (title: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; seq: number }> =>
  publishAlert(hub, sender, title, overrides);

describe('the web console', () => {
  it('is served at /console/ with a strict CSP (no inline script, no framing), and / redirects there', async () => {
    const root = await fetch(`${hub.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');

    const index = await fetch(`${hub.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    // Every script is a bundled file of this origin.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const script = /<script[^>]*src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/console\/assets\/.+\.js$/);
    expect((await fetch(`${hub.url}${script}`)).status).toBe(200);

    // A path of the app (its router) answers the app too; the API's own 404s are untouched.
    expect((await fetch(`${hub.url}/console/alerts/some-id`)).status).toBe(200);
    expect((await fetch(`${hub.url}/api/v1/nothing-here`)).status).toBe(404);
  });

  it('signs a reader in with TOTP, shows alerts live, resumes after a reload, opens the detail and signs out', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${hub.url}/`);

    // Sign in: the password first, then the code the hub asks for (second-factor-required).
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(CONSOLE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').fill(reader.totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${EMAIL} (reader)`).waitFor();
    expect(page.url()).toBe(`${hub.url}/console/`);
    await page.getByRole('status').filter({ hasText: 'Feed: live' }).waitFor();

    // An alert another organisation submits over REST appears in the feed as it is pushed.
    const firstTitle = `Live C2 wave ${Date.now()}`;
    const first = await publish(firstTitle);
    const row = feedRow(page, firstTitle);
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells).toEqual([String(first.seq), firstTitle, 'high', 'TLP:GREEN', 'unclassified', 'BE', '']);
    expect(await row.locator('.tlp').getAttribute('class')).toBe('tlp tlp-green');

    // Reload: the alert is still there and the next one arrives; the tab kept the last seq received.
    await page.reload();
    await feedRow(page, firstTitle).waitFor();
    await page.getByRole('status').filter({ hasText: 'Feed: live' }).waitFor();
    const second = await publish(`Second wave ${first.seq}`);
    await feedRow(page, `Second wave ${first.seq}`).waitFor();
    await eventually(async () =>
      expect(await page.evaluate('sessionStorage.getItem("tocsin.console.lastSeq")')).toBe(String(second.seq)),
    );
    // Newest first.
    const titles = await page.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(titles.indexOf(`Second wave ${first.seq}`)).toBeLessThan(titles.indexOf(firstTitle));

    // Away from the console while an alert is published: coming back shows it (nothing missed).
    await page.goto('about:blank');
    const third = await publish(`While away ${first.seq}`);
    await page.goto(`${hub.url}/console/`);
    await feedRow(page, `While away ${first.seq}`).waitFor();
    await feedRow(page, firstTitle).waitFor();
    expect(third.seq).toBeGreaterThan(second.seq);

    // The detail page: fields, indicators and the export links.
    await page.getByRole('link', { name: firstTitle, exact: true }).click();
    await page.getByRole('heading', { name: firstTitle }).waitFor();
    expect(page.url()).toBe(`${hub.url}/console/alerts/${first.id}`);
    const indicators = page.getByRole('table', { name: 'Indicators' });
    await indicators.getByRole('cell', { name: '198.51.100.23', exact: true }).waitFor();
    await indicators.getByRole('cell', { name: 'c2.example.net', exact: true }).waitFor();
    const stix = page.getByRole('link', { name: 'STIX 2.1 bundle' });
    expect(await stix.getAttribute('href')).toBe(`/api/v1/alerts/${first.id}/export?format=stix`);
    const bundle = await page.request.get(`${hub.url}/api/v1/alerts/${first.id}/export?format=stix`);
    expect(bundle.status()).toBe(200);
    expect(((await bundle.json()) as { type: string }).type).toBe('bundle');
    const misp = await page.request.get(
      `${hub.url}${await page.getByRole('link', { name: 'MISP event' }).getAttribute('href')}`,
    );
    expect(misp.status()).toBe(200);

    // Back to the feed by its link, then sign out: the sign-in form again, and the session is gone.
    await page.getByRole('link', { name: 'Live feed' }).click();
    await feedRow(page, firstTitle).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await page.request.get(`${hub.url}/api/v1/session`)).status()).toBe(401);
    await page.close();
  });

  it('searches alerts by status, severity, TLP and words, pages with "more", and looks an indicator up', async () => {
    // Its own reader: a TOTP code is taken once, so each sign-in in this file is a different user's.
    const searcher = await enrol(receiver, 'reader');
    const page = await browser.context.newPage();
    await signIn(page, searcher);
    const word = `kestrel${Date.now()
      .toString(36)
      .replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
    const ip = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
    const indicators = [{ type: 'ipv4', value: ip }];
    const titles = [`${word} wave one`, `${word} wave two`, `${word} wave three`];
    for (const title of titles) {
      await publish(title, { severity: 'critical', tlp: 'AMBER', indicators });
    }
    // Same words and value, another severity and TLP: the filters leave it out, the lookup finds it.
    const low = await publish(`${word} low noise`, { severity: 'low', tlp: 'GREEN', indicators });

    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
    expect(page.url()).toBe(`${hub.url}/console/search`);
    await page.getByLabel('Status').selectOption('published');
    await page.getByLabel('Severity').selectOption('critical');
    await page.getByLabel('TLP').selectOption('AMBER');
    await page.getByLabel('Words').fill(word);
    await page.getByLabel('Per page').fill('2');
    await page.getByRole('button', { name: 'Search alerts' }).click();

    // Newest first, two per page; "more" adds the third and is then gone.
    const results = page.getByRole('table', { name: 'Search results' });
    await results.getByRole('link', { name: titles[1]!, exact: true }).waitFor();
    expect(await results.getByRole('link').allTextContents()).toEqual([titles[2], titles[1]]);
    await page.getByRole('button', { name: 'More alerts' }).click();
    await results.getByRole('link', { name: titles[0]!, exact: true }).waitFor();
    expect(await results.getByRole('link').allTextContents()).toEqual([titles[2], titles[1], titles[0]]);
    expect(await page.getByRole('button', { name: 'More alerts' }).count()).toBe(0);
    const row = results.getByRole('row').filter({ has: page.getByRole('link', { name: titles[0]!, exact: true }) });
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(1)).toEqual([titles[0], 'published', 'critical', 'TLP:AMBER', 'unclassified', 'BE']);

    // The lookup takes the value defanged and lists every visible alert carrying it, with first and last seen.
    await page.getByLabel('Indicator value').fill(ip.replaceAll('.', '[.]'));
    await page.getByRole('button', { name: 'Look up' }).click();
    const lookup = await hub.http('GET', `/api/v1/indicators?value=${ip}`, receiver.keys.reader);
    expect(lookup.status).toBe(200);
    const summary = page.getByRole('status').filter({ hasText: `ipv4 ${ip}: 4 alerts` });
    await summary.waitFor();
    expect(await summary.textContent()).toBe(
      `ipv4 ${ip}: 4 alerts, first seen ${lookup.body.firstSeen as string}, last seen ${lookup.body.lastSeen as string}`,
    );
    const carrying = page.getByRole('table', { name: 'Alerts carrying the value' });
    expect(await carrying.getByRole('link').allTextContents()).toEqual([`${word} low noise`, ...[...titles].reverse()]);

    // A row links to the alert's detail page.
    await carrying.getByRole('link', { name: `${word} low noise`, exact: true }).click();
    await page.getByRole('heading', { name: `${word} low noise` }).waitFor();
    expect(page.url()).toBe(`${hub.url}/console/alerts/${low.id}`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });

  it('lets a vetter of a coordinator approve a held alert of another organisation, showing why it was held', async () => {
    const coordinator = await seedOrg(hub, { trustLevel: 4, country: 'DE' });
    const novice = await seedOrg(hub, { trustLevel: 1, country: 'FR' });
    const vetter = await enrol(coordinator, 'vetter');

    // A provisional (trust 1) member's alert is held for review.
    const title = `Held phishing kit ${Date.now()}`;
    const submitted = await hub.http(
      'POST',
      '/api/v1/alerts',
      novice.keys.operator,
      buildAlert({ title, indicators: [{ type: 'domain', value: `kit-${Date.now()}.phish.example` }] }),
    );
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;
    const held = await eventually(async () => {
      const a = await hub.http('GET', `/api/v1/alerts/${id}`, novice.keys.operator);
      expect(a.body.status).toBe('pending_review');
      return a.body as { statusReason: string };
    });

    const page = await browser.context.newPage();
    await signIn(page, vetter);
    await page.getByRole('link', { name: 'Review queue' }).click();
    expect(page.url()).toBe(`${hub.url}/console/review`);
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
    await item.waitFor();
    const facts = await item.locator('dd').allTextContents();
    expect(facts[0]).toBe(held.statusReason);
    expect(facts[1]).toBe(`${novice.name} (FR)`);
    expect(facts[2]).toBe(`A second pair of eyes: you (${vetter.email}) review what ${novice.name} (FR) submitted.`);

    // Approve with a reason: the alert leaves the queue and is published.
    await item.getByLabel('Reason').fill('Checked the domains against our sinkhole');
    await item.getByRole('button', { name: 'Approve' }).click();
    const decided = page.getByRole('list', { name: 'Decided alerts' }).getByRole('listitem');
    await decided.filter({ hasText: `${title}: approved by ${vetter.email}` }).waitFor();
    expect(await page.getByRole('heading', { name: title }).count()).toBe(0);
    await eventually(async () => {
      const a = await hub.http('GET', `/api/v1/alerts/${id}`, novice.keys.operator);
      expect(a.body.status).toBe('published');
      expect(a.body.review).toMatchObject({ decision: 'approve', reason: 'Checked the domains against our sinkhole' });
    });

    // A reader, even of the same organisation, has no review queue link.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, await enrol(coordinator, 'reader'));
    await page.getByRole('link', { name: 'Search' }).waitFor();
    expect(await page.getByRole('link', { name: 'Review queue' }).count()).toBe(0);
    await page.close();
  });
});
