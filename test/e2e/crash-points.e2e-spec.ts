import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@tocsin/domain';
import { API_CRASH_POINTS, WORKER_CRASH_POINTS, type CrashPoint } from '@tocsin/platform';
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
import { httpClient, type HttpCall } from '../harness/http';
import { REDIS_TEST_URL } from '../harness/pg';
import { startRole, testWorkerEnv, waitHealthy, type RoleProcess } from '../harness/processes';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

/**
 * A process killed with -9 between any two steps of an alert's path (the api's commit → its hand-over to BullMQ, or
 * the relay → one-hop job: normalize, vet, publish, commit, wake the gateways, complete the job). For each worker
 * crash point (every one the platform names, so a new point is tested as soon as it exists) a worker armed with it
 * takes a few small alerts and dies there; a replacement worker finishes the work. For each api crash point, an api
 * armed with it dies after committing an alert; the outbox relay then sends its job. Whatever the point: every alert
 * is published exactly once, the publish log has no seq gap, and the subscriber's socket gets each alert once, in seq
 * order.
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
const apis: RoleProcess[] = [];
/** An api that leaves every job to the outbox relay (no hand-over of its own), for the relay's crash points. */
let relayApi: HttpCall;
/** The grace period of the armed apis: their alerts' jobs are due to the relay this long after the commit. */
const GRACE_MS = 1_000;

async function startApi(extra: Record<string, string>): Promise<RoleProcess> {
  const a = startRole(
    'api',
    await testWorkerEnv({ databaseUrl: db.url, redisUrl: REDIS_TEST_URL, prefix, adminKey }, extra),
  );
  apis.push(a);
  return a;
}

/** Every alert of `ids` in the publish log and on the socket exactly once; the log has no seq gap, and in seq order. */
async function expectPublishedOnce(ids: readonly string[]): Promise<void> {
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
}

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
  const relayOnly = await startApi({ TOCSIN_OUTBOX_DIRECT_GRACE_MS: '0' });
  await waitHealthy(relayOnly);
  relayApi = httpClient(relayOnly.url);
  await waitConnected(client);
}, 120_000);

afterAll(async () => {
  client?.close();
  await Promise.all([...workers, ...apis].map((p) => p.stop()));
  await pg?.end();
  await hub?.close();
  await db?.drop();
  await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
}, 60_000);

describe('a worker killed with -9 at each crash point', () => {
  it.each(WORKER_CRASH_POINTS.map((p) => [p]))(
    '%s: a replacement worker publishes every alert exactly once, with no seq gap',
    async (point) => {
      const armed = await startWorker([point]);
      const killedAt = new Promise<number>((resolve) => armed.child.once('exit', () => resolve(Date.now())));
      const ids: string[] = [];
      // The relay's points see only jobs it sends: those of an api that hands none over itself.
      const http = point.startsWith('relay.') ? relayApi : hub.http;
      for (let i = 0; i < ALERTS_PER_POINT; i++) {
        const r = await http('POST', '/api/v1/alerts', operator, buildAlert({ tlp: 'GREEN', title: `${point} ${i}` }));
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

      await expectPublishedOnce(ids);
      // The replacement stays up for the next point's alerts to find their way too; stop it so each point starts clean.
      await workers.at(-1)!.stop();
    },
    150_000,
  );
});

describe('an api killed with -9 at each crash point', () => {
  it.each(API_CRASH_POINTS.map((p) => [p]))(
    '%s: the alert it committed is published exactly once, its job sent by the outbox relay',
    async (point) => {
      await startWorker([]);
      const armed = await startApi({ TOCSIN_CRASH_POINTS: point, TOCSIN_OUTBOX_DIRECT_GRACE_MS: String(GRACE_MS) });
      await waitHealthy(armed);
      const title = `${point} ${randomBytes(4).toString('hex')}`;
      // It dies after the commit, before answering: the submitter gets no answer, and the alert exists.
      const answer = await httpClient(armed.url)(
        'POST',
        '/api/v1/alerts',
        operator,
        buildAlert({ tlp: 'GREEN', title }),
      )
        .then((r) => r.status)
        .catch(() => 'no answer');
      expect(answer).toBe('no answer');
      expect(await armed.exited).toBe('signal SIGKILL');
      const killedAt = Date.now();
      const { rows } = await pg.query<{ id: string }>('SELECT id::text FROM alerts WHERE title = $1', [title]);
      expect(rows).toHaveLength(1);
      const id = rows[0]!.id;
      await eventually(() => expect(client.events.map((e) => e.alert.id)).toContain(id), 30_000);
      // A figure, not a bound: the grace period, then the relay's next poll.
      console.info(
        `crash-points ${point}: published ${Date.now() - killedAt} ms after the kill (grace ${GRACE_MS} ms)`,
      );
      await expectPublishedOnce([id]);
      await workers.at(-1)!.stop();
    },
    150_000,
  );
});
