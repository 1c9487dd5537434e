import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { expectAccessible } from '../harness/a11y';
import { screenshot } from '../harness/screenshots';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { eventually } from '../harness/eventually';
import { enrolUser, publishAlert, signInAs, type ConsoleUser } from '../harness/console';
import { startTestHub, type TestHub } from '../harness/hub';

// The console's dashboard (issue 16 §8) in Debian's Chromium against an in-process hub: the figures of
// GET /api/v1/stats drawn as stacked bars, a table of classifications and the world map with its accessible list.
// Waits are on selectors, never on time.

let hub: TestHub;
let browser: TestBrowser;
let home: SeededOrg;
let se: SeededOrg;
let jp: SeededOrg;
let kr: SeededOrg;
let held: SeededOrg;
let vetter: ConsoleUser;

const HOUR = 3_600_000;
const c2 = { taxonomy: 'malicious-code', type: 'c2-server' };
const phishing = { taxonomy: 'fraud', type: 'phishing' };

beforeAll(async () => {
  hub = await startTestHub();
  home = await seedOrg(hub, { trustLevel: 4, country: 'IT' });
  se = await seedOrg(hub, { trustLevel: 3, country: 'SE' });
  jp = await seedOrg(hub, { trustLevel: 3, country: 'JP' });
  kr = await seedOrg(hub, { trustLevel: 3, country: 'KR' });
  held = await seedOrg(hub, { trustLevel: 1, country: 'NL' });
  vetter = await enrolUser(hub, home, 'vetter');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('the console dashboard', () => {
  it('shows what the vetter may see: per-severity counts this hour, top classifications, countries on the map', async () => {
    const hourBefore = Math.floor(Date.now() / HOUR);
    await publishAlert(hub, se, 'Dashboard SE high 1', { severity: 'high', classification: c2 });
    await publishAlert(hub, se, 'Dashboard SE high 2', { severity: 'high', classification: c2 });
    await publishAlert(hub, jp, 'Dashboard JP low', { severity: 'low', classification: phishing });
    await publishAlert(hub, jp, 'Dashboard JP medium', { severity: 'medium', tlp: 'AMBER', classification: c2 });
    // Hidden from the vetter's org: RED for another org only. It must be counted nowhere.
    await publishAlert(hub, kr, 'Dashboard KR red', {
      severity: 'critical',
      tlp: 'RED',
      recipients: [se.id],
      classification: { taxonomy: 'abusive-content', type: 'spam' },
    });
    // Held for review (trust 1, high): in the vetter's queue, not among published alerts.
    const r = await hub.http('POST', '/api/v1/alerts', held.keys.operator, buildAlert({ severity: 'high' }));
    expect(r.status).toBe(202);
    await eventually(async () => {
      const a = await hub.http('GET', `/api/v1/alerts/${r.body.id as string}`, held.keys.operator);
      expect(a.body.status).toBe('pending_review');
    });

    const page = await browser.context.newPage();
    await signInAs(hub, page, vetter);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/dashboard');

    const chart = page.getByRole('img', { name: /^Alerts per hour by severity/ });
    await expect(chart.getAttribute('aria-label')).resolves.toBe(
      'Alerts per hour by severity over the last 24 hours: 1 low, 1 medium, 2 high, 0 critical',
    );
    const hours = page.getByRole('table', { name: 'Alerts per hour by severity' });
    await expect(hours.getByRole('row').count()).resolves.toBe(25);
    // The current hour's row, when the alerts were published in it (not across an hour's turn).
    if (Math.floor(Date.now() / HOUR) === hourBefore) {
      const thisHour = hours.getByRole('row').filter({ hasText: '(this hour)' });
      await expect(thisHour.getByRole('cell').allTextContents()).resolves.toEqual(['1', '1', '2', '0', '4']);
    }

    const classes = page.getByRole('table', { name: 'Top classifications' });
    await expect(classes.getByRole('rowheader').allTextContents()).resolves.toEqual([
      'malicious-code/c2-server',
      'fraud/phishing',
    ]);
    await expect(
      classes
        .getByRole('row', { name: /c2-server/ })
        .getByRole('cell')
        .textContent(),
    ).resolves.toBe('3');

    // The map is loaded on demand; its accessible list names what it draws, and nothing hidden.
    const countries = page.getByRole('table', { name: 'Alerts by source country' });
    await countries.waitFor();
    await expect(countries.getByRole('rowheader').allTextContents()).resolves.toEqual(['Japan (JP)', 'Sweden (SE)']);
    await expect(page.getByRole('img', { name: /^Alerts by source country/ }).getAttribute('aria-label')).resolves.toBe(
      'Alerts by source country: Japan 2, Sweden 2',
    );

    // The review queue's length: the held alert.
    const tile = (name: string) => page.locator('dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');
    await expect(tile('Review queue').textContent()).resolves.toBe('1');

    await expectAccessible(page);
    await screenshot(page, 'dashboard');
    await page.close();
  });
});
