import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { expectAccessible } from '../harness/a11y';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { enrolUser, feedRow, publishAlert, signInAs, type ConsoleRole, type ConsoleUser } from '../harness/console';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';
import { screenshot } from '../harness/screenshots';

// The console's live feed in Debian's Chromium against an in-process hub on real PostgreSQL and Redis: the filter by
// subscription, an approved alert reaching a receiver, a RED alert kept from an org not named, a keyboard-only
// review, the light and dark themes with an axe scan of each page in both, and the README's screenshots.
// Two browsers: their sessions (cookies) are separate, so two users can be signed in at once.

let hub: TestHub;
let sender: SeededOrg;
let receiver: SeededOrg;
let coordinator: SeededOrg;
let novice: SeededOrg;
let browser: TestBrowser;
let otherBrowser: TestBrowser;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'BE', name: 'CERT Belgium (test)' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
  coordinator = await seedOrg(hub, { trustLevel: 4, country: 'DE' });
  novice = await seedOrg(hub, { trustLevel: 1, country: 'FR', name: 'CERT Novice (test)' });
  [browser, otherBrowser] = await Promise.all([launchChromium(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await otherBrowser?.close();
  await hub?.close();
});

const enrol = (org: SeededOrg, role: ConsoleRole): Promise<ConsoleUser> => enrolUser(hub, org, role);

/** A new page of `b`, 1000x640, signed in as a new user of `org` (each user signs in once: TOTP codes are single-use). */
async function signedIn(b: TestBrowser, org: SeededOrg, role: ConsoleRole): Promise<{ page: Page; user: ConsoleUser }> {
  const user = await enrol(org, role);
  // No session left over from an earlier test (a test that failed half-way did not sign out).
  await b.context.clearCookies();
  const page = await b.context.newPage();
  await page.setViewportSize({ width: 1000, height: 640 });
  await signInAs(hub, page, user);
  return { page, user };
}

async function live(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: 'Feed: live' }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.close();
}

/** An alert of the trust-1 member, held for review; returns its id. */
async function heldAlert(title: string): Promise<string> {
  const r = await hub.http(
    'POST',
    '/api/v1/alerts',
    novice.keys.operator,
    buildAlert({ title, indicators: [{ type: 'domain', value: `kit-${randomUUID().slice(0, 8)}.phish.example` }] }),
  );
  expect(r.status).toBe(202);
  const id = r.body.id as string;
  await eventually(async () => {
    const a = await hub.http('GET', `/api/v1/alerts/${id}`, novice.keys.operator);
    expect(a.body.status).toBe('pending_review');
  });
  return id;
}

