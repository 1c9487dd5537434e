import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_COLLECTION_ID, INBOX_COLLECTION_ID } from '@tocsin/taxii';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { startTestHub, type HttpResult, type TestHub } from '../harness/hub';

const TAXII = 'application/taxii+json;version=2.1';
const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const OBJECTS = `/taxii2/api/collections/${INBOX_COLLECTION_ID}/objects/`;

let hub: TestHub;
let sender: SeededOrg;
let receiver: SeededOrg;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
});

afterAll(async () => {
  await hub?.close();
});

const basic = (key: string) => `Basic ${Buffer.from(`misp:${key}`).toString('base64')}`;

function taxii(method: string, path: string, key: string | null, body?: unknown, headers: Record<string, string> = {}) {
  return hub.http(method, path, null, body === undefined ? undefined : JSON.stringify(body), {
    accept: TAXII,
    ...(body === undefined ? {} : { 'content-type': TAXII }),
    ...(key === null ? {} : { authorization: basic(key) }),
    ...headers,
  });
}

const indicator = (pattern: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2026-12-01T08:00:00.000Z',
  modified: '2026-12-01T09:00:00.000Z',
  name: 'C2 server',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-12-01T08:00:00Z',
  object_marking_refs: [TLP_GREEN],
  ...extra,
});

const report = (title: string, refs: string[]) => ({
  type: 'report',
  spec_version: '2.1',
  id: `report--${randomUUID()}`,
  created: '2026-12-01T08:00:00.000Z',
  modified: '2026-12-01T09:30:00.000Z',
  name: title,
  published: '2026-12-01T09:30:00Z',
  object_refs: refs,
  object_marking_refs: [TLP_GREEN],
});

async function complete(statusId: string, key = sender.keys.operator): Promise<any> {
  return eventually(async () => {
    const r = await taxii('GET', `/taxii2/api/status/${statusId}/`, key);
    expect(r.status).toBe(200);
    if (r.body.pending_count !== 0) {
      throw new Error(`status ${statusId} still pending`);
    }
    return r.body;
  }, 30_000);
}

async function findAlert(title: string, key: string): Promise<any> {
  const r = await hub.http('GET', `/api/v1/alerts?q=${encodeURIComponent(title)}`, key);
  expect(r.status).toBe(200);
  return (r.body.items as any[]).find((a) => a.title === title);
}

function expectTaxiiError(r: HttpResult, status: number): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/taxii\+json/);
}

