import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { startTestHub, type TestHub } from '../harness/hub';

let hub: TestHub;
let org: SeededOrg;

beforeAll(async () => {
  hub = await startTestHub({
    env: { TOCSIN_MAX_BODY_BYTES: '65536', TOCSIN_MAX_INDICATORS: '50', TOCSIN_MAX_RECIPIENTS: '3' },
  });
  org = await seedOrg(hub, { trustLevel: 3 });
});

afterAll(async () => {
  await hub?.close();
});

const NIL = '00000000-0000-4000-8000-000000000000';

describe('POST /api/v1/alerts with a bad body', () => {
  it.each([
    ['a missing title', { title: undefined }, '/title'],
    ['a blank title', { title: '   ' }, '/title'],
    ['an overlong title', { title: 'x'.repeat(301) }, '/title'],
    ['an unknown severity', { severity: 'urgent' }, '/severity'],
    ['a TLP 1.0 WHITE label', { tlp: 'WHITE' }, '/tlp'],
    ['RED without recipients', { tlp: 'RED' }, '/recipients'],
    ['recipients on a GREEN alert', { recipients: [NIL] }, '/recipients'],
    ['a recipient that is not a UUID', { tlp: 'RED', recipients: ['cert-fr'] }, '/recipients/0'],
    ['a recipient that does not exist', { tlp: 'RED', recipients: [NIL] }, '/recipients/0'],
    [
      'too many recipients',
      {
        tlp: 'RED',
        recipients: [
          NIL,
          NIL.replace('0000-4', '0001-4'),
          NIL.replace('0000-4', '0002-4'),
          NIL.replace('0000-4', '0003-4'),
        ],
      },
      '/recipients',
    ],
    ['indicators that are not an array', { indicators: 'x' }, '/indicators'],
    [
      'an unknown indicator type',
      {
        indicators: [
          { type: 'ipv4', value: '192.0.2.1' },
          { type: 'mutex', value: 'x' },
        ],
      },
      '/indicators/1/type',
    ],
    ['an indicator without value', { indicators: [{ type: 'ipv4' }] }, '/indicators/0/value'],
    [
      'an indicator value over 2,048 characters',
      { indicators: [{ type: 'url', value: 'http://a/' + 'a'.repeat(2100) }] },
      '/indicators/0/value',
    ],
    [
      'more indicators than the limit',
      { indicators: Array.from({ length: 51 }, (_, i) => ({ type: 'ipv4', value: `192.0.2.${i}` })) },
      '/indicators',
    ],
    ['an unknown field', { priority: 1 }, '/priority'],
  ])('answers 400 naming the field for %s', async (_label, patch, pointer) => {
    const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, buildAlert(patch));
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.type).toBe('urn:tocsin:problem:invalid-body');
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    for (const e of r.body.errors) {
      expect(e.detail).toEqual(expect.any(String));
    }
  });

  it('lists every bad field at once', async () => {
    const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, { title: '', severity: 'x', tlp: 'y' });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/severity', '/title', '/tlp']);
  });

  it.each([
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"alert"'],
    ['null', 'null'],
  ])('answers 400 for %s as the body', async (_label, raw) => {
    const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, raw, { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
  });

  it('answers 400 invalid-json for malformed JSON', async () => {
    const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, '{"title": "x",', {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('urn:tocsin:problem:invalid-json');
  });

  it('answers 413 for a body over the configured limit', async () => {
    const big = buildAlert({ description: 'x'.repeat(70_000) });
    const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, big);
    expect(r.status).toBe(413);
    expect(r.body.type).toBe('urn:tocsin:problem:too-large');
  });

  it.each(['application/xml', 'multipart/form-data; boundary=x', 'image/png'])(
    'answers 415 for a %s body',
    async (type) => {
      const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, 'title=x', { 'content-type': type });
      expect(r.status).toBe(415);
      expect(r.body.type).toBe('urn:tocsin:problem:unsupported-media-type');
    },
  );

  it('accepts application/json with a charset', async () => {
    const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, JSON.stringify(buildAlert()), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(r.status).toBe(202);
  });
});

