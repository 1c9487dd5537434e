import { randomBytes } from 'node:crypto';
import { generateApiKey } from '@tocsin/domain';
import type { TestHub } from './hub';
import { httpClient } from './http';
import { REDIS_TEST_URL } from './pg';
import { startTopology } from './processes';
import { deleteRedisPrefix } from './redis';
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
  const dropAll = async () => {
    await db.drop();
    await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
  };
  const topology = await startTopology({
    databaseUrl: db.url,
    redisUrl: REDIS_TEST_URL,
    prefix,
    adminKey,
    workers: opts.workers,
    gateways: opts.gateways,
    env: { TOCSIN_GATEWAY_POLL_MS: '60000', TOCSIN_OUTBOX_POLL_MS: '500', TOCSIN_DB_POOL_SIZE: '4' },
  }).catch(async (e: unknown) => {
    await dropAll();
    throw e;
  });
  const url = topology.api.url;
  const api: TestHub = {
    url,
    adminKey,
    db,
    redisUrl: REDIS_TEST_URL,
    prefix,
    running: undefined as never,
    http: httpClient(url),
    close: async () => {},
  };
  return {
    api,
    gatewayUrls: topology.gateways.map((g) => g.url),
    db,
    async close() {
      const stopped = await topology.stop();
      await dropAll();
      return stopped.map((s) => s.code ?? -1);
    },
  };
}