describe('POST /taxii2/api/collections/{inbox}/objects/', () => {
  it('turns an envelope into a published alert; the status goes from pending to complete with every object a success', async () => {
    const title = `TAXII push ${randomUUID().slice(0, 8)}`;
    const ind = indicator("[ipv4-addr:value = '198.51.100.77']");
    const rep = report(title, [ind.id]);
    const r = await taxii('POST', OBJECTS, sender.keys.operator, { objects: [rep, ind] });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.headers.get('content-type')).toMatch(/^application\/taxii\+json;\s*version=2\.1/);
    expect(r.body).toMatchObject({ total_count: 2, failure_count: 0 });
    expect(r.body.success_count + r.body.pending_count).toBe(2);
    expect(typeof r.body.request_timestamp).toBe('string');

    const status = await complete(r.body.id);
    expect(status).toMatchObject({ id: r.body.id, status: 'complete', total_count: 2, success_count: 2 });
    expect(status.successes.map((s: any) => [s.id, s.version]).sort()).toEqual(
      [
        [rep.id, rep.modified],
        [ind.id, ind.modified],
      ].sort(),
    );
    const seen = await eventually(async () => {
      const a = await findAlert(title, receiver.keys.reader);
      if (!a) {
        throw new Error('not visible yet');
      }
      return a;
    });
    expect(seen).toMatchObject({ status: 'published', tlp: 'GREEN', sourceFormat: 'stix', indicatorCount: 1 });
    // And TAXII readers get it back: the other organisation finds the address in the "all alerts" collection (as an
    // indicator, or as a bare ipv4-addr when the warning lists flag this documentation range).
    const objects = await taxii(
      'GET',
      `/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/?limit=1000`,
      receiver.keys.reader,
    );
    expect(objects.status, JSON.stringify(objects.body)).toBe(200);
    const holds = (o: any) => o.value === '198.51.100.77' || String(o.pattern).includes("'198.51.100.77'");
    expect((objects.body.objects as any[]).some(holds)).toBe(true);
  });

  it('accepts a bearer key as well as Basic', async () => {
    const r = await taxii(
      'POST',
      OBJECTS,
      null,
      { objects: [indicator("[domain-name:value = 'c2.example.org']")] },
      {
        authorization: `Bearer ${sender.keys.operator}`,
      },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(202);
  });

  it('reports the objects the importer refuses as failures with its reason, and publishes the rest', async () => {
    const title = `TAXII mixed ${randomUUID().slice(0, 8)}`;
    const good = indicator("[ipv4-addr:value = '198.51.100.78']");
    const broken = indicator("[ipv4-addr:value = '198.51.100.79'");
    const sigma = indicator('title: x', { pattern_type: 'sigma' });
    const { spec_version: _, ...stix20 } = indicator("[ipv4-addr:value = '198.51.100.80']");
    const rep = report(title, [good.id]);
    const r = await taxii('POST', OBJECTS, sender.keys.operator, { objects: [rep, good, broken, sigma, stix20] });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.failure_count).toBe(2);

    const status = await complete(r.body.id);
    expect(status).toMatchObject({ total_count: 5, success_count: 3, failure_count: 2, pending_count: 0 });
    const failure = (id: string) => status.failures.find((f: any) => f.id === id);
    expect(failure(broken.id).message).toMatch(/^\/pattern: .*offset \d+/);
    expect(failure(stix20.id).message).toContain('STIX 2.0 is not supported');
    const sigmaSuccess = status.successes.find((s: any) => s.id === sigma.id);
    expect(sigmaSuccess.message).toContain('pattern_type');
    await expect(findAlert(title, sender.keys.reader)).resolves.toMatchObject({ indicatorCount: 1 });
  });

  it('answers 415 for another media type, 422 for a body that is no envelope, 406 for an Accept it cannot meet', async () => {
    const body = JSON.stringify({ objects: [indicator("[ipv4-addr:value = '198.51.100.81']")] });
    expectTaxiiError(
      await hub.http('POST', OBJECTS, null, body, {
        accept: TAXII,
        'content-type': 'application/json',
        authorization: basic(sender.keys.operator),
      }),
      415,
    );
    expectTaxiiError(await taxii('POST', OBJECTS, sender.keys.operator, { objects: [{ type: 'indicator' }] }), 422);
    expectTaxiiError(
      await taxii('POST', OBJECTS, sender.keys.operator, JSON.parse(body), { accept: 'text/html' }),
      406,
    );
  });

  it('answers 413 for an envelope of more objects than it takes, and creates nothing', async () => {
    const title = `TAXII too many ${randomUUID().slice(0, 8)}`;
    const objects = Array.from({ length: 10_001 }, (_, i) =>
      indicator(`[ipv4-addr:value = '45.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`),
    );
    const r = await taxii('POST', OBJECTS, sender.keys.operator, { objects: [report(title, []), ...objects] });
    expectTaxiiError(r, 413);
    expect(r.body).toMatchObject({ http_status: '413' });
    expect(await findAlert(title, sender.keys.reader)).toBeUndefined();
  });

  it('answers 401 with a Basic challenge without a key, 403 to a reader key', async () => {
    const envelope = { objects: [indicator("[ipv4-addr:value = '198.51.100.82']")] };
    const none = await taxii('POST', OBJECTS, null, envelope);
    expectTaxiiError(none, 401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expectTaxiiError(await taxii('POST', OBJECTS, sender.keys.reader, envelope), 403);
  });

  it('answers 404 for an unknown collection and 403 for a read-only one', async () => {
    const envelope = { objects: [indicator("[ipv4-addr:value = '198.51.100.83']")] };
    expectTaxiiError(
      await taxii('POST', `/taxii2/api/collections/${randomUUID()}/objects/`, sender.keys.operator, envelope),
      404,
    );
    expectTaxiiError(
      await taxii('POST', `/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/`, sender.keys.operator, envelope),
      403,
    );
  });
  it('counts an alert held for review as a success that says so, and its rejection as a failure with the reason', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1, country: 'LU' });
    const coordinator = await seedOrg(hub, { trustLevel: 4, country: 'BE' });
    const title = `TAXII held ${randomUUID().slice(0, 8)}`;
    const ind = indicator("[ipv4-addr:value = '198.51.100.86']");
    const r = await taxii('POST', OBJECTS, provisional.keys.operator, { objects: [report(title, [ind.id]), ind] });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const held = await complete(r.body.id, provisional.keys.operator);
    expect(held).toMatchObject({ success_count: 2, failure_count: 0 });
    expect(held.successes.map((s: any) => s.message)).toEqual([
      'held for review before it is shared',
      'held for review before it is shared',
    ]);

    const alert = await findAlert(title, provisional.keys.reader);
    const review = await hub.http('POST', `/api/v1/alerts/${alert.id}/review`, coordinator.keys.vetter, {
      decision: 'reject',
      reason: 'a sinkholed address',
    });
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    const rejected = await complete(r.body.id, provisional.keys.operator);
    expect(rejected).toMatchObject({ success_count: 0, failure_count: 2 });
    expect(rejected.failures[0].message).toBe('rejected in review: a sinkholed address');
  });
});