describe('POST /api/v1/orgs with a bad body', () => {
  it.each([
    ['a lower-case country', { country: 'fr' }, '/country'],
    ['an unassigned country code', { country: 'ZZ' }, '/country'],
    ['a trust level of 5', { trustLevel: 5 }, '/trustLevel'],
    ['a fractional trust level', { trustLevel: 2.5 }, '/trustLevel'],
    ['a trust level as a string', { trustLevel: '3' }, '/trustLevel'],
    ['a blank name', { name: ' ' }, '/name'],
    ['an unknown field', { admin: true }, '/admin'],
  ])('answers 400 naming the field for %s', async (_label, patch, pointer) => {
    const body = { name: `CERT ${Math.random()}`, country: 'FR', trustLevel: 2, ...patch };
    const r = await hub.http('POST', '/api/v1/orgs', hub.adminKey, body);
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it('answers 400 naming /role for an unknown key role', async () => {
    const r = await hub.http('POST', `/api/v1/orgs/${org.id}/keys`, hub.adminKey, { role: 'root' });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      { pointer: '/role', detail: expect.stringContaining('admin, vetter, operator, reader') },
    ]);
  });
});

describe('reads', () => {
  it('answers 404 (not 400 or 500) for an alert id that is not a UUID', async () => {
    const r = await hub.http('GET', '/api/v1/alerts/not-a-uuid', org.keys.reader);
    expect(r.status).toBe(404);
    expect(r.body.type).toBe('urn:tocsin:problem:alert-not-found');
  });

  it('answers 400 for a bad paging limit', async () => {
    const r = await hub.http('GET', '/api/v1/orgs?limit=0', hub.adminKey);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].pointer).toBe('/limit');
  });

  it('answers a problem document for an unknown route', async () => {
    const r = await hub.http('GET', '/api/v1/nope', org.keys.reader);
    expect(r.status).toBe(404);
    expect(r.body.type).toBe('urn:tocsin:problem:route-not-found');
  });
});

describe('GET /api/v1/orgs paging', () => {
  it('pages with a cursor and refuses one it did not issue', async () => {
    const first = await hub.http('GET', '/api/v1/orgs?limit=1', hub.adminKey);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBe(first.body.items[0].id);
    const next = await hub.http('GET', `/api/v1/orgs?limit=1&cursor=${first.body.nextCursor}`, hub.adminKey);
    expect(next.body.items[0].id > first.body.items[0].id).toBe(true);
    const bad = await hub.http('GET', '/api/v1/orgs?cursor=zzz', hub.adminKey);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/cursor');
  });
});

