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