describe('the console live feed', () => {
  // First in the file: the hub is new, so the screenshots show the same alerts and seqs on every run.
  it('follows the system theme, keeps the toggle’s choice, and passes axe in both themes on every page', async () => {
    const held = 'Phishing kit held for review';
    await heldAlert(held);
    await publishAlert(hub, sender, 'Emotet C2 wave', { severity: 'critical', tlp: 'AMBER' });
    await publishAlert(hub, sender, 'Phishing kit on a look-alike domain', { severity: 'medium', tlp: 'CLEAR' });

    // The sign-in page in the light and in the dark system theme.
    const login = await otherBrowser.context.newPage();
    await login.setViewportSize({ width: 1000, height: 640 });
    await login.emulateMedia({ colorScheme: 'light' });
    await login.goto(`${hub.url}/console/`);
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectAccessible(login);
    await screenshot(login, 'login');
    await login.emulateMedia({ colorScheme: 'dark' });
    expect(await login.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(22, 23, 27)');
    await expectAccessible(login);
    await login.close();

    const { page } = await signedIn(browser, coordinator, 'vetter');
    await page.emulateMedia({ colorScheme: 'light' });
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    const background = (): Promise<string> => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(await background()).toBe('rgb(255, 255, 255)');

    const pages: [string, () => Promise<void>][] = [
      [
        'feed',
        async () => {
          await page.getByRole('link', { name: 'Live feed' }).click();
          await feedRow(page, 'Emotet C2 wave').waitFor();
          await live(page);
        },
      ],
      [
        'search',
        async () => {
          await page.getByRole('link', { name: 'Search' }).click();
          await page.getByRole('button', { name: 'Search alerts' }).click();
          await page
            .getByRole('table', { name: 'Search results' })
            .getByRole('link', { name: 'Emotet C2 wave' })
            .waitFor();
        },
      ],
      [
        'review',
        async () => {
          await page.getByRole('link', { name: 'Review queue' }).click();
          await page.getByRole('heading', { name: held }).waitFor();
        },
      ],
    ];
    // Light (the system's), with the screenshots.
    for (const [name, open] of pages) {
      await open();
      await expectAccessible(page);
      await screenshot(page, name);
    }

    // The toggle: dark, pressed, kept in localStorage and over a reload, whatever the system says.
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate('localStorage.getItem("tocsin.console.theme")')).toBe('dark');
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await background()).toBe('rgb(22, 23, 27)');
    await page.reload();
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await background()).toBe('rgb(22, 23, 27)');
    for (const [, open] of pages) {
      await open();
      await expectAccessible(page);
    }
    // TLP keeps FIRST's colours on black in the dark theme too.
    await page.getByRole('link', { name: 'Live feed' }).click();
    const amber = feedRow(page, 'Emotet C2 wave').locator('.tlp');
    await amber.waitFor();
    const tlp = await page.evaluate<string[]>(
      `(() => { const s = getComputedStyle(document.querySelector('tr[data-alert-id] .tlp-amber')); return [s.color, s.backgroundColor]; })()`,
    );
    expect(tlp).toEqual(['rgb(255, 192, 0)', 'rgb(0, 0, 0)']);

    // Toggled back to light; the stored choice now wins over a dark system preference.
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    // With no stored choice, the dark system preference applies.
    await page.evaluate('localStorage.removeItem("tocsin.console.theme")');
    await page.reload();
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await background()).toBe('rgb(22, 23, 27)');
    await signOut(page);
  }, 240_000);

  it('filters the feed by one of the organisation’s subscriptions, named by the socket’s events', async () => {
    const high = await hub.http('POST', '/api/v1/subscriptions', receiver.keys.reader, {
      name: 'High and critical',
      filters: { minSeverity: 'high' },
    });
    expect(high.status).toBe(201);
    const phishing = await hub.http('POST', '/api/v1/subscriptions', receiver.keys.reader, {
      name: 'Phishing',
      filters: { classifications: ['fraud/phishing'] },
    });
    expect(phishing.status).toBe(201);

    const { page } = await signedIn(browser, receiver, 'reader');
    await live(page);
    const select = page.getByLabel('Subscription');
    await select.getByRole('option', { name: 'High and critical' }).waitFor({ state: 'attached' });
    expect(await select.getByRole('option').allTextContents()).toEqual(['All alerts', 'High and critical', 'Phishing']);

    const tag = randomUUID().slice(0, 8);
    await publishAlert(hub, sender, `Low noise ${tag}`, { severity: 'low' });
    await publishAlert(hub, sender, `Critical C2 ${tag}`, { severity: 'critical' });
    // The whole feed shows both.
    await feedRow(page, `Low noise ${tag}`).waitFor();
    await feedRow(page, `Critical C2 ${tag}`).waitFor();

    // One subscription: what it matched of the same window, then live; never the low one.
    await select.selectOption({ label: 'High and critical' });
    await live(page);
    await feedRow(page, `Critical C2 ${tag}`).waitFor();
    expect(await feedRow(page, `Low noise ${tag}`).count()).toBe(0);
    await publishAlert(hub, sender, `Low again ${tag}`, { severity: 'low' });
    await publishAlert(hub, sender, `High again ${tag}`, { severity: 'high' });
    await feedRow(page, `High again ${tag}`).waitFor();
    expect(await feedRow(page, `Low again ${tag}`).count()).toBe(0);
    expect(await feedRow(page, `Low noise ${tag}`).count()).toBe(0);
    // Only what the subscription matches (the first test's critical alert too), newest first.
    const titles = await page.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(titles.filter((t) => t.endsWith(tag))).toEqual([`High again ${tag}`, `Critical C2 ${tag}`]);
    const severities = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(severities.length).toBe(titles.length);
    expect(severities.every((s) => s === 'high' || s === 'critical')).toBe(true);

    // Another subscription matches none of them.
    await select.selectOption({ label: 'Phishing' });
    await live(page);
    await page.getByText('No alerts yet.').waitFor();

    // Back to all: everything, the one published while the filter was on included.
    await select.selectOption({ label: 'All alerts' });
    await live(page);
    for (const t of ['Low noise', 'Critical C2', 'Low again', 'High again']) {
      await feedRow(page, `${t} ${tag}`).waitFor();
    }
    await signOut(page);
  });

  it('shows a receiver an alert held for review once a vetter of a trusted organisation approves it', async () => {
    const { page: feed } = await signedIn(browser, receiver, 'reader');
    await live(feed);
    const title = `Held then approved ${randomUUID().slice(0, 8)}`;
    const id = await heldAlert(title);

    const { page: review, user: vetter } = await signedIn(otherBrowser, coordinator, 'vetter');
    await review.getByRole('link', { name: 'Review queue' }).click();
    const item = review.getByRole('listitem').filter({ has: review.getByRole('heading', { name: title }) });
    await item.waitFor();
    // Still held: the receiver's feed does not have it.
    expect(await feedRow(feed, title).count()).toBe(0);
    await item.getByLabel('Reason').fill('Domains confirmed against our sinkhole');
    await item.getByRole('button', { name: 'Approve' }).click();
    await review.getByText(`${title}: approved by ${vetter.email}`).waitFor();

    // Pushed to the receiver's open feed.
    const row = feedRow(feed, title);
    await row.waitFor();
    expect(await row.getAttribute('data-alert-id')).toBe(id);
    expect((await row.getByRole('cell').allTextContents())[5]).toBe('FR');
    await signOut(review);
    await signOut(feed);
  });

  it('never shows a RED alert to an organisation it does not name, live, after a reload, or by its URL', async () => {
    const named = await seedOrg(hub, { trustLevel: 3, country: 'LU' });
    const notNamed = await seedOrg(hub, { trustLevel: 3, country: 'AT' });
    const { page: a } = await signedIn(browser, named, 'reader');
    const { page: b } = await signedIn(otherBrowser, notNamed, 'reader');
    await live(a);
    await live(b);

    const tag = randomUUID().slice(0, 8);
    const red = await publishAlert(hub, sender, `Named eyes only ${tag}`, { tlp: 'RED', recipients: [named.id] });
    await feedRow(a, `Named eyes only ${tag}`).waitFor();
    expect(await feedRow(a, `Named eyes only ${tag}`).locator('.tlp').textContent()).toBe('TLP:RED');

    // A later GREEN alert reaches B (so B has had everything published before it), and the RED one is not there.
    const green = await publishAlert(hub, sender, `For everyone ${tag}`, { tlp: 'GREEN' });
    expect(green.seq).toBeGreaterThan(red.seq);
    await feedRow(b, `For everyone ${tag}`).waitFor();
    expect(await feedRow(b, `Named eyes only ${tag}`).count()).toBe(0);
    expect(await b.locator(`[data-alert-id="${red.id}"]`).count()).toBe(0);

    // Nor after a reload (REST, then replay from the tab's seq).
    await b.reload();
    await live(b);
    await feedRow(b, `For everyone ${tag}`).waitFor();
    expect(await feedRow(b, `Named eyes only ${tag}`).count()).toBe(0);

    // Its detail URL answers as an id that does not exist.
    const shown = async (id: string): Promise<string> => {
      await b.goto(`${hub.url}/console/alerts/${id}`);
      const message = b.getByRole('alert');
      await message.waitFor();
      return ((await message.textContent()) ?? '').replaceAll(id, '<id>');
    };
    const forRed = await shown(red.id);
    const forRandom = await shown(randomUUID());
    expect(forRed).toBe(forRandom);
    expect(forRed).not.toContain(`Named eyes only`);
    expect(await b.getByText(`Named eyes only ${tag}`).count()).toBe(0);
    await signOut(a);
    await signOut(b);
  });

  it('lets a vetter review with the keyboard alone: Tab to the queue, type the reason, approve', async () => {
    const title = `Keyboard review ${randomUUID().slice(0, 8)}`;
    const id = await heldAlert(title);
    const { page } = await signedIn(browser, coordinator, 'vetter');

    /** Presses Tab until the focused element is the one `is` recognises (at most 60 times). */
    const tabTo = async (what: string, is: string): Promise<void> => {
      for (let i = 0; i < 60; i += 1) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(is)) {
          return;
        }
      }
      throw new Error(`Tab never reached ${what}`);
    };
    await tabTo('the Review queue link', `document.activeElement?.textContent === 'Review queue'`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    await page.getByRole('heading', { name: title }).waitFor();
    await tabTo('the reason of the held alert', `document.activeElement?.id === ${JSON.stringify(`reason-${id}`)}`);
    await page.keyboard.type('Checked by keyboard: the domain is a known kit');
    await tabTo(
      'its Approve button',
      `document.activeElement?.textContent === 'Approve' && document.activeElement.closest('li')?.querySelector('textarea')?.id === ${JSON.stringify(`reason-${id}`)}`,
    );
    await page.keyboard.press('Enter');
    await page.getByText(`${title}: approved by`).waitFor();
    await eventually(async () => {
      const a = await hub.http('GET', `/api/v1/alerts/${id}`, novice.keys.operator);
      expect(a.body.status).toBe('published');
      expect(a.body.review).toMatchObject({
        decision: 'approve',
        reason: 'Checked by keyboard: the domain is a known kit',
      });
    });
    await signOut(page);
  });
});