describe('text PostgreSQL cannot store (U+0000, an unpaired surrogate)', () => {
  const N = 'x\u0000y';
  let alertId: string;
  let other: SeededOrg;

  beforeAll(async () => {
    other = await seedOrg(hub, { trustLevel: 3 });
    const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, buildAlert());
    expect(r.status).toBe(202);
    alertId = r.body.id;
  });

  const fixture = (p: string) => readFileSync(resolve(__dirname, '../fixtures', p), 'utf8');

  it.each<[string, () => [string, string, string, unknown, Record<string, string>?], string | number]>([
    ['the native title', () => ['POST', '/api/v1/alerts', org.keys.operator, buildAlert({ title: N })], '/title'],
    [
      'the native description (a lone surrogate escape)',
      () => [
        'POST',
        '/api/v1/alerts',
        org.keys.operator,
        JSON.stringify(buildAlert()).replace('"Controllers', '"\\ud800'),
        { 'content-type': 'application/json' },
      ],
      '/description',
    ],
    [
      'an indicator value',
      () => [
        'POST',
        '/api/v1/alerts',
        org.keys.operator,
        buildAlert({ indicators: [{ type: 'domain', value: `evil${N}.example` }] }),
      ],
      '/indicators/0/value',
    ],
    [
      'an indicator comment',
      () => [
        'POST',
        '/api/v1/alerts',
        org.keys.operator,
        buildAlert({ indicators: [{ value: '192.0.2.1', comment: N }] }),
      ],
      '/indicators/0/comment',
    ],
    [
      'a STIX indicator name',
      () => {
        const doc = JSON.parse(fixture('stix/oasis-indicator-for-malicious-url.json')) as {
          objects: Record<string, unknown>[];
        };
        const n = doc.objects.findIndex((o) => o.type === 'indicator');
        doc.objects[n]!.name = N;
        return [
          'POST',
          '/api/v1/alerts',
          org.keys.operator,
          JSON.stringify(doc),
          { 'content-type': 'application/stix+json' },
        ];
      },
      '/objects/0/name',
    ],
    [
      'a MISP event info',
      () => {
        const doc = JSON.parse(fixture('misp/pymisp-circl-osint-xorist-57c4445b.json')) as { Event: { info: string } };
        doc.Event.info = N;
        return [
          'POST',
          '/api/v1/alerts',
          org.keys.operator,
          JSON.stringify(doc),
          { 'content-type': 'application/misp+json' },
        ];
      },
      '/Event/info',
    ],
    [
      'a CSV cell',
      () => [
        'POST',
        '/api/v1/alerts?title=t',
        org.keys.operator,
        `type,value\nipv4,192.0.2.1\ndomain,${N}.example\n`,
        { 'content-type': 'text/csv' },
      ],
      3,
    ],
    [
      'an IntelMQ line (a raw U+0000)',
      () => [
        'POST',
        '/api/v1/alerts?title=t',
        org.keys.operator,
        `${JSON.stringify({ 'source.ip': '192.0.2.1' })}\n{"source.fqdn": "a${'\u0000'}.example.com"}\n`,
        { 'content-type': 'application/x-ndjson' },
      ],
      2,
    ],
    [
      'an IntelMQ line (a \\u0000 escape)',
      () => [
        'POST',
        '/api/v1/alerts?title=t',
        org.keys.operator,
        `${JSON.stringify({ 'source.ip': '192.0.2.1' })}\n${JSON.stringify({ 'source.fqdn': `a${N}.example.com` })}\n`,
        { 'content-type': 'application/x-ndjson' },
      ],
      2,
    ],
    [
      'an alert revision title',
      () => ['PATCH', `/api/v1/alerts/${alertId}`, org.keys.operator, { title: N }],
      '/title',
    ],
    [
      'a revoke reason',
      () => ['POST', `/api/v1/alerts/${alertId}/revoke`, org.keys.operator, { reason: N }],
      '/reason',
    ],
    [
      'a review reason',
      () => ['POST', `/api/v1/alerts/${alertId}/review`, hub.adminKey, { decision: 'reject', reason: N }],
      '/reason',
    ],
    [
      'a sighting indicator',
      () => ['POST', `/api/v1/alerts/${alertId}/sightings`, other.keys.reader, { type: 'sighting', indicator: N }],
      '/indicator',
    ],
    [
      'a coordinated-alert close reason',
      () => ['POST', `/api/v1/coordinated-alerts/${NIL}/close`, hub.adminKey, { reason: N }],
      '/reason',
    ],
    ['an org name', () => ['POST', '/api/v1/orgs', hub.adminKey, { name: N, country: 'FR', trustLevel: 2 }], '/name'],
    [
      'a key label',
      () => ['POST', `/api/v1/orgs/${org.id}/keys`, hub.adminKey, { role: 'reader', label: N }],
      '/label',
    ],
    [
      'a trust-change reason',
      () => ['PATCH', `/api/v1/orgs/${other.id}`, hub.adminKey, { trustLevel: 2, reason: N }],
      '/reason',
    ],
  ])('answers 400 naming %s', async (_label, request, where) => {
    const [method, path, key, body, headers] = request();
    const r = await hub.http(method, path, key, body, headers);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.type).toBe('urn:tocsin:problem:invalid-body');
    if (typeof where === 'number') {
      expect(r.body.errors.map((e: { line?: number }) => e.line)).toEqual([where]);
    } else {
      expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([where]);
    }
    expect(r.body.errors[0].detail).toMatch(/U\+0000/);
  });

  it.each([
    ['a submission title', 'POST', '/api/v1/alerts?title=a%00b', 'title'],
    ['a submission description', 'POST', '/api/v1/alerts?title=t&description=a%00', 'description'],
    ['an org list cursor', 'GET', '/api/v1/orgs?cursor=%00', 'cursor'],
    ['an audit org id', 'GET', '/api/v1/audit?orgId=a%00', 'orgId'],
    ['a coordinated-alert status', 'GET', '/api/v1/coordinated-alerts?status=%00', 'status'],
    ['an export format', 'GET', `/api/v1/alerts/${NIL}/export?format=%00`, 'format'],
  ])('answers 400 invalid-query naming ?param for U+0000 in %s', async (_l, method, path, param) => {
    const body = method === 'POST' ? 'type,value\nipv4,192.0.2.1\n' : undefined;
    const key = method === 'POST' ? org.keys.operator : hub.adminKey;
    const r = await hub.http(method, path, key, body, body ? { 'content-type': 'text/csv' } : {});
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('urn:tocsin:problem:invalid-query');
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([`?${param}`]);
  });

  it('stores nothing for a refused submission', async () => {
    const before = await hub.http('GET', `/api/v1/alerts/${alertId}`, org.keys.operator);
    await hub.http('PATCH', `/api/v1/alerts/${alertId}`, org.keys.operator, { title: N });
    const after = await hub.http('GET', `/api/v1/alerts/${alertId}`, org.keys.operator);
    expect(after.body.title).toBe(before.body.title);
  });
});

