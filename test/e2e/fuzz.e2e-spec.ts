import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { startTestHub, type TestHub } from '../harness/hub';

/**
 * Thousands of malformed bodies of each format over real HTTP: every answer is a 4xx problem document that
 * says what is wrong; never a 5xx, never a crashed worker.
 */
const RUNS = 1000;
const fixture = (p: string) => readFileSync(resolve(__dirname, '../fixtures', p), 'utf8');

let hub: TestHub;
let sender: SeededOrg;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3 });
});

afterAll(async () => {
  await hub?.close();
});

async function expect4xx(body: string, contentType: string, query = '?title=fuzz'): Promise<void> {
  const r = await hub.http('POST', `/api/v1/alerts${query}`, sender.keys.operator, body, {
    'content-type': contentType,
  });
  expect(
    r.status,
    `${contentType} ${body.slice(0, 200)} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`,
  ).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  expect(typeof r.body.type).toBe('string');
  expect(typeof r.body.detail).toBe('string');
}

/** A document cut short anywhere before its end is never valid JSON. */
const truncated = (doc: string) => fc.integer({ min: 0, max: doc.length - 2 }).map((n) => doc.slice(0, n));

/** A JSON document whose structure is wrong for the format: valid JSON, wrong shape. */
const wrongShape = fc.oneof(
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
);

