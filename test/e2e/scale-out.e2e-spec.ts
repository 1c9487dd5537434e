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
 * The docker/compose.yaml topology as plain processes: one api, two workers and two gateways sharing one
 * PostgreSQL and one Redis. The gateways' poll is set to a minute, so a push within the test's bounds must
 * come through the Redis adapter's wake-up; revocation from the api process reaches the other gateways.
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
  const [apiPort, g1, g2, w1, w2] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  procs.push(startRole('api', env(apiPort)));
  procs.push(startRole('worker', env(w1)), startRole('worker', env(w2)));
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

describe('scale-out: api, 2 workers and 2 gateways as separate processes', () => {
  let source: SeededOrg;
  let readerA: SeededOrg;
  let readerB: SeededOrg;

  beforeAll(async () => {
    source = await seedOrg(api, { trustLevel: 3, country: 'FR' });
    readerA = await seedOrg(api, { trustLevel: 3, country: 'DE' });
    readerB = await seedOrg(api, { trustLevel: 2, country: 'IE' });
  });

  it('pushes one submission to clients on both gateways', async () => {
    const a = connectAlerts(gatewayUrls[0]!, readerA.keys.reader);
    const b = connectAlerts(gatewayUrls[1]!, readerB.keys.reader);
    clients.push(a, b);
    await Promise.all([waitConnected(a), waitConnected(b)]);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await api.http(
        'POST',
        '/api/v1/alerts',
        source.keys.operator,
        buildAlert({ tlp: 'AMBER', title: `fan-out ${i}` }),
      );
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    // Two workers publish in whatever order they finish: each client gets all ten, in seq order.
    await eventually(() => {
      expect(new Set(a.events.map((e) => e.alert.id))).toEqual(new Set(ids));
      expect(new Set(b.events.map((e) => e.alert.id))).toEqual(new Set(ids));
    }, 30_000);
    const seqs = a.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(b.events.map((e) => e.seq)).toEqual(seqs);
    expect(a.events).toHaveLength(10);
  });

  it('raises one coordinated alert from three reports vetted at once by two workers, pushed through both gateways', async () => {
    const reporters = await Promise.all(['FR', 'DE', 'NL'].map((country) => seedOrg(api, { trustLevel: 3, country })));
    const a = connectAlerts(gatewayUrls[0]!, readerA.keys.reader);
    const b = connectAlerts(gatewayUrls[1]!, readerB.keys.reader);
    clients.push(a, b);
    const got = { a: [] as any[], b: [] as any[] };
    a.socket.on('coordinated-alert', (e: any) => got.a.push(e));
    b.socket.on('coordinated-alert', (e: any) => got.b.push(e));
    await Promise.all([waitConnected(a), waitConnected(b)]);
    const ids = await Promise.all(
      reporters.map(async (org) => {
        const r = await api.http(
          'POST',
          '/api/v1/alerts',
          org.keys.operator,
          buildAlert({ indicators: [{ type: 'domain', value: 'scale-out-c2.example-bad.net' }] }),
        );
        expect(r.status).toBe(202);
        return r.body.id as string;
      }),
    );
    await eventually(() => {
      expect(got.a).toHaveLength(1);
      expect(got.b).toHaveLength(1);
    }, 30_000);
    expect(got.b[0].coordinatedAlert.id).toBe(got.a[0].coordinatedAlert.id);
    expect(got.a[0].coordinatedAlert.reports.map((r: any) => r.alertId).sort()).toEqual([...ids].sort());
    const list = await api.http('GET', '/api/v1/coordinated-alerts', readerA.keys.reader);
    expect(list.body.items).toHaveLength(1);
  });

  it('cuts a revoked key’s socket on another process', async () => {
    const c = connectAlerts(gatewayUrls[1]!, readerA.keys.vetter);
    clients.push(c);
    await waitConnected(c);
    const gone = new Promise<string>((res) => c.socket.once('disconnect', (reason) => res(reason)));
    const r = await api.http('DELETE', `/api/v1/orgs/${readerA.id}/keys/${readerA.keyIds.vetter}`, adminKey);
    expect(r.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
  });
});
