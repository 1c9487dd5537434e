import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayReceive, type TlpLabel, type TrustLevel } from '@tocsin/domain';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';

/**
 * GET /api/v1/alerts and GET /api/v1/indicators over HTTP (issue 11 §5): alerts submitted and published through
 * the whole pipeline; each member lists, searches and looks up exactly what it may open by id.
 */

let hub: TestHub;
let a: SeededOrg;
let b: SeededOrg;
let c: SeededOrg;
let d: SeededOrg;
let e: SeededOrg;
const submitted: { id: string; tlp: TlpLabel; recipients: string[]; title: string }[] = [];
let since: string;

beforeAll(async () => {
  hub = await startTestHub();
  a = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  b = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  c = await seedOrg(hub, { trustLevel: 1, country: 'NL' });
  d = await seedOrg(hub, { trustLevel: 2, country: 'PL' });
  e = await seedOrg(hub, { trustLevel: 4, country: 'IT' });
  since = new Date(Date.now() - 60_000).toISOString();
  const plan: [TlpLabel, string[]][] = [
    ['CLEAR', []],
    ['GREEN', []],
    ['AMBER', []],
    ['AMBER+STRICT', []],
    ['RED', [b.id]],
    ['RED', [e.id]],
  ];
  for (const [i, [tlp, recipients]] of plan.entries()) {
    const title = `Search test ${tlp} ${i} quokka`;
    const body = buildAlert({
      title,
      tlp,
      severity: 'medium',
      ...(recipients.length > 0 ? { recipients } : {}),
      indicators: [{ type: 'ipv4', value: '198.51.100.7' }, { value: `hxxp://evil[.]example/x${i % 2}` }],
    });
    const r = await hub.http('POST', '/api/v1/alerts', a.keys.operator, body);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    submitted.push({ id: r.body.id as string, tlp, recipients, title });
  }
  for (const s of submitted) {
    await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/alerts/${s.id}`, a.keys.reader);
      expect(r.body.status).toBe('published');
    }, 30_000);
  }
}, 120_000);

afterAll(async () => {
  await hub?.close();
});

const visibleTo = (org: SeededOrg) =>
  submitted
    .filter((s) =>
      mayReceive(
        { tlp: s.tlp, sourceOrgId: a.id, recipients: s.recipients },
        { id: org.id, trustLevel: org.trustLevel as TrustLevel },
      ),
    )
    .map((s) => s.id);

describe('GET /api/v1/alerts and GET /api/v1/indicators', () => {
  it('shows each member, in list, search and lookup, exactly the alerts it may open by id', async () => {
    for (const org of [a, b, c, d, e]) {
      const expected = visibleTo(org);
      const opened: string[] = [];
      for (const s of submitted) {
        const r = await hub.http('GET', `/api/v1/alerts/${s.id}`, org.keys.reader);
        if (r.status === 200) {
          opened.push(s.id);
        }
      }
      expect(opened.sort()).toEqual([...expected].sort());

      const listed = await hub.http(
        'GET',
        `/api/v1/alerts?since=${encodeURIComponent(since)}&limit=200`,
        org.keys.reader,
      );
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((i: any) => i.id)).toEqual([...expected].reverse());
      expect(listed.body).not.toHaveProperty('total');

      const searched = await hub.http('GET', '/api/v1/alerts?q=quokka', org.keys.reader);
      expect(searched.body.items.map((i: any) => i.id)).toEqual([...expected].reverse());

      const looked = await hub.http('GET', '/api/v1/indicators?value=198%5B.%5D51%5B.%5D100%5B.%5D7', org.keys.reader);
      expect(looked.status).toBe(200);
      expect(looked.body.alertCount).toBe(expected.length);
      expect(looked.body.items.map((i: any) => i.alertId)).toEqual([...expected].reverse());
    }
  });

  it('pages the list newest first, each visible alert once', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const q: string = `/api/v1/alerts?since=${encodeURIComponent(since)}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await hub.http('GET', q, b.keys.reader);
      expect(r.status).toBe(200);
      ids.push(...r.body.items.map((i: any) => i.id));
      cursor = r.body.nextCursor;
      if (!cursor) {
        break;
      }
    }
    expect(ids).toEqual([...visibleTo(b)].reverse());
  });

  it('filters by TLP as written in a URL, AMBER+STRICT with its + unencoded', async () => {
    const r = await hub.http('GET', '/api/v1/alerts?tlp=AMBER+STRICT,RED&q=quokka', a.keys.reader);
    expect(r.body.items.map((i: any) => i.tlp)).toEqual(['RED', 'RED', 'AMBER+STRICT']);
  });

  it('finds the canonical URL from its defanged form, with the URL canonical', async () => {
    const r = await hub.http(
      'GET',
      `/api/v1/indicators?value=${encodeURIComponent('hxxp://evil[.]example/x1')}`,
      b.keys.reader,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ type: 'url', value: 'http://evil.example/x1' });
    // x1 is in alerts 1, 3 and 5: GREEN, AMBER+STRICT and RED naming e; b sees the first two.
    expect(r.body.items.map((i: any) => i.alertId)).toEqual([submitted[3]!.id, submitted[1]!.id]);
    expect(r.body.firstSeen).toEqual(expect.any(String));
  });

  it.each([
    ['/api/v1/alerts?severity=urgent', '?severity'],
    ['/api/v1/alerts?since=yesterday', '?since'],
    ['/api/v1/alerts?limit=500', '/limit'],
    ['/api/v1/alerts?colour=red', '?colour'],
    ['/api/v1/indicators?value=not%20an%20indicator', '?value'],
    ['/api/v1/indicators', '?value'],
    ['/api/v1/indicators?value=1.2.3.4&type=ip', '?type'],
  ])('answers %s with a 400 naming %s', async (path, pointer) => {
    const r = await hub.http('GET', path, a.keys.reader);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.errors.map((e: any) => e.pointer)).toContain(pointer);
  });

  it('keeps ?status=pending_review alone as the review queue', async () => {
    expect((await hub.http('GET', '/api/v1/alerts?status=pending_review', a.keys.reader)).status).toBe(403);
    expect((await hub.http('GET', '/api/v1/alerts?status=pending_review&q=quokka', a.keys.reader)).status).toBe(200);
  });

  it('describes both routes and their query parameters in the OpenAPI document', async () => {
    const doc = await hub.http('GET', '/api/openapi.json', null);
    expect(doc.status).toBe(200);
    const names = (path: string) => (doc.body.paths[path].get.parameters as { name: string }[]).map((p) => p.name);
    expect(names('/api/v1/alerts')).toEqual(
      expect.arrayContaining(['status', 'severity', 'minSeverity', 'tlp', 'classification', 'sourceCountry', 'q']),
    );
    expect(names('/api/v1/indicators')).toEqual(expect.arrayContaining(['value', 'type', 'limit', 'cursor']));
  });
});
