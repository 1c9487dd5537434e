import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';
import { PrivateRedis } from '../harness/private-redis';

let redis: PrivateRedis;
let hub: TestHub;
let source: SeededOrg;
let receiver: SeededOrg;
const clients: AlertClient[] = [];

beforeAll(async () => {
  // A redis-server of this test's own: stopping it leaves the other tests' Redis alone.
  redis = await PrivateRedis.start();
  hub = await startTestHub({
    redisUrl: redis.url,
    env: { TOCSIN_RECONCILE_INTERVAL_MS: '1000', TOCSIN_RECONCILE_STALE_MS: '2000' },
  });
  source = await seedOrg(hub, { trustLevel: 3, country: 'AT' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'CH' });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
  await redis?.down();
});

describe('an alert accepted while Redis is stopped', () => {
  it('is committed at once (202, queued) and published once Redis returns', async () => {
    const client = connectAlerts(hub.url, receiver.keys.reader);
    clients.push(client);
    await waitConnected(client);

    await redis.down();
    const r = await hub.http(
      'POST',
      '/api/v1/alerts',
      source.keys.operator,
      buildAlert({ title: 'Accepted during outage' }),
    );
    expect(r.status).toBe(202);
    // The rate limit fails open: no bucket could be read, so no RateLimit-* headers, and no refusal.
    expect(r.headers.get('ratelimit-limit')).toBeNull();
    const id = r.body.id as string;
    const during = await hub.http('GET', `/api/v1/alerts/${id}`, source.keys.reader);
    expect(during.body.status).toBe('queued');
    const health = await hub.http('GET', '/api/v1/health', null);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ postgres: 'up', redis: 'down' });

    // Redis comes back empty (no persistence): the outbox still holds the job and relays it.
    await redis.up();
    await eventually(async () => {
      const after = await hub.http('GET', `/api/v1/alerts/${id}`, source.keys.reader);
      expect(after.body.status).toBe('published');
    }, 45_000);
    await eventually(() => expect(client.events.map((e) => e.alert.id)).toContain(id), 15_000);
    expect(client.events.filter((e) => e.alert.id === id)).toHaveLength(1);
  });

  it('re-enqueues from PostgreSQL a job that Redis lost', async () => {
    // Hold the pipeline queue (a small alert's one-hop job) so the relayed job sits in Redis, then wipe Redis (as a
    // restart without persistence would). The alert is stuck in 'queued' with no job anywhere; the reconciler
    // re-enqueues it.
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const pipeline = new Queue('pipeline', { connection, prefix: hub.prefix });
    try {
      await pipeline.pause();
      const r = await hub.http('POST', '/api/v1/alerts', source.keys.operator, buildAlert({ title: 'Lost job' }));
      expect(r.status).toBe(202);
      const id = r.body.id as string;
      await eventually(async () => expect(await pipeline.getJob(`alert.process.${id}`)).toBeTruthy());
      await connection.flushall();
      expect(await pipeline.getJob(`alert.process.${id}`)).toBeUndefined();
      await eventually(async () => {
        const after = await hub.http('GET', `/api/v1/alerts/${id}`, source.keys.reader);
        expect(after.body.status).toBe('published');
      }, 45_000);
    } finally {
      await pipeline.close();
      connection.disconnect();
    }
  });
});
