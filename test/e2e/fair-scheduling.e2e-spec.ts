import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@tocsin/domain';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { deleteRedisPrefix, startTestHub, type TestHub } from '../harness/hub';
import { REDIS_TEST_URL } from '../harness/pg';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

/**
 * Fair scheduling across organisations: org A's backlog is built while no worker runs (an api-only hub), then
 * org B submits one alert and a worker starts (one job at a time per queue, so the order is the scheduler's).
 * B's alert is published before most of A's, although it was submitted after all of them.
 */
const FLOOD = 40;

let db: TestDatabase;
const prefix = `f${randomBytes(5).toString('hex')}`;
const adminKey = generateApiKey((n) => randomBytes(n)).key;
let api: TestHub;
let worker: TestHub | null = null;
let pg: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startTestHub({ roles: ['api'], db, prefix, adminKey });
  pg = new Client({ connectionString: db.url });
  await pg.connect();
}, 60_000);

afterAll(async () => {
  await pg?.end();
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
}, 60_000);

describe('fair scheduling across organisations', () => {
  let flooder: SeededOrg;
  let quiet: SeededOrg;

  beforeAll(async () => {
    flooder = await seedOrg(api, { trustLevel: 3 });
    quiet = await seedOrg(api, { trustLevel: 3 });
  });

  it("publishes a quiet org's alert before most of a flooding org's earlier backlog", async () => {
    const floodIds: string[] = [];
    for (let i = 0; i < FLOOD; i++) {
      const r = await api.http('POST', '/api/v1/alerts', flooder.keys.operator, buildAlert({ title: `flood ${i}` }));
      expect(r.status).toBe(202);
      floodIds.push((r.body as { id: string }).id);
    }
    const q = await api.http('POST', '/api/v1/alerts', quiet.keys.operator, buildAlert({ title: 'quiet' }));
    expect(q.status).toBe(202);
    const quietId = (q.body as { id: string }).id;

    worker = await startTestHub({
      roles: ['worker'],
      db,
      prefix,
      adminKey,
      env: { TOCSIN_WORKER_CONCURRENCY: '1' },
    });

    let order: string[] = [];
    await eventually(async () => {
      const rows = await pg.query<{ alert_id: string }>(
        `SELECT alert_id FROM publish_log WHERE event = 'alert' ORDER BY seq`,
      );
      order = rows.rows.map((r) => r.alert_id);
      expect(order).toHaveLength(FLOOD + 1);
    }, 90_000);

    // In FIFO order the quiet alert would come last (after all 40); fairly scheduled, it overtakes the backlog.
    const quietAt = order.indexOf(quietId);
    expect(quietAt).toBeGreaterThanOrEqual(0);
    expect(quietAt).toBeLessThan(FLOOD / 4);
    expect(new Set(order.filter((id) => id !== quietId))).toEqual(new Set(floodIds));

    // Every job has finished, so neither org is left with a backlog in the fair-share counts.
    const redis = await import('ioredis').then((m) => new m.Redis(REDIS_TEST_URL));
    try {
      await eventually(async () => {
        const keys = await redis.keys(`${prefix}:fair:*`);
        const sizes = await Promise.all(keys.map((k) => redis.zcard(k)));
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(0);
      }, 10_000);
    } finally {
      redis.disconnect();
    }
  }, 120_000);
});