describe('fuzzing POST /api/v1/alerts with malformed bodies', () => {
  const stix = fixture('stix/oasis-poisonivy-report.json');
  const misp = fixture('misp/pymisp-circl-osint-fallchill-to_delete2.json');

  it.each([
    [
      'native JSON',
      'application/json',
      truncated(
        JSON.stringify({
          title: 'x',
          severity: 'low',
          tlp: 'GREEN',
          indicators: [{ type: 'ipv4', value: '198.51.100.1' }],
        }),
      ),
    ],
    ['STIX 2.1', 'application/stix+json', truncated(stix)],
    ['MISP', 'application/misp+json', truncated(misp)],
  ])('answers a 4xx to %s cut short anywhere', { timeout: 120_000 }, async (_l, ct, gen) => {
    await fc.assert(
      fc.asyncProperty(gen, (body) => expect4xx(body, ct)),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['native JSON', 'application/json'],
    ['STIX 2.1', 'application/stix+json'],
    ['MISP', 'application/misp+json'],
  ])('answers a 4xx to %s documents of the wrong shape', { timeout: 120_000 }, async (_l, ct) => {
    await fc.assert(
      fc.asyncProperty(wrongShape, (doc) => expect4xx(JSON.stringify(doc), ct, '')),
      { numRuns: RUNS },
    );
  });

  it('answers a 4xx to CSV lists with an unterminated quote', { timeout: 120_000 }, async () => {
    const row = fc
      .tuple(fc.constantFrom('ipv4', 'domain', 'url', ''), fc.stringMatching(/^[a-z0-9.:/]{1,30}$/))
      .map(([t, v]) => `${t},${v}`);
    const gen = fc.tuple(
      fc.array(row, { maxLength: 20 }),
      fc.stringMatching(/^[a-z0-9.]{0,20}$/),
      fc.array(row, { maxLength: 5 }),
    );
    await fc.assert(
      fc.asyncProperty(gen, ([before, broken, after]) =>
        expect4xx(['type,value', ...before, `domain,"${broken}`, ...after].join('\n'), 'text/csv'),
      ),
      { numRuns: RUNS },
    );
  });

  it('answers a 4xx to IntelMQ lines that are not JSON objects', { timeout: 120_000 }, async () => {
    const bad = fc.oneof(
      fc.stringMatching(/^[^{\n#][^\n]{0,40}$/).filter((l) => l.trim().length > 0),
      fc
        .jsonValue({ maxDepth: 1 })
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => JSON.stringify(v)),
    );
    const good = fc.constant(JSON.stringify({ 'source.ip': '198.51.100.9', 'classification.type': 'c2-server' }));
    await fc.assert(
      fc.asyncProperty(fc.array(good, { maxLength: 5 }), bad, (lines, b) =>
        expect4xx([...lines, b].join('\n'), 'application/x-ndjson'),
      ),
      { numRuns: RUNS },
    );
  });

  it('answers a 4xx to random bytes sent as each JSON format', { timeout: 120_000 }, async () => {
    const ct = fc.constantFrom('application/json', 'application/stix+json', 'application/misp+json');
    const garbage = fc.string({ minLength: 1, maxLength: 200 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    });
    await fc.assert(
      fc.asyncProperty(garbage, ct, (body, c) => expect4xx(body, c)),
      { numRuns: RUNS },
    );
  });
});

/**
 * Every route the API serves, read from its own OpenAPI document, under generated junk: path ids (malformed,
 * missing, real ones of two organisations), query parameters (unknown, repeated, huge numbers, U+0000), bodies
 * (wrong shapes and types, U+0000 and lone surrogates, huge numbers, deep nesting, every media type), sent with
 * two organisations' keys of every role, the hub admin's, a junk key and none. No answer is a 5xx; every error is
 * a problem document with a valid problem type; the hub is healthy afterwards.
 */
describe('fuzzing every route', () => {
  type Route = { method: string; path: string };
  let routes: Route[];
  let keys: (string | null)[];
  let ids: string[];
  let other: SeededOrg;
  let spare: SeededOrg;
  const failures: string[] = [];

  beforeAll(async () => {
    const doc = await hub.http('GET', '/api/openapi.json', null);
    expect(doc.status).toBe(200);
    routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
    other = await seedOrg(hub, { trustLevel: 2 });
    const coordinator = await seedOrg(hub, { trustLevel: 4 });
    spare = await seedOrg(hub, { trustLevel: 1 });
    const orgs = await hub.http('GET', '/api/v1/orgs?limit=1000', hub.adminKey);
    const hubOrgId = orgs.body.items.find((o: { isHub: boolean }) => o.isHub).id as string;
    const a = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, {
      title: 'fuzz target',
      severity: 'low',
      tlp: 'GREEN',
      indicators: [{ type: 'ipv4', value: '198.51.100.77' }],
    });
    const b = await hub.http('POST', '/api/v1/alerts', other.keys.operator, {
      title: 'fuzz target 2',
      severity: 'high',
      tlp: 'RED',
      recipients: [sender.id],
      indicators: [{ type: 'domain', value: 'fuzz.example.net' }],
    });
    expect([a.status, b.status]).toEqual([202, 202]);
    keys = [
      ...Object.values(sender.keys),
      ...Object.values(other.keys),
      coordinator.keys.vetter,
      hub.adminKey,
      null,
      'tcs_AAAAAAAAAAAA_junk',
      'not a key at all',
    ];
    // Key ids only of a spare organisation: the sweep may revoke them without locking itself out.
    ids = [a.body.id, b.body.id, sender.id, other.id, spare.id, hubOrgId, ...Object.values(spare.keyIds)];
  });

  /** Percent-encodes anything, lone surrogates included (sent as bytes that are not UTF-8). */
  const pct = (s: string): string => {
    try {
      return encodeURIComponent(s);
    } catch {
      return [...s].map((ch) => (/[\uD800-\uDFFF]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
    }
  };

  const NUL = '\u0000';
  const junkText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      '',
      NUL,
      `a${NUL}b`,
      '\uD800',
      '..',
      '%',
      '-1',
      '0',
      '1e309',
      '99999999999999999999999',
      'null',
      'true',
      ' ',
    ),
    fc.stringMatching(/^[a-z0-9-]{1,40}$/),
  );
  const idArb = () => fc.oneof(fc.constantFrom(...ids), fc.uuid(), junkText);
  const queryArb = fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        'limit',
        'cursor',
        'status',
        'format',
        'title',
        'description',
        'tlp',
        'severity',
        'recipients',
        'orgId',
      ),
      junkText,
    ),
    fc.oneof(junkText, fc.array(junkText, { minLength: 2, maxLength: 3 })),
    { maxKeys: 4 },
  );
  const fieldNames = [
    'title',
    'description',
    'severity',
    'tlp',
    'recipients',
    'indicators',
    'reason',
    'decision',
    'type',
    'indicator',
    'trustLevel',
    'name',
    'country',
    'sector',
    'role',
    'label',
    'validUntil',
    'confidence',
    'classification',
  ];
  const jsonJunk = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(NUL, '\uD800', 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 4.5, 2 ** 53),
    fc.array(fc.record({ type: junkText, value: junkText }), { maxLength: 3 }),
  );
  const bodyArb = fc.oneof(
    fc.record({ json: fc.dictionary(fc.constantFrom(...fieldNames), jsonJunk, { maxKeys: 6 }) }),
    fc.record({ json: fc.jsonValue({ maxDepth: 4 }) }),
    fc.record({
      raw: fc.oneof(
        junkText,
        fc.constantFrom(
          '{"trustLevel": 1e400, "reason": "x"}',
          '{"limit": 123456789012345678901234567890}',
          '{"title": "\\u0000", "reason": "\\ud800"}',
          '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}',
          `${'['.repeat(5000)}${']'.repeat(5000)}`,
          `{"title": "${'x'.repeat(70_000)}"}`,
          'type,value\nipv4,1.2.3.4\x00\n',
          '{"source.ip": "192.0.2.1"}\n{"source.fqdn": "a\\u0000.example"}',
        ),
      ),
      contentType: fc.constantFrom(
        'application/json',
        'application/stix+json',
        'application/misp+json',
        'text/csv',
        'text/plain',
        'application/x-ndjson',
        'application/octet-stream',
      ),
    }),
    fc.constant({}),
  );

  function pathFor(template: string, id: () => string): string {
    return template.replace(/\{[^}]+\}/g, () => pct(id()));
  }

  function queryString(q: Record<string, string | string[]>): string {
    const parts = Object.entries(q).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${pct(k)}=${pct(x)}`));
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  }

  async function send(
    route: Route,
    path: string,
    key: string | null,
    body: { json?: unknown; raw?: string; contentType?: string },
  ): Promise<void> {
    const payload = route.method === 'GET' ? undefined : 'json' in body ? JSON.stringify(body.json) : body.raw;
    const headers: Record<string, string> =
      'json' in body
        ? { 'content-type': 'application/json' }
        : body.contentType
          ? { 'content-type': body.contentType }
          : {};
    const r = await hub.http(route.method, path, key, payload, headers);
    const problem =
      r.status < 400 ||
      (r.headers.get('content-type')?.includes('application/problem+json') &&
        /^urn:tocsin:problem:[a-z0-9]+(-[a-z0-9]+)*$/.test(r.body?.type));
    if (r.status >= 500 || !problem) {
      failures.push(
        `${route.method} ${path} ${String(payload).slice(0, 120)} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
      );
    }
  }

  it('reads every route from the OpenAPI document', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'POST /api/v1/alerts',
      'GET /api/v1/alerts/{id}',
      'PATCH /api/v1/alerts/{id}',
      'POST /api/v1/alerts/{id}/review',
      'POST /api/v1/alerts/{id}/revoke',
      'POST /api/v1/alerts/{id}/sightings',
      'GET /api/v1/alerts/{id}/export',
      'GET /api/v1/alerts/{id}/indicators',
      'GET /api/v1/orgs/{id}',
      'PATCH /api/v1/orgs/{id}',
      'DELETE /api/v1/orgs/{id}/keys/{keyId}',
      'POST /api/v1/coordinated-alerts/{id}/close',
      'GET /api/v1/audit',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('answers every route, every key and malformed ids without a 5xx', { timeout: 300_000 }, async () => {
    const junkIds = [
      'not-a-uuid',
      NUL,
      '\uD800',
      "1' OR '1'='1",
      '00000000-0000-0000-0000-000000000000',
      'a'.repeat(500),
    ];
    // A body each route would accept, so that the id is what gets checked, and a body no route accepts.
    const valid: Record<string, unknown> = {
      'POST /api/v1/alerts': { title: 'x', tlp: 'GREEN', indicators: [{ value: '192.0.2.1' }] },
      'PATCH /api/v1/alerts/{id}': { title: 'x' },
      'POST /api/v1/alerts/{id}/revoke': { reason: 'x' },
      'POST /api/v1/alerts/{id}/review': { decision: 'approve', reason: 'x' },
      'POST /api/v1/alerts/{id}/sightings': { type: 'sighting' },
      'POST /api/v1/coordinated-alerts/{id}/close': { reason: 'x' },
      'POST /api/v1/orgs': { name: 'x', country: 'FR', trustLevel: 2 },
      'PATCH /api/v1/orgs/{id}': { trustLevel: 2, reason: 'x' },
      'POST /api/v1/orgs/{id}/keys': { role: 'reader' },
    };
    for (const route of routes) {
      for (const key of keys) {
        for (const id of [...junkIds, ids[0]!]) {
          const path = pathFor(route.path, () => id);
          await send(route, path, key, { json: valid[`${route.method} ${route.path}`] ?? {} });
          await send(route, path, key, { json: { reason: `r${NUL}`, title: 1e308 } });
        }
      }
    }
    expect(failures.length, failures.slice(0, 10).join('\n')).toBe(0);
  });

  it('answers generated junk on every route without a 5xx', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...keys),
        fc.array(idArb(), { minLength: 2, maxLength: 2 }),
        queryArb,
        bodyArb,
        async (route, key, [id1, id2], query, body) => {
          const queue = [id1!, id2!];
          await send(route, pathFor(route.path, () => queue.shift() ?? '') + queryString(query), key, body);
        },
      ),
      { numRuns: 2 * RUNS },
    );
    expect(failures.length, failures.slice(0, 10).join('\n')).toBe(0);
  });

  it('is healthy after the sweep', async () => {
    const r = await hub.http('GET', '/api/v1/health', null);
    expect(r.status).toBe(200);
  });
});
