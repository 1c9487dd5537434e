import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayReceive, type TlpLabel, type TrustLevel } from '@tocsin/domain';
import {
  ALL_COLLECTION_ID,
  CONSTITUENCY_COLLECTION_ID,
  COORDINATED_COLLECTION_ID,
  INBOX_COLLECTION_ID,
} from '@tocsin/taxii';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { startTestHub, submitAlerts, type TestHub } from '../harness/hub';
import type { HttpResult } from '../harness/http';

/**
 * TAXII 2.1 read side (issue 14): discovery, API root, collections, objects, manifest and versions over HTTP, with
 * both auth schemes, TAXII's media types and error messages, and the same visibility as every other path.
 */

const TAXII = 'application/taxii+json;version=2.1';
const STIX = 'application/stix+json;version=2.1';
let hub: TestHub;
let a: SeededOrg;
let b: SeededOrg;
let c: SeededOrg;
let d: SeededOrg;
/** a's alerts: one per TLP, RED naming b only. */
const sent: { id: string; tlp: TlpLabel; recipients: string[] }[] = [];

const basic = (key: string, user = 'misp') => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

/** A TAXII GET with `Authorization: Basic` (any user name, the key as password) and TAXII's Accept. */
function taxii(path: string, key: string | null, headers: Record<string, string> = {}): Promise<HttpResult> {
  return hub.http('GET', path, null, undefined, {
    accept: TAXII,
    ...(key === null ? {} : { authorization: basic(key) }),
    ...headers,
  });
}

beforeAll(async () => {
  hub = await startTestHub();
  a = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  b = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  c = await seedOrg(hub, { trustLevel: 1, country: 'NL' });
  d = await seedOrg(hub, { trustLevel: 3, country: 'PL' });
  const plan: [TlpLabel, string[]][] = [
    ['CLEAR', []],
    ['GREEN', []],
    ['AMBER', []],
    ['AMBER+STRICT', []],
    ['RED', [b.id]],
  ];
  for (const [i, [tlp, recipients]] of plan.entries()) {
    const body = buildAlert({
      title: `TAXII ${tlp} ${i}`,
      tlp,
      ...(recipients.length > 0 ? { recipients } : {}),
      indicators: [
        { type: 'ipv4', value: `198.51.100.${10 + i}` },
        { type: 'domain', value: `c2-${i}.example.net` },
      ],
    });
    const r = await hub.http('POST', '/api/v1/alerts', a.keys.operator, body);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    sent.push({ id: r.body.id as string, tlp, recipients });
  }
  await waitPublished(
    a,
    sent.map((s) => s.id),
  );
}, 120_000);