describe('GET /taxii2/api/status/{id}/', () => {
  it('shows a status to the organisation that sent it only', async () => {
    const r = await taxii('POST', OBJECTS, sender.keys.operator, {
      objects: [indicator("[ipv4-addr:value = '198.51.100.84']")],
    });
    expect(r.status).toBe(202);
    await complete(r.body.id, sender.keys.reader);
    expectTaxiiError(await taxii('GET', `/taxii2/api/status/${r.body.id}/`, receiver.keys.operator), 404);
    expectTaxiiError(await taxii('GET', `/taxii2/api/status/${randomUUID()}/`, sender.keys.operator), 404);
    expectTaxiiError(await taxii('GET', '/taxii2/api/status/not-a-uuid/', sender.keys.operator), 404);
  });
});

describe('DELETE /taxii2/api/collections/{inbox}/objects/{id}/', () => {
  it('revokes the alert an object the caller’s organisation added went into; others get 404, read-only collections 403', async () => {
    const title = `TAXII delete ${randomUUID().slice(0, 8)}`;
    const ind = indicator("[ipv4-addr:value = '198.51.100.85']");
    const r = await taxii('POST', OBJECTS, sender.keys.operator, { objects: [report(title, [ind.id]), ind] });
    expect(r.status).toBe(202);
    await complete(r.body.id);
    const path = `${OBJECTS}${ind.id}/`;

    expectTaxiiError(await taxii('DELETE', path, receiver.keys.operator), 404);
    expectTaxiiError(await taxii('DELETE', path, sender.keys.reader), 403);
    expectTaxiiError(
      await taxii('DELETE', `/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/${ind.id}/`, sender.keys.operator),
      403,
    );
    expectTaxiiError(
      await taxii('DELETE', `${path}?match[version]=2020-01-01T00:00:00.000Z`, sender.keys.operator),
      404,
    );

    const gone = await taxii('DELETE', path, sender.keys.operator);
    expect(gone.status, JSON.stringify(gone.body)).toBe(200);
    await expect(findAlert(title, sender.keys.reader)).resolves.toMatchObject({ status: 'revoked' });
    const status = await complete(r.body.id);
    expect(status.successes.every((s: any) => s.message === 'added; the alert has since been revoked')).toBe(true);
    expectTaxiiError(await taxii('DELETE', path, sender.keys.operator), 404);
  });
});

