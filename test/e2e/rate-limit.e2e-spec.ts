import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * Two api processes on one database and one Redis prefix (the first also runs worker and gateway): the limits
 * live in Redis, so both count against the same buckets. Limits are set low here; the defaults are far higher.
 */
const SUBMISSIONS = 5;
const READS = 40;
const AUTH_FAILURES = 3;
const env = {
  TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: String(SUBMISSIONS),
  TOCSIN_RATE_LIMIT_READS_PER_MINUTE: String(READS),
  TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES),
};

let hubA: TestHub;
let hubB: TestHub;
let flooder: SeededOrg;
let quiet: SeededOrg;
let receiver: SeededOrg;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hubA = await startTestHub({ env });
  hubB = await startTestHub({ env, roles: ['api'], db: hubA.db, prefix: hubA.prefix, adminKey: hubA.adminKey });
  flooder = await seedOrg(hubA, { trustLevel: 3, country: 'AT' });
  quiet = await seedOrg(hubA, { trustLevel: 3, country: 'CH' });
  receiver = await seedOrg(hubA, { trustLevel: 3, country: 'DE' });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hubB?.close();
  await hubA?.close();
});

describe('per-organisation rate limits', () => {
  it('answers 429 with Retry-After to a flooding org, across both api processes, while another org is served and delivered', async () => {
    const client = connectAlerts(hubA.url, receiver.keys.reader);
    clients.push(client);
    await waitConnected(client);

    const statuses: number[] = [];
    let refused: Awaited<ReturnType<TestHub['http']>> | null = null;
    for (let i = 0; i < SUBMISSIONS + 3; i++) {
      const hub = i % 2 === 0 ? hubA : hubB;
      const r = await hub.http('POST', '/api/v1/alerts', flooder.keys.operator, buildAlert({ title: `Flood ${i}` }));
      statuses.push(r.status);
      if (r.status === 429 && !refused) {
        refused = r;
      }
    }
    // The bucket is shared: SUBMISSIONS accepted in all, whichever process took them, then refusals from both.
    expect(statuses.slice(0, SUBMISSIONS)).toEqual(Array<number>(SUBMISSIONS).fill(202));
    expect(statuses.slice(SUBMISSIONS)).toEqual([429, 429, 429]);
    expect(refused?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused?.body).toMatchObject({ type: 'urn:tocsin:problem:rate-limited', status: 429 });
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused?.headers.get('ratelimit-limit')).toBe(String(SUBMISSIONS));
    expect(refused?.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused?.headers.get('ratelimit-policy')).toBe(`${SUBMISSIONS};w=60`);

    // Another org's submissions go through on either process and reach the live socket.
    const ids: string[] = [];
    for (const hub of [hubA, hubB]) {
      const r = await hub.http('POST', '/api/v1/alerts', quiet.keys.operator, buildAlert({ title: 'Quiet neighbour' }));
      expect(r.status).toBe(202);
      expect(r.headers.get('ratelimit-limit')).toBe(String(SUBMISSIONS));
      ids.push(r.body.id as string);
    }
    await eventually(() => expect(client.events.map((e) => e.alert.id)).toEqual(expect.arrayContaining(ids)), 30_000);

    // Submissions and reads are separate buckets: the flooder can still read, with the very key it floods with.
    expect((await hubA.http('GET', `/api/v1/orgs/${flooder.id}`, flooder.keys.reader)).status).toBe(200);
    expect((await hubA.http('GET', '/api/v1/alerts?limit=1', flooder.keys.operator)).status).toBe(200);

    // While refused, the same key's submissions are answered before their body is read: even a body that does not
    // parse gets the 429 (with a fresh Retry-After), not a 400.
    const raw = await fetch(`${hubA.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${flooder.keys.operator}`, 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await raw.json()).toMatchObject({ type: 'urn:tocsin:problem:rate-limited', status: 429 });
  });

  it('limits reads per organisation, leaving other organisations alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < READS + 5 && !statuses.includes(429); i++) {
      const hub = i % 2 === 0 ? hubA : hubB;
      statuses.push((await hub.http('GET', `/api/v1/orgs/${receiver.id}`, receiver.keys.reader)).status);
    }
    // At most a token or two may have been refilled while the loop ran (the bucket refills continuously).
    expect(statuses.slice(0, READS - 1).every((s) => s === 200)).toBe(true);
    expect(statuses).toContain(429);
    expect((await hubB.http('GET', `/api/v1/orgs/${quiet.id}`, quiet.keys.reader)).status).toBe(200);
  });
});

describe('failed authentications', () => {
  it('are limited per source address: past the limit even a valid key from that address gets 429', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_FAILURES + 1; i++) {
      const hub = i % 2 === 0 ? hubA : hubB;
      const r = await hub.http('GET', `/api/v1/orgs/${quiet.id}`, 'tcs_wrong', undefined, from('198.51.100.7'));
      statuses.push(r.status);
    }
    expect(statuses).toEqual([...Array<number>(AUTH_FAILURES).fill(401), 429]);

    const blocked = await hubB.http(
      'GET',
      `/api/v1/orgs/${quiet.id}`,
      quiet.keys.reader,
      undefined,
      from('198.51.100.7'),
    );
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ type: 'urn:tocsin:problem:rate-limited' });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const other = await hubA.http(
      'GET',
      `/api/v1/orgs/${quiet.id}`,
      quiet.keys.reader,
      undefined,
      from('198.51.100.8'),
    );
    expect(other.status).toBe(200);
    const wrongElsewhere = await hubA.http(
      'GET',
      `/api/v1/orgs/${quiet.id}`,
      'tcs_wrong',
      undefined,
      from('198.51.100.9'),
    );
    expect(wrongElsewhere.status).toBe(401);
  });

  it('does not count requests that present no key', async () => {
    const from = { 'x-forwarded-for': '198.51.100.20' };
    for (let i = 0; i < AUTH_FAILURES + 2; i++) {
      expect((await hubA.http('GET', `/api/v1/orgs/${quiet.id}`, null, undefined, from)).status).toBe(401);
    }
    expect((await hubA.http('GET', `/api/v1/orgs/${quiet.id}`, quiet.keys.reader, undefined, from)).status).toBe(200);
  });

  it('limits failed socket handshakes per address too, in the same bucket as HTTP', async () => {
    const handshake = (token: string, ip: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = io(`${hubA.url}/alerts`, {
          auth: { token },
          transports: ['websocket'],
          extraHeaders: { 'x-forwarded-for': ip },
          reconnection: false,
          forceNew: true,
        });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (e: Error) => {
          socket.close();
          resolve(e.message);
        });
      });
    const results: string[] = [];
    for (let i = 0; i < AUTH_FAILURES + 1; i++) {
      results.push(await handshake('tcs_wrong', '198.51.100.40'));
    }
    expect(results).toEqual([...Array<string>(AUTH_FAILURES).fill('unauthorized'), 'rate-limited']);
    expect(await handshake(receiver.keys.reader, '198.51.100.40')).toBe('rate-limited');
    const http = await hubB.http('GET', `/api/v1/orgs/${quiet.id}`, quiet.keys.reader, undefined, {
      'x-forwarded-for': '198.51.100.40',
    });
    expect(http.status).toBe(429);
    expect(await handshake(receiver.keys.reader, '198.51.100.41')).toBe('connected');
  });
});