describe('ids that are not UUIDs', () => {
  let hubOrgId: string;
  let vetter4: SeededOrg;
  const JUNK = [
    'not-a-uuid',
    '12345',
    "x'--",
    '%00',
    '00000000-0000-4000-8000-00000000000g',
    '%E2%98%83',
    'a'.repeat(300),
  ];

  beforeAll(async () => {
    const orgs = await hub.http('GET', '/api/v1/orgs', hub.adminKey);
    hubOrgId = orgs.body.items.find((o: { isHub: boolean }) => o.isHub).id;
    vetter4 = await seedOrg(hub, { trustLevel: 4 });
  });

  const routes: [string, string, (id: string) => string, () => string, unknown][] = [
    ['GET', 'an alert', (id) => `/api/v1/alerts/${id}`, () => org.keys.reader, undefined],
    ['GET', 'an alert export', (id) => `/api/v1/alerts/${id}/export?format=stix`, () => org.keys.reader, undefined],
    ['GET', 'alert indicators', (id) => `/api/v1/alerts/${id}/indicators`, () => org.keys.reader, undefined],
    ['PATCH', 'an alert', (id) => `/api/v1/alerts/${id}`, () => org.keys.operator, { title: 'New title' }],
    [
      'POST',
      'an alert revocation',
      (id) => `/api/v1/alerts/${id}/revoke`,
      () => org.keys.operator,
      { reason: 'wrong' },
    ],
    ['POST', 'a sighting', (id) => `/api/v1/alerts/${id}/sightings`, () => org.keys.reader, { type: 'sighting' }],
    [
      'POST',
      'a review',
      (id) => `/api/v1/alerts/${id}/review`,
      () => vetter4.keys.vetter,
      { decision: 'approve', reason: 'ok' },
    ],
    ['GET', 'a coordinated alert', (id) => `/api/v1/coordinated-alerts/${id}`, () => org.keys.reader, undefined],
    [
      'POST',
      'a coordinated-alert close',
      (id) => `/api/v1/coordinated-alerts/${id}/close`,
      () => hub.adminKey,
      { reason: 'done' },
    ],
    ['GET', 'an org', (id) => `/api/v1/orgs/${id}`, () => hub.adminKey, undefined],
    ['PATCH', 'an org', (id) => `/api/v1/orgs/${id}`, () => hub.adminKey, { trustLevel: 2, reason: 'x' }],
    ['POST', 'a key for an org', (id) => `/api/v1/orgs/${id}/keys`, () => hub.adminKey, { role: 'reader' }],
    ['GET', 'the keys of an org', (id) => `/api/v1/orgs/${id}/keys`, () => hub.adminKey, undefined],
    ['DELETE', 'a key of an org', (id) => `/api/v1/orgs/${org.id}/keys/${id}`, () => hub.adminKey, undefined],
    ['DELETE', 'a key of the hub org', (id) => `/api/v1/orgs/${hubOrgId}/keys/${id}`, () => hub.adminKey, undefined],
    ['DELETE', 'a key of a malformed org', (id) => `/api/v1/orgs/${id}/keys/${NIL}`, () => hub.adminKey, undefined],
  ];

  it.each(routes)(
    'answers %s %s with a malformed id exactly as with a missing one (404)',
    async (method, _l, path, key, body) => {
      const missing = await hub.http(method, path(NIL), key(), body);
      expect(missing.status).toBe(404);
      const { instance: _i, ...expected } = missing.body;
      for (const junk of JUNK) {
        const r = await hub.http(method, path(junk), key(), body);
        const { instance: _j, ...got } = r.body;
        expect(`${r.status} ${JSON.stringify(got)}`, `${method} ${path(junk)}`).toBe(`404 ${JSON.stringify(expected)}`);
      }
    },
  );
});

describe('RED recipients that may not be named', () => {
  it('gives an unknown, a suspended and a too-low-trust org one and the same answer, naming none', async () => {
    const suspended = await seedOrg(hub, { trustLevel: 0 });
    const low = await seedOrg(hub, { trustLevel: 2 });
    const answers = [];
    for (const id of ['11111111-2222-4333-8444-555555555555', suspended.id, low.id]) {
      const r = await hub.http(
        'POST',
        '/api/v1/alerts',
        org.keys.operator,
        buildAlert({ tlp: 'RED', recipients: [id] }),
      );
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).not.toContain(id);
      const { instance: _i, ...rest } = r.body;
      answers.push(rest);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0].errors).toEqual([
      { pointer: '/recipients/0', detail: 'is not an organisation that may receive this alert' },
    ]);
  });

  it('accepts a recipient at the minimum trust', async () => {
    const ok = await seedOrg(hub, { trustLevel: 3 });
    const r = await hub.http(
      'POST',
      '/api/v1/alerts',
      org.keys.operator,
      buildAlert({ tlp: 'RED', recipients: [ok.id] }),
    );
    expect(r.status).toBe(202);
  });
});
