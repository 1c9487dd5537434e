import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@tocsin/domain';
import { CRASH_POINTS, type CrashPoint } from '@tocsin/platform';
import { buildAlert } from '../factories/alerts';
import { seedOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import {
  connectAlerts,
  deleteRedisPrefix,
  startTestHub,
  waitConnected,
  type AlertClient,
  type TestHub,
} from '../harness/hub';
import { REDIS_TEST_URL } from '../harness/pg';
import { startRole, testWorkerEnv, type RoleProcess } from '../harness/processes';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

/**
 * A worker killed with -9 between any two steps of an alert's path (relay → one-hop job: normalize, vet, publish,
 * commit, wake the gateways, complete the job). For each crash point (every one the platform names, so a new point is
 * tested as soon as it exists) a worker armed with it takes a few small alerts and dies there; a replacement worker
 * finishes the work. Whatever the point: every alert is published exactly once, the publish log has no seq gap, and
 * the subscriber's socket gets each alert once, in seq order.
 */
const ALERTS_PER_POINT = 3;

let db: TestDatabase;
let hub: TestHub;
let pg: Client;
let client: AlertClient;
let operator: string;
const prefix = `cp${randomBytes(5).toString('hex')}`;
const adminKey = generateApiKey((n) => randomBytes(n)).key;
const workers: RoleProcess[] = [];

async function startWorker(crashPoints: readonly CrashPoint[]): Promise<RoleProcess> {
  const w = startRole(
    'worker',
    await testWorkerEnv(
      { databaseUrl: db.url, redisUrl: REDIS_TEST_URL, prefix, adminKey },
      crashPoints.length > 0 ? { TOCSIN_CRASH_POINTS: crashPoints.join(',') } : {},
    ),
  );
  workers.push(w);
  return w;
}

beforeAll(async () => {
  db = await createTestDatabase();
  hub = await startTestHub({ roles: ['api', 'gateway'], db, prefix, adminKey });
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  const source = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  const reader = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  operator = source.keys.operator!;
  client = connectAlerts(hub.url, reader.keys.reader);
  await waitConnected(client);
}, 120_000);

afterAll(async () => {
  client?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await pg?.end();
  await hub?.close();
  await db?.drop();
  await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
}, 60_000);

describe('a worker killed with -9 at each crash point', () => {
  it.each(CRASH_POINTS.map((p) => [p]))(
    '%s: a replacement worker publishes every alert exactly once, with no seq gap',
    async (point) => {
      const armed = await startWorker([point]);
      const killedAt = new Promise<number>((resolve) => armed.child.once('exit', () => resolve(Date.now())));
      const ids: string[] = [];
      for (let i = 0; i < ALERTS_PER_POINT; i++) {
        const r = await hub.http(
          'POST',
          '/api/v1/alerts',
          operator,
          buildAlert({ tlp: 'GREEN', title: `${point} ${i}` }),
        );
        expect(r.status).toBe(202);
        ids.push(r.body.id as string);
      }
      // The armed worker reaches the point with the first alert it handles, and dies there.
      await eventually(() => expect(armed.child.signalCode).toBe('SIGKILL'), 60_000);
      const before = await pg.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM publish_log WHERE event = 'alert' AND alert_id = ANY($1::uuid[])`,
        [ids],
      );
      // Nothing reached past a point inside the transaction; at most what committed before the kill.
      expect(Number(before.rows[0]!.n)).toBeLessThanOrEqual(ids.length);

      const replacementAt = Date.now();
      await startWorker([]);
      await eventually(() => {
        const got = new Set(client.events.map((e) => e.alert.id as string));
        expect(ids.filter((id) => !got.has(id))).toEqual([]);
      }, 60_000);
      const allAt = Date.now();
      // A figure, not a bound (README, "A crashed worker costs seconds"): the replacement's start-up is in it.
      console.info(
        `crash-points ${point}: replacement started ${replacementAt - (await killedAt)} ms after the kill, ` +
          `every alert published ${allAt - (await killedAt)} ms after it`,
      );

      const rows = await pg.query<{ alert_id: string; n: string }>(
        `SELECT alert_id::text, count(*)::text AS n FROM publish_log WHERE event = 'alert' AND alert_id = ANY($1::uuid[])
         GROUP BY alert_id`,
        [ids],
      );
      expect(new Map(rows.rows.map((r) => [r.alert_id, Number(r.n)]))).toEqual(new Map(ids.map((id) => [id, 1])));
      for (const id of ids) {
        expect(client.events.filter((e) => e.alert.id === id)).toHaveLength(1);
      }
      const seqs = (
        await pg.query<{ seq: string }>(`SELECT seq::text AS seq FROM publish_log ORDER BY publish_log.seq`)
      ).rows.map((r) => Number(r.seq));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
      // Everything logged so far reached the socket, once, in seq order (other events are not in `events`).
      const alertSeqs = (
        await pg.query<{ seq: string }>(
          `SELECT seq::text AS seq FROM publish_log WHERE event = 'alert' ORDER BY publish_log.seq`,
        )
      ).rows.map((r) => Number(r.seq));
      await eventually(() => expect(client.events.map((e) => e.seq)).toEqual(alertSeqs), 30_000);
      // The replacement stays up for the next point's alerts to find their way too; stop it so each point starts clean.
      await workers.at(-1)!.stop();
    },
    150_000,
  );
});
