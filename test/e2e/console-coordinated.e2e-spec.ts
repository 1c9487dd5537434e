import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../factories/orgs';
import { expectAccessible } from '../harness/a11y';
import { launchChromium, type TestBrowser } from '../harness/browser';
import { enrolUser, publishAlert, signInAs } from '../harness/console';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';

// The coordinated alert's countries on the world map of the alert detail page, in Debian's Chromium against an
// in-process hub on real PostgreSQL and Redis: three organisations in two countries report the same C2 servers.

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

describe('the coordinated alert on the alert detail page', () => {
  // Addresses outside every warning list (documentation ranges would be flagged and never correlate).
  const indicators = [
    { type: 'ipv4', value: '45.137.21.77' },
    { type: 'ipv4', value: '91.215.85.71' },
  ];

  it('shows the countries of the coordinated alert on a map whose list names each of them', async () => {
    const fr1 = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const de = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
    const fr2 = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const reader = await enrolUser(hub, de, 'reader');
    const first = await publishAlert(hub, fr1, 'QakBot C2 seen in France', { tlp: 'GREEN', indicators });
    await publishAlert(hub, de, 'QakBot C2 seen in Germany', { tlp: 'GREEN', indicators });
    await publishAlert(hub, fr2, 'QakBot C2 seen again in France', { tlp: 'GREEN', indicators });
    // The worker correlates after publication, in a job of its own: wait until the API shows the coordinated alert.
    await eventually(async () => {
      const r = await hub.http('GET', '/api/v1/coordinated-alerts?limit=200', de.keys.reader);
      const held = (r.body.items as any[]).find((c) => c.reports.some((x: any) => x.alertId === first.id));
      expect(held?.countries).toEqual(['DE', 'FR']);
    }, 30_000);

    const page = await browser.context.newPage();
    await signInAs(hub, page, reader);
    await page.goto(`${hub.url}/console/alerts/${first.id}`);
    await page.getByRole('heading', { name: 'QakBot C2 seen in France', level: 1 }).waitFor();
    const list = page.getByRole('table', { name: 'Countries of the coordinated alert' });
    await list.waitFor();
    // One row a country, with its reports: two from France, one from Germany.
    await list.getByRole('row', { name: /France.*2/ }).waitFor();
    await list.getByRole('row', { name: /Germany.*1/ }).waitFor();
    expect(await list.locator('tbody tr').count()).toBe(2);
    const map = page.getByRole('img', { name: /^Countries of the coordinated alert: / });
    expect(await map.getAttribute('aria-label')).toBe('Countries of the coordinated alert: France 2, Germany 1');
    await expectAccessible(page);
    await page.close();
  });
});
