import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { publishAlert } from '../harness/console';
import { startTestHub, type TestHub } from '../harness/hub';

// GET /api/v1/alerts/:id/indicators with its order and filters, through the real hub on PostgreSQL.

interface Row {
  position: number;
  type: string | null;
  rawValue: string;
  canonicalValue: string | null;
  flags: string[];
  actionable: boolean;
  rejection: string | null;
}
interface Page {
  items: Row[];
  nextCursor: string | null;
  total: number;
}

let hub: TestHub;
let sender: SeededOrg;
let receiver: SeededOrg;
let stranger: SeededOrg;
let alertId: string;

const INDICATORS = [
  { type: 'ipv4', value: '198.51.100.7' },
  { type: 'domain', value: 'charlie.example' },
  { type: 'ipv4', value: '198.51.100.3' },
  { type: 'url', value: 'hxxp://bravo.example/Payload' },
  { type: 'domain', value: 'alpha.example' },
  { type: 'ipv4', value: '999.1.1.1' },
  { type: 'domain', value: 'delta[.]example' },
  { type: 'ipv4', value: '198.51.100.5' },
  { type: 'sha256', value: 'a'.repeat(64) },
  { type: 'domain', value: 'echo_50%.example' },
];

const shown = (r: Row): string => r.canonicalValue ?? r.rawValue;

async function list(query: string, key = receiver.keys.reader): Promise<Page> {
  const r = await hub.http('GET', `/api/v1/alerts/${alertId}/indicators?${query}`, key);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Page;
}

/** Every page of a query, following nextCursor with `limit`. */
async function all(query: string, limit: number): Promise<Row[]> {
  const out: Row[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: Page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) {
      return out;
    }
  }
  throw new Error('too many pages');
}

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  stranger = await seedOrg(hub, { trustLevel: 3, country: 'IT' });
  alertId = (
    await publishAlert(hub, sender, 'Indicator list', { tlp: 'RED', recipients: [receiver.id], indicators: INDICATORS })
  ).id;
});

afterAll(async () => {
  await hub?.close();
});

describe('GET /api/v1/alerts/:id/indicators', () => {
  it('lists in submission order by default with the total, and pages by cursor', async () => {
    const first = await list('limit=3');
    expect(first.total).toBe(INDICATORS.length);
    expect(first.items.map((r) => r.position)).toEqual([0, 1, 2]);
    const rows = await all('', 3);
    expect(rows.map((r) => r.position)).toEqual([...Array(INDICATORS.length).keys()]);
    const back = await all('order=desc', 4);
    expect(back.map((r) => r.position)).toEqual([...Array(INDICATORS.length).keys()].reverse());
  });

  it('sorts by value and by type, either way, ties by position, the same across pages', async () => {
    const byValue = await all('sort=value', 3);
    const values = byValue.map(shown);
    expect(values).toEqual([...values].sort());
    expect(values).toHaveLength(INDICATORS.length);
    expect(values[0]).toBe('198.51.100.3');
    expect((await all('sort=value&order=desc', 4)).map(shown)).toEqual([...values].reverse());
    expect((await list('sort=value&limit=100')).items.map(shown)).toEqual(values);

    const byType = await all('sort=type', 2);
    const keys = byType.map((r) => `${r.type ?? ''}\u0000${String(r.position).padStart(3, '0')}`);
    expect(keys).toEqual([...keys].sort());
    const desc = await all('sort=type&order=desc', 2);
    expect(desc.map((r) => r.position)).toEqual(byType.map((r) => r.position).reverse());
  });

  it('filters by type, part of the value (any case, % and _ literal), actionability and flags, with the total', async () => {
    const domains = await list('type=domain&sort=value');
    expect(domains.total).toBe(4);
    expect(domains.items.map(shown)).toEqual(['alpha.example', 'charlie.example', 'delta.example', 'echo_50%.example']);

    const both = await list('type=domain,url&q=EXAMPLE');
    expect(both.total).toBe(5);
    expect((await list('q=50%25')).items.map(shown)).toEqual(['echo_50%.example']);
    expect((await list('q=o_5')).items.map(shown)).toEqual(['echo_50%.example']);
    expect((await list('q=o%255')).total).toBe(0);
    expect((await list('q=payload')).items.map((r) => r.type)).toEqual(['url']);
    expect((await list('q=100.')).total).toBe(3);

    const notActionable = await list('actionable=false');
    expect(notActionable.items.every((r) => !r.actionable)).toBe(true);
    expect(notActionable.items.map((r) => r.rawValue)).toContain('999.1.1.1');
    const actionable = await list('actionable=true');
    expect(actionable.items.every((r) => r.actionable)).toBe(true);
    expect(actionable.total + notActionable.total).toBe(INDICATORS.length);

    const refanged = await list('flag=refanged&sort=value');
    expect(refanged.items.map(shown)).toEqual(['delta.example', 'http://bravo.example/Payload']);
    expect((await list('flag=refanged,idn')).total).toBe(0);

    const pagedFilter = await all('type=ipv4&sort=value&order=desc', 1);
    expect(pagedFilter.map(shown)).toEqual(['999.1.1.1', '198.51.100.7', '198.51.100.5', '198.51.100.3']);
  });

  it('names each bad parameter in a 400, and shows a stranger nothing', async () => {
    const bad = await hub.http(
      'GET',
      `/api/v1/alerts/${alertId}/indicators?sort=colour&order=up&type=ipv5&actionable=maybe&q=&flag=shiny&size=3`,
      receiver.keys.reader,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('urn:tocsin:problem:invalid-query');
    expect((bad.body.errors as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual(
      ['?actionable', '?flag', '?order', '?q', '?size', '?sort', '?type'].sort(),
    );
    const hidden = await hub.http('GET', `/api/v1/alerts/${alertId}/indicators?type=ipv4`, stranger.keys.reader);
    expect(hidden.status).toBe(404);
  });
});