describe('DELETE by an id the inbox serves', () => {
  it('revokes an alert sent in any format through the ids of its export; an object of another organisation is a 404', async () => {
    const title = `TAXII served delete ${randomUUID().slice(0, 8)}`;
    const sent = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, {
      title,
      tlp: 'GREEN',
      severity: 'high',
      indicators: [{ type: 'domain', value: 'served-delete.badc2-zone.biz' }],
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const alertId = sent.body.id as string;
    /** The ids the inbox serves for the alert: its report and its indicator. */
    const served = await eventually(async () => {
      const r = await taxii('GET', `${OBJECTS}?match[type]=report,indicator&limit=1000`, sender.keys.reader);
      expect(r.status).toBe(200);
      const objects = (r.body.objects ?? []) as any[];
      const rep = objects.find((o) => o.type === 'report' && o.name === title);
      expect(rep).toBeDefined();
      const ind = objects.find((o) => rep.object_refs.includes(o.id) && o.type === 'indicator');
      expect(ind).toBeDefined();
      return { report: rep.id as string, indicator: ind.id as string };
    }, 30_000);
    // The receiver sees the alert in its "all" collection, but it is not its own: 404, as for a missing id.
    expectTaxiiError(await taxii('DELETE', `${OBJECTS}${served.indicator}/`, receiver.keys.operator), 404);
    expectTaxiiError(await taxii('DELETE', `${OBJECTS}${served.indicator}/`, sender.keys.reader), 403);
    expectTaxiiError(
      await taxii('DELETE', `${OBJECTS}${served.indicator}/?match[spec_version]=2.0`, sender.keys.operator),
      404,
    );
    const gone = await taxii('DELETE', `${OBJECTS}${served.indicator}/`, sender.keys.operator);
    expect(gone.status, JSON.stringify(gone.body)).toBe(200);
    const after = await hub.http('GET', `/api/v1/alerts/${alertId}`, sender.keys.reader);
    expect(after.body.status).toBe('revoked');
    // Its objects now come back revoked, and deleting them again (by either id) is a 404.
    const versions = await taxii('GET', `${OBJECTS}${served.report}/`, sender.keys.reader);
    expect(versions.body.objects).toEqual([expect.objectContaining({ id: served.report, revoked: true })]);
    expectTaxiiError(await taxii('DELETE', `${OBJECTS}${served.report}/`, sender.keys.operator), 404);
  });
});

describe('malformed TAXII writes', () => {
  const stixish = fc.record(
    {
      type: fc.oneof(fc.constantFrom('indicator', 'report', 'ipv4-addr', 'bundle'), fc.string({ maxLength: 10 })),
      id: fc.oneof(
        fc.uuid().map((u) => `indicator--${u}`),
        fc.string({ maxLength: 20 }),
        fc.constant(null),
      ),
      spec_version: fc.constantFrom('2.1', '2.0', 2.1, undefined),
      pattern: fc.oneof(fc.string({ maxLength: 40 }), fc.constant("[ipv4-addr:value = '198.51.100.90']")),
      pattern_type: fc.constantFrom('stix', 'sigma', undefined),
      modified: fc.oneof(fc.constant('2026-12-01T09:00:00.000Z'), fc.string({ maxLength: 10 })),
      name: fc.string({ unit: 'binary', maxLength: 20 }),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.record({ objects: fc.array(fc.oneof(stixish, fc.anything()), { maxLength: 6 }) }, { requiredKeys: [] }),
    fc.anything(),
  );

  it('answers no 5xx, and every error as a TAXII error message', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.oneof(fc.constant(INBOX_COLLECTION_ID), fc.stringMatching(/^[a-zA-Z0-9_~-]{1,12}$/)),
        async (b, c) => {
          const r = await taxii(
            'POST',
            `/taxii2/api/collections/${encodeURIComponent(c)}/objects/`,
            sender.keys.operator,
            b,
          );
          expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
          expect(r.headers.get('content-type')).toMatch(/^application\/taxii\+json/);
          if (r.status === 202) {
            expect(r.body.total_count).toBe(r.body.success_count + r.body.failure_count + r.body.pending_count);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('answers no 5xx to junk status and object ids', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 30 }), async (id) => {
        const enc = encodeURIComponent(id.replace(/[\uD800-\uDFFF]/g, 'x'));
        for (const [method, path] of [
          ['GET', `/taxii2/api/status/${enc}/`],
          ['DELETE', `${OBJECTS}${enc}/?match[version]=${enc}`],
        ] as const) {
          const r = await taxii(method, path, sender.keys.operator);
          expect(r.status, `${method} ${path}`).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });
});
