import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../libs/domain/src';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, deleteRedisPrefix, waitConnected, type AlertClient, type TestHub } from '../harness/hub';
import { REDIS_TEST_URL } from '../harness/pg';
import { freePort, startRole, type RoleProcess } from '../harness/processes';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

/**
 * Constituency routing across processes: one api, one worker and two gateways sharing one PostgreSQL and one Redis.
 * A constituency set or changed through the api process is followed by both gateways from the next alert on, with
 * no broadcast between them: each reads the constituency's version before routing.
 */
let db: TestDatabase;
const prefix = `s${randomBytes(5).toString('hex')}`;
const adminKey = generateApiKey((n) => randomBytes(n)).key;
const procs: RoleProcess[] = [];
const clients: AlertClient[] = [];
let api: TestHub;
let gatewayUrls: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  const env = (port: number): Record<string, string> => ({
    DATABASE_URL: db.url,
    REDIS_URL: REDIS_TEST_URL,
    TOCSIN_REDIS_PREFIX: prefix,
    TOCSIN_BOOTSTRAP_ADMIN_KEY: adminKey,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TOCSIN_GATEWAY_POLL_MS: '60000',
    TOCSIN_OUTBOX_POLL_MS: '500',
    TOCSIN_DB_POOL_SIZE: '4',
  });
  const [apiPort, g1, g2, w1] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  procs.push(startRole('api', env(apiPort)));
  procs.push(startRole('worker', env(w1)));
  procs.push(startRole('gateway', env(g1)), startRole('gateway', env(g2)));
  gatewayUrls = [`http://127.0.0.1:${g1}`, `http://127.0.0.1:${g2}`];
  const url = `http://127.0.0.1:${apiPort}`;
  await eventually(async () => {
    const r = await fetch(`${url}/api/v1/health`);
    expect(r.status).toBe(200);
  }, 60_000);
  for (const g of gatewayUrls) {
    await eventually(async () => {
      await fetch(`${g}/socket.io/?EIO=4&transport=polling`);
    }, 60_000);
  }
  api = {
    url,
    adminKey,
    db,
    redisUrl: REDIS_TEST_URL,
    prefix,
    running: undefined as never,
    async http(method, path, key, body) {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
    close: async () => {},
  };
}, 180_000);

afterAll(async () => {
  clients.forEach((c) => c.close());
  const codes = await Promise.all(procs.map((p) => p.stop()));
  expect(codes.every((c) => c === 0)).toBe(true);
  await db?.drop();
  await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
}, 60_000);

describe('constituency-hit with two gateways', () => {
  let source: SeededOrg;
  let member: SeededOrg;

  beforeAll(async () => {
    source = await seedOrg(api, { trustLevel: 3, country: 'FR' });
    member = await seedOrg(api, { trustLevel: 2, country: 'PT' });
  });

  async function publish(value: string): Promise<string> {
    const r = await api.http(
      'POST',
      '/api/v1/alerts',
      source.keys.operator,
      buildAlert({ tlp: 'GREEN', indicators: [{ type: 'domain', value }] }),
    );
    expect(r.status).toBe(202);
    return r.body.id as string;
  }

  it('reaches the member on both gateways, and both follow a change made through the api', async () => {
    const put = (domains: string[]) =>
      api.http('PUT', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin, { domains });
    expect((await put(['h7-one.pt'])).status).toBe(200);
    const sockets = gatewayUrls.map((g) => connectAlerts(g, member.keys.reader));
    clients.push(...sockets);
    const hits: any[][] = sockets.map(() => []);
    sockets.forEach((s, i) => s.socket.on('constituency-hit', (e: any) => hits[i]!.push(e)));
    await Promise.all(sockets.map(waitConnected));

    const first = await publish('www.h7-one.pt');
    await eventually(() => {
      for (const h of hits) {
        expect(h.map((e) => e.alertId)).toEqual([first]);
      }
    }, 30_000);

    expect((await put(['h7-two.pt'])).status).toBe(200);
    const second = await publish('www.h7-one.pt');
    const third = await publish('mail.h7-two.pt');
    await eventually(() => {
      for (const s of sockets) {
        expect(s.events.map((e) => e.alert.id)).toEqual(expect.arrayContaining([second, third]));
      }
      for (const h of hits) {
        expect(h.map((e) => e.alertId)).toEqual([first, third]);
      }
    }, 30_000);
    expect(hits[0]!.map((e) => e.seq)).toEqual(hits[1]!.map((e) => e.seq));
  });
});