async function waitPublished(org: SeededOrg, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/alerts/${id}`, org.keys.reader);
      expect(r.body.status).toBe('published');
    }, 60_000);
  }
}

const objectsPath = (collection: string, query = '') => `/taxii2/api/collections/${collection}/objects/${query}`;

/** Every page of a listing, following `next`; fails on a non-200. */
async function pageAll(path: string, key: string, limit = 1_000): Promise<{ pages: HttpResult[]; items: any[] }> {
  const pages: HttpResult[] = [];
  const items: any[] = [];
  let next: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  for (let i = 0; i < 1_000; i++) {
    const r = await taxii(`${path}${sep}limit=${limit}${next ? `&next=${next}` : ''}`, key);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    pages.push(r);
    items.push(...((r.body.objects ?? r.body.versions ?? []) as unknown[]));
    if (!r.body.more) {
      return { pages, items };
    }
    next = r.body.next as string;
  }
  throw new Error('too many pages');
}

/** The Tocsin alert id a STIX report carries (its external reference). */
const alertOf = (o: { external_references?: { source_name: string; external_id?: string }[] }) =>
  o.external_references?.find((r) => r.source_name === 'tocsin')?.external_id;

const visibleTo = (org: SeededOrg) =>
  sent
    .filter((s) =>
      mayReceive(
        { tlp: s.tlp, sourceOrgId: a.id, recipients: s.recipients },
        { id: org.id, trustLevel: org.trustLevel as TrustLevel },
      ),
    )
    .map((s) => s.id)
    .sort();

afterAll(async () => {
  await hub?.close();
});

describe('GET /taxii2/ and /taxii2/api/', () => {
  it('answers discovery and the API root with TAXII media type to HTTP Basic and to Bearer', async () => {
    const d = await taxii('/taxii2/', a.keys.reader);
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.headers.get('content-type')).toBe(TAXII);
    expect(d.body.api_roots).toEqual([`${hub.url}/taxii2/api/`]);
    expect(d.body.default).toBe(`${hub.url}/taxii2/api/`);
    const r = await hub.http('GET', '/taxii2/api/', a.keys.reader, undefined, { accept: TAXII });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(TAXII);
    expect(r.body.versions).toEqual([TAXII]);
    expect(r.body.max_content_length).toBeGreaterThan(0);
  });

  it('answers 401 with a Basic challenge and a TAXII error message without a valid key', async () => {
    for (const auth of [undefined, basic('not-a-key'), 'Basic !!!', `Bearer ${a.keys.reader}x`]) {
      const r = await hub.http('GET', '/taxii2/', null, undefined, {
        accept: TAXII,
        ...(auth === undefined ? {} : { authorization: auth }),
      });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Basic realm="tocsin"');
      expect(r.headers.get('content-type')).toBe(TAXII);
      expect(r.body).toMatchObject({ title: 'Unauthorized', http_status: '401', error_code: 'unauthorized' });
    }
  });

  it.each([
    ['application/json', 406],
    ['application/taxii+json;version=2.0', 406],
    ['application/taxii+json;version=2.1;q=0', 406],
    ['text/html, application/taxii+json', 200],
    ['application/taxii+json', 200],
    ['*/*', 200],
  ])('answers Accept: %s with %i', async (accept, status) => {
    const r = await taxii('/taxii2/api/', a.keys.reader, { accept });
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toBe(TAXII);
    if (status === 406) {
      expect(r.body).toMatchObject({ http_status: '406', error_code: 'not-acceptable' });
    }
  });
});

describe('POST bodies under /taxii2/', () => {
  it('answers a body of a media type the hub does not read with a TAXII 415, before anything else', async () => {
    const r = await hub.http('POST', `/taxii2/api/collections/${INBOX_COLLECTION_ID}/objects/`, null, '<xml/>', {
      accept: TAXII,
      'content-type': 'application/xml',
      authorization: basic(a.keys.operator),
    });
    expect(r.status).toBe(415);
    expect(r.headers.get('content-type')).toBe(TAXII);
    expect(r.body).toMatchObject({ http_status: '415', error_code: 'unsupported-media-type' });
  });
});

describe('GET /taxii2/api/collections/', () => {
  it('lists the fixed collections, then one per subscription; only the inbox is writable, for a key that may submit', async () => {
    const s = await hub.http('POST', '/api/v1/subscriptions', a.keys.reader, {
      name: 'red only',
      filters: { tlp: ['RED'] },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    const r = await taxii('/taxii2/api/collections/', a.keys.reader);
    expect(r.status).toBe(200);
    const ids = (r.body.collections as { id: string }[]).map((c) => c.id);
    expect(ids).toEqual([
      ALL_COLLECTION_ID,
      INBOX_COLLECTION_ID,
      CONSTITUENCY_COLLECTION_ID,
      COORDINATED_COLLECTION_ID,
      s.body.id,
    ]);
    const writable = (r.body.collections as { id: string; can_write: boolean }[]).filter((c) => c.can_write);
    expect(writable).toEqual([]);
    const asOperator = await taxii('/taxii2/api/collections/', a.keys.operator);
    const canWrite = (asOperator.body.collections as { id: string; can_write: boolean }[]).filter((c) => c.can_write);
    expect(canWrite.map((c) => c.id)).toEqual([INBOX_COLLECTION_ID]);
    const inbox = await taxii(`/taxii2/api/collections/${INBOX_COLLECTION_ID}/`, a.keys.operator);
    expect(inbox.body).toMatchObject({ id: INBOX_COLLECTION_ID, can_read: true, can_write: true });
    const one = await taxii(`/taxii2/api/collections/${s.body.id as string}/`, a.keys.reader);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: s.body.id, can_read: true, can_write: false });
  });

  it("answers 404 for an unknown collection, a malformed id and another organisation's subscription", async () => {
    const other = await seedOrg(hub, { trustLevel: 3 });
    const s = await hub.http('POST', '/api/v1/subscriptions', other.keys.reader, { name: 'x', filters: {} });
    expect(s.status).toBe(201);
    for (const id of ['1d0c8a4e-93d1-4c7b-8e55-1a6b3c9d7e02', 'nope', s.body.id as string]) {
      const r = await taxii(`/taxii2/api/collections/${id}/`, a.keys.reader);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ http_status: '404', error_code: 'collection-not-found' });
    }
  });
});

describe('GET .../collections/{id}/objects/ and manifest', () => {
  it('answers each organisation exactly the alerts it may see, in objects, manifest, object and versions', async () => {
    const red = sent.find((s) => s.tlp === 'RED')!;
    const { items: forB } = await pageAll(objectsPath(ALL_COLLECTION_ID), b.keys.reader);
    const redReport = forB.find((o) => o.type === 'report' && alertOf(o) === red.id);
    expect(redReport).toMatchObject({ type: 'report', spec_version: '2.1' });
    for (const org of [a, b, c, d]) {
      const { items } = await pageAll(objectsPath(ALL_COLLECTION_ID), org.keys.reader);
      const mine = new Set(sent.map((s) => s.id));
      const reports = items.filter((o) => o.type === 'report' && mine.has(alertOf(o) ?? ''));
      expect(reports.map(alertOf).sort(), org.name).toEqual(visibleTo(org));
      const ids = new Set(items.map((o) => o.id as string));
      const { items: manifest } = await pageAll(
        `/taxii2/api/collections/${ALL_COLLECTION_ID}/manifest/`,
        org.keys.reader,
      );
      expect(manifest.length).toBe(items.length);
      expect(new Set(manifest.map((m) => m.id as string))).toEqual(ids);
      const seesRed = visibleTo(org).includes(red.id);
      expect(ids.has(redReport.id), org.name).toBe(seesRed);
      const one = await taxii(`${objectsPath(ALL_COLLECTION_ID)}${redReport.id as string}/`, org.keys.reader);
      expect(one.status, org.name).toBe(seesRed ? 200 : 404);
      const versions = await taxii(
        `${objectsPath(ALL_COLLECTION_ID)}${redReport.id as string}/versions/`,
        org.keys.reader,
      );
      expect(versions.status, org.name).toBe(seesRed ? 200 : 404);
      if (!seesRed) {
        expect(one.body).toMatchObject({ http_status: '404', error_code: 'object-not-found' });
        const filtered = await taxii(
          objectsPath(ALL_COLLECTION_ID, `?match[id]=${redReport.id as string}`),
          org.keys.reader,
        );
        expect(filtered.status).toBe(200);
        expect(filtered.body).toEqual({ more: false });
      }
    }
  });

  it('keeps the same STIX ids for an alert on every read, and serves the envelope in either media type', async () => {
    const first = await pageAll(objectsPath(ALL_COLLECTION_ID), b.keys.reader);
    const again = await pageAll(objectsPath(ALL_COLLECTION_ID), b.keys.reader);
    expect(again.items).toEqual(first.items);
    const page = first.pages[0]!;
    expect(page.headers.get('content-type')).toBe(TAXII);
    expect(page.headers.get('x-taxii-date-added-first')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const stix = await taxii(objectsPath(ALL_COLLECTION_ID), b.keys.reader, { accept: STIX });
    expect(stix.status).toBe(200);
    expect(stix.headers.get('content-type')).toBe(STIX);
    const manifestAsStix = await taxii(`/taxii2/api/collections/${ALL_COLLECTION_ID}/manifest/`, b.keys.reader, {
      accept: STIX,
    });
    expect(manifestAsStix.status).toBe(406);
  });

  it('filters by match[type], match[id], match[spec_version] and added_after', async () => {
    const all = (await pageAll(objectsPath(ALL_COLLECTION_ID), b.keys.reader)).items;
    const reports = await pageAll(objectsPath(ALL_COLLECTION_ID, '?match[type]=report'), b.keys.reader);
    expect(reports.items.length).toBe(all.filter((o) => o.type === 'report').length);
    expect(reports.items.every((o) => o.type === 'report')).toBe(true);
    const two = await pageAll(objectsPath(ALL_COLLECTION_ID, '?match[type]=report,indicator'), b.keys.reader);
    expect(two.items.length).toBe(all.filter((o) => o.type === 'report' || o.type === 'indicator').length);
    const pick = all.slice(0, 2).map((o) => o.id as string);
    const byId = await pageAll(objectsPath(ALL_COLLECTION_ID, `?match[id]=${pick.join(',')}`), b.keys.reader);
    expect(new Set(byId.items.map((o) => o.id))).toEqual(new Set(pick));
    const v20 = await taxii(objectsPath(ALL_COLLECTION_ID, '?match[spec_version]=2.0'), b.keys.reader);
    expect(v20.body).toEqual({ more: false });
    const v21 = await pageAll(objectsPath(ALL_COLLECTION_ID, '?match[spec_version]=2.1'), b.keys.reader);
    expect(v21.items.length).toBe(all.length);
    const manifest = (await pageAll(`/taxii2/api/collections/${ALL_COLLECTION_ID}/manifest/`, b.keys.reader)).items;
    const middle = manifest[Math.floor(manifest.length / 2)].date_added as string;
    const after = await pageAll(objectsPath(ALL_COLLECTION_ID, `?added_after=${middle}`), b.keys.reader);
    expect(after.items.length).toBe(manifest.filter((m) => m.date_added > middle).length);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=abc', 'limit'],
    ['?added_after=yesterday', 'added_after'],
    ['?next=not-a-token', 'next'],
    ['?match[type]=Not%20A%20Type', 'match[type]'],
    ['?match[id]=indicator--1', 'match[id]'],
    ['?match[version]=newest', 'match[version]'],
    ['?match[spec_version]=two', 'match[spec_version]'],
    ['?match[colour]=red', 'match[colour]'],
    [`?match[type]=${Array.from({ length: 101 }, () => 'report').join(',')}`, 'match[type]'],
  ])('answers %s with 400 naming %s', async (query, name) => {
    const r = await taxii(objectsPath(ALL_COLLECTION_ID, query), b.keys.reader);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe(TAXII);
    expect(r.body).toMatchObject({ http_status: '400', error_code: 'invalid-query' });
    expect(Object.keys(r.body.details as object)).toContain(`?${name}`);
  });

  it('answers an unknown TAXII path with a TAXII 404, and the REST API still with a problem document', async () => {
    const r = await taxii('/taxii2/api/nothing-here/', b.keys.reader);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toBe(TAXII);
    expect(r.body).toMatchObject({ http_status: '404', error_code: 'route-not-found' });
    const rest = await hub.http('GET', '/api/v1/nothing-here', b.keys.reader);
    expect(rest.status).toBe(404);
    expect(rest.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('lowers a limit above 1,000 to 1,000 and answers an unknown collection 404', async () => {
    const r = await taxii(objectsPath(ALL_COLLECTION_ID, '?limit=5000'), b.keys.reader);
    expect(r.status).toBe(200);
    const missing = await taxii(objectsPath('0b0c8a4e-93d1-4c7b-8e55-1a6b3c9d7e02'), b.keys.reader);
    expect(missing.status).toBe(404);
  });
});

describe('junk input', () => {
  it('answers generated query strings, ids and headers with a TAXII 4xx or 200, never a 500', async () => {
    const names = [
      'added_after',
      'limit',
      'next',
      'match[id]',
      'match[type]',
      'match[version]',
      'match[spec_version]',
      'x',
    ];
    const junk = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('', '0', '-1', '1e9', 'last', 'all', '2026-13-01T00:00:00Z', '\u0000'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...names), junk), { maxLength: 5 }),
        fc.constantFrom(
          'objects/',
          'manifest/',
          'objects/report--00000000-0000-4000-8000-000000000000/',
          'objects/%00/versions/',
        ),
        fc.option(junk, { nil: undefined }),
        async (params, tail, accept) => {
          const q = new URLSearchParams(params).toString();
          const r = await taxii(
            `/taxii2/api/collections/${ALL_COLLECTION_ID}/${tail}${q ? `?${q}` : ''}`,
            b.keys.reader,
            {
              ...(accept === undefined ? {} : { accept: accept.replace(/[^\x20-\x7e]/g, '') }),
            },
          );
          expect([200, 400, 404, 406]).toContain(r.status);
          expect(r.headers.get('content-type')).toMatch(/^application\/(taxii|stix)\+json;version=2\.1$/);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the constituency and subscription collections', () => {
  it('hold what the caller may see that touches its constituency, or that its subscription matches', async () => {
    for (const org of [c, d]) {
      const put = await hub.http('PUT', `/api/v1/orgs/${org.id}/constituency`, org.keys.admin, {
        cidrs: ['198.51.100.0/24'],
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const { items } = await pageAll(objectsPath(CONSTITUENCY_COLLECTION_ID, '?match[type]=report'), org.keys.reader);
      const mine = new Set(sent.map((x) => x.id));
      expect(
        items
          .map(alertOf)
          .filter((id) => mine.has(id ?? ''))
          .sort(),
        org.name,
      ).toEqual(visibleTo(org));
    }
    const { items: none } = await pageAll(objectsPath(CONSTITUENCY_COLLECTION_ID), b.keys.reader);
    expect(none).toEqual([]);

    const sub = await hub.http('POST', '/api/v1/subscriptions', b.keys.reader, {
      name: 'amber',
      filters: { tlp: ['AMBER'] },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const { items } = await pageAll(objectsPath(sub.body.id as string, '?match[type]=report'), b.keys.reader);
    const amber = sent.filter((x) => x.tlp === 'AMBER').map((x) => x.id);
    expect(items.map(alertOf).filter((id) => sent.some((x) => x.id === id))).toEqual(amber);
  });
});

describe('the coordinated collection', () => {
  it("holds the reports of the coordinated alerts the caller may see, as REST's coordinated views name them", async () => {
    // One value reported by three organisations in three countries: a coordinated alert. A RED report of it names b.
    const shared = { type: 'ipv4' as const, value: '77.91.200.77' };
    const plan: [SeededOrg, TlpLabel, string[]][] = [
      [a, 'GREEN', []],
      [b, 'GREEN', []],
      [d, 'GREEN', []],
      [d, 'RED', [b.id]],
    ];
    const reports = await submitAlerts(
      hub,
      plan.map(([org, tlp, recipients], i) => ({
        key: org.keys.operator,
        body: buildAlert({
          title: `coordinated ${tlp} ${i}`,
          tlp,
          ...(recipients.length > 0 ? { recipients } : {}),
          indicators: [shared, { type: 'domain', value: `coord-${i}.example.org` }],
        }),
      })),
      1,
    );
    const [green1, green2, green3, red] = reports as [string, string, string, string];
    /** The reports of every coordinated alert the org may see over REST, once they hold these. */
    const restReports = async (org: SeededOrg, expected: string[]): Promise<string[]> => {
      let ids: string[] = [];
      await eventually(async () => {
        const r = await hub.http('GET', '/api/v1/coordinated-alerts?limit=100', org.keys.reader);
        expect(r.status).toBe(200);
        ids = (r.body.items as { reports: { alertId: string }[] }[]).flatMap((v) => v.reports.map((x) => x.alertId));
        expect(ids).toEqual(expect.arrayContaining(expected));
      }, 60_000);
      return [...new Set(ids)].sort();
    };
    const collected = async (org: SeededOrg) => {
      const { items } = await pageAll(objectsPath(COORDINATED_COLLECTION_ID, '?match[type]=report'), org.keys.reader);
      return [...new Set(items.map(alertOf))].sort();
    };
    // c (trust 1) sees the three GREEN reports, never the RED one; b, named, sees all four.
    const forC = await restReports(c, [green1, green2, green3]);
    expect(forC).not.toContain(red);
    expect(await collected(c)).toEqual(forC);
    const forB = await restReports(b, [green1, green2, green3, red]);
    expect(await collected(b)).toEqual(forB);
    // An alert in no coordinated alert is in no one's coordinated collection.
    expect(forB).not.toContain(sent[0]!.id);
    // The RED report is in no manifest of an organisation it does not name.
    const manifest = await taxii(
      `/taxii2/api/collections/${COORDINATED_COLLECTION_ID}/manifest/?limit=1000`,
      c.keys.reader,
    );
    expect(manifest.status).toBe(200);
    const redObjects = (await pageAll(objectsPath(COORDINATED_COLLECTION_ID), b.keys.reader)).items
      .filter((o) => o.type === 'report' && alertOf(o) === red)
      .map((o) => o.id as string);
    expect(redObjects).toHaveLength(1);
    expect(JSON.stringify(manifest.body)).not.toContain(redObjects[0]);
  });
});

describe('an anonymous alert', () => {
  it('names its submitter to no other organisation, in objects or manifest, and to the submitter it does', async () => {
    const [id] = await submitAlerts(hub, [
      { key: a.keys.operator, body: buildAlert({ title: 'anonymous tip', tlp: 'GREEN', attribution: 'anonymous' }) },
    ]);
    await waitPublished(a, [id!]);
    const forB = (await pageAll(objectsPath(ALL_COLLECTION_ID), b.keys.reader)).items;
    const report = forB.find((o) => o.type === 'report' && alertOf(o) === id);
    expect(report).toMatchObject({ name: 'anonymous tip' });
    const ofAlert = JSON.stringify(
      forB.filter((o) => o.created_by_ref === report.created_by_ref || o.id === report.created_by_ref),
    );
    for (const token of [a.id, a.name]) {
      expect(ofAlert.toLowerCase().includes(token.toLowerCase())).toBe(false);
    }
    const forA = (await pageAll(objectsPath(INBOX_COLLECTION_ID), a.keys.reader)).items;
    const own = forA.find((o) => o.type === 'report' && alertOf(o) === id);
    const identity = forA.find((o) => o.id === own.created_by_ref);
    expect(identity).toMatchObject({ type: 'identity', name: a.name });
  });
});

describe('versions and revocation', () => {
  it('gives an update a new modified version, lists every version, and marks a revoked alert revoked', async () => {
    const [id] = await submitAlerts(hub, [
      { key: a.keys.operator, body: buildAlert({ title: 'to be revised', tlp: 'GREEN' }) },
    ]);
    await waitPublished(a, [id!]);
    const reportOf = async (query = '') => {
      const { items } = await pageAll(objectsPath(INBOX_COLLECTION_ID, `?match[type]=report${query}`), a.keys.reader);
      return items.filter((o) => alertOf(o) === id);
    };
    const [v1] = await reportOf();
    expect(v1).toMatchObject({ name: 'to be revised' });
    const patched = await hub.http('PATCH', `/api/v1/alerts/${id!}`, a.keys.operator, { title: 'revised' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const last = await reportOf();
    expect(last).toHaveLength(1);
    expect(last[0]).toMatchObject({ id: v1.id, name: 'revised', created: v1.created });
    expect(last[0].modified > v1.modified).toBe(true);
    expect((await reportOf('&match[version]=first'))[0]).toEqual(v1);
    expect((await reportOf('&match[version]=all')).map((o) => o.modified)).toEqual([v1.modified, last[0].modified]);
    expect((await reportOf(`&match[version]=${v1.modified as string}`))[0]).toEqual(v1);
    const versions = await pageAll(`${objectsPath(INBOX_COLLECTION_ID)}${v1.id as string}/versions/`, a.keys.reader);
    expect(versions.items).toEqual([v1.modified, last[0].modified]);

    const revoked = await hub.http('POST', `/api/v1/alerts/${id!}/revoke`, a.keys.operator, {
      reason: 'false positive',
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const after = await pageAll(`${objectsPath(INBOX_COLLECTION_ID)}${v1.id as string}/`, a.keys.reader);
    expect(after.items).toHaveLength(1);
    expect(after.items[0]).toMatchObject({ id: v1.id, revoked: true, name: 'revised' });
    const all = await pageAll(`${objectsPath(INBOX_COLLECTION_ID)}${v1.id as string}/versions/`, a.keys.reader);
    expect(all.items).toHaveLength(3);
    const forB = await pageAll(objectsPath(ALL_COLLECTION_ID, `?match[id]=${v1.id as string}`), b.keys.reader);
    expect(forB.items).toEqual(after.items);
  });
});

describe('paging while alerts keep arriving', () => {
  it('never misses or repeats an object, paging by next or by added_after', async () => {
    const e = await seedOrg(hub, { trustLevel: 3, country: 'BE' });
    const path = objectsPath(INBOX_COLLECTION_ID);
    const bodies = Array.from({ length: 60 }, (_, i) => ({
      key: e.keys.operator,
      body: buildAlert({
        title: `burst ${i}`,
        tlp: i % 3 === 0 ? 'AMBER' : 'GREEN',
        indicators: [
          { type: 'ipv4', value: `203.0.113.${i}` },
          { type: 'domain', value: `burst-${i}.example.org` },
        ],
      }),
    }));
    const byNext: string[] = [];
    const byAddedAfter: string[] = [];
    // Client 1 follows `next` while `more`; once drained it polls by the last X-TAXII-Date-Added-Last it saw (a
    // `next` is only given with more). Client 2 pages by added_after alone.
    let next: string | null = null;
    let lastSeen: string | null = null;
    let addedAfter: string | null = null;
    const key = (o: { id: string; modified?: string }) => `${o.id}@${o.modified ?? ''}`;
    const step = async () => {
      const q1 = next ? `&next=${next}` : lastSeen ? `&added_after=${lastSeen}` : '';
      const r1 = await taxii(`${path}?limit=7${q1}`, e.keys.reader);
      expect(r1.status).toBe(200);
      byNext.push(...((r1.body.objects ?? []) as { id: string }[]).map(key));
      lastSeen = r1.headers.get('x-taxii-date-added-last') ?? lastSeen;
      next = r1.body.more ? (r1.body.next as string) : null;
      const r2 = await taxii(`${path}?limit=5${addedAfter ? `&added_after=${addedAfter}` : ''}`, e.keys.reader);
      expect(r2.status).toBe(200);
      byAddedAfter.push(...((r2.body.objects ?? []) as { id: string }[]).map(key));
      addedAfter = r2.headers.get('x-taxii-date-added-last') ?? addedAfter;
      return { nextMore: r1.body.more === true, addedMore: r2.body.more === true };
    };
    // Both clients keep paging until every alert is submitted and published, then drain.
    let publishing = true;
    const publisher = submitAlerts(hub, bodies, 4)
      .then((ids) => waitPublished(e, ids))
      .finally(() => {
        publishing = false;
      });
    while (publishing) {
      await step();
    }
    await publisher;
    for (let i = 0; i < 500; i++) {
      const { nextMore, addedMore } = await step();
      if (!nextMore && !addedMore) {
        break;
      }
    }
    // A last poll once everything is published: a client that stopped at more=false resumes from where it was.
    await step();
    const expected = (await pageAll(path, e.keys.reader, 1_000)).items.map(key);
    expect(expected.length).toBe(60 * 4);
    expect(new Set(expected).size).toBe(expected.length);
    expect(byNext).toEqual(expected);
    expect(byAddedAfter).toEqual(expected);
  });
});

describe('rate limits and failed authentications on TAXII', () => {
  const READS = 20;
  let limited: TestHub;

  beforeAll(async () => {
    limited = await startTestHub({
      env: { TOCSIN_RATE_LIMIT_READS_PER_MINUTE: String(READS), TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' },
    });
  }, 120_000);

  afterAll(async () => {
    await limited?.close();
  });

  it("counts TAXII reads in the organisation's reads bucket and failed Basic keys against the address", async () => {
    const org = await seedOrg(limited, { trustLevel: 3 });
    const get = (auth: string) =>
      limited.http('GET', '/taxii2/api/collections/', null, undefined, { accept: TAXII, authorization: auth });
    const statuses: number[] = [];
    for (let i = 0; i < READS; i++) {
      statuses.push((await get(i % 2 === 0 ? basic(org.keys.reader) : `Bearer ${org.keys.reader}`)).status);
    }
    expect(statuses).toEqual(Array<number>(READS).fill(200));
    const refused = await get(basic(org.keys.reader, 'opencti'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe(TAXII);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ http_status: '429', error_code: 'rate-limited' });
    // The same bucket as the REST API's reads.
    expect((await limited.http('GET', '/api/v1/subscriptions', org.keys.operator)).status).toBe(429);

    const other = await seedOrg(limited, { trustLevel: 3 });
    for (let i = 0; i < 3; i++) {
      expect((await get(basic(`${other.keys.reader}x`))).status).toBe(401);
    }
    // Past the address's failed-authentication limit even a good key waits.
    expect((await get(basic(other.keys.reader))).status).toBe(429);
  });
});

describe('one meaning of actionable over TAXII', () => {
  it("serves an alert's REST export objects: an indicator exactly for each actionable value, the others as SCOs", async () => {
    const r = await hub.http(
      'POST',
      '/api/v1/alerts',
      a.keys.operator,
      buildAlert({
        title: 'TAXII actionable',
        tlp: 'GREEN',
        indicators: [
          { type: 'ipv4', value: '8.8.4.5' }, // public, on no list
          { type: 'ipv4', value: '10.1.2.3' }, // warning-listed (RFC 1918)
          { type: 'domain', value: 'c2.example.net' }, // warning-listed (special-use name)
          { type: 'ipv4', value: '999.1.1.1' }, // rejected
        ],
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const id = r.body.id as string;
    await waitPublished(a, [id]);

    const rest = await hub.http('GET', `/api/v1/alerts/${id}/indicators`, b.keys.reader);
    expect(rest.status).toBe(200);
    const items = rest.body.items as { canonicalValue: string | null; actionable: boolean }[];
    expect(items.filter((i) => i.actionable).map((i) => i.canonicalValue)).toEqual(['8.8.4.5']);

    const exported = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, b.keys.reader);
    expect(exported.status).toBe(200);
    const objects = exported.body.objects as any[];
    const report = objects.find((o) => o.type === 'report');
    const own = new Set<string>([report.id, ...(report.object_refs as string[])]);
    const { items: all } = await pageAll(objectsPath(ALL_COLLECTION_ID), b.keys.reader);
    const served = all.filter((o) => own.has(o.id));
    // The same objects as the REST export (the shared marking, extension and Tocsin identity objects aside).
    expect(new Set(served.map((o) => o.id as string))).toEqual(own);
    expect(served.filter((o) => o.type === 'indicator').map((o) => o.pattern)).toEqual([
      "[ipv4-addr:value = '8.8.4.5']",
    ]);
    // An SCO's id is its value's (STIX §2.9), so another alert naming the same value serves the same object too.
    const observed = served.filter((o) => o.type === 'ipv4-addr' || o.type === 'domain-name');
    expect(new Set(observed.map((o) => o.value as string))).toEqual(new Set(['10.1.2.3', 'c2.example.net']));
  });
});
