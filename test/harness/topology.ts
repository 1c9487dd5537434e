import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { generateApiKey } from '@tocsin/domain';
import { eventually } from './eventually';
import { deleteRedisPrefix, type TestHub } from './hub';
import { REDIS_TEST_URL } from './pg';
import { freePort, startRole, type RoleProcess } from './processes';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The docker/compose.yaml topology as plain processes from dist/: one api, workers and gateways on one database. */
export interface ProcessTopology {
  /** The api process, with TestHub's `http` (its `running` is not in this process). */
  readonly api: TestHub;
  readonly gatewayUrls: readonly string[];
  readonly db: TestDatabase;
  /** Stops every process (each must exit 0), drops the database and the Redis prefix. */
  close(): Promise<number[]>;
}

/**
 * Starts one api, `workers` workers and `gateways` gateways as separate processes sharing a fresh database and Redis
 * prefix. The gateways' poll is a minute, so a push within a test's bounds comes through the Redis wake-up.
 */
export async function startProcessTopology(opts: { workers: number; gateways: number }): Promise<ProcessTopology> {
  const db = await createTestDatabase();
  const prefix = `s${randomBytes(5).toString('hex')}`;
  const adminKey = generateApiKey((n) => randomBytes(n)).key;
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
  const ports = async (n: number) => Promise.all(Array.from({ length: n }, () => freePort()));
  const [apiPort, gatewayPorts, workerPorts] = await Promise.all([
    freePort(),
    ports(opts.gateways),
    ports(opts.workers),
  ]);
  const procs: RoleProcess[] = [startRole('api', env(apiPort))];
  procs.push(...workerPorts.map((p) => startRole('worker', env(p))));
  procs.push(...gatewayPorts.map((p) => startRole('gateway', env(p))));
  const gatewayUrls = gatewayPorts.map((p) => `http://127.0.0.1:${p}`);
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
  const api: TestHub = {
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
  return {
    api,
    gatewayUrls,
    db,
    async close() {
      const codes = await Promise.all(procs.map((p) => p.stop()));
      await db.drop();
      await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
      return codes.map((c) => c ?? -1);
    },
  };
}
