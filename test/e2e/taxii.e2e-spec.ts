import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_COLLECTION_ID, INBOX_COLLECTION_ID } from '@tocsin/taxii';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { startTestHub, type TestHub } from '../harness/hub';
import type { HttpResult } from '../harness/http';

/**
 * TAXII 2.1 read side (issue 14): discovery, API root, collections, objects, manifest and versions over HTTP, with
 * both auth schemes, TAXII's media types and error messages, and the same visibility as every other path.
 */

const TAXII = 'application/taxii+json;version=2.1';
let hub: TestHub;
let a: SeededOrg;

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
}, 120_000);

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

describe('GET /taxii2/api/collections/', () => {
  it('lists the fixed collections, one writable (the inbox), then one per subscription', async () => {
    const s = await hub.http('POST', '/api/v1/subscriptions', a.keys.reader, {
      name: 'red only',
      filters: { tlp: ['RED'] },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    const r = await taxii('/taxii2/api/collections/', a.keys.reader);
    expect(r.status).toBe(200);
    const ids = (r.body.collections as { id: string }[]).map((c) => c.id);
    expect(ids).toEqual([ALL_COLLECTION_ID, INBOX_COLLECTION_ID, s.body.id]);
    const writable = (r.body.collections as { id: string; can_write: boolean }[]).filter((c) => c.can_write);
    expect(writable.map((c) => c.id)).toEqual([INBOX_COLLECTION_ID]);
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
