import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL as REDIS } from '../../../test/harness/pg';
import { testConfig } from '../../../test/harness/config';
import { deleteRedisPrefix } from '../../../test/harness/hub';
import { RedisFactory } from '@tocsin/platform';
import { FairShare } from './fair-share';
import { QueueName } from './queue-names';

const factories: RedisFactory[] = [];
const prefixes: string[] = [];

function fairShare(): FairShare {
  const prefix = `fs${randomBytes(5).toString('hex')}`;
  prefixes.push(prefix);
  const config = testConfig({ TOCSIN_REDIS_PREFIX: prefix });
  const factory = new RedisFactory(REDIS, config);
  factories.push(factory);
  return new FairShare(factory, config);
}

afterAll(async () => {
  await Promise.all(factories.map((f) => f.onApplicationShutdown()));
  await Promise.all(prefixes.map((p) => deleteRedisPrefix(REDIS, p)));
});

describe(FairShare.name, () => {
  const q = QueueName.Normalization;

  it("gives an org's k-th pending job priority k, each org counted apart, in one batch", async () => {
    const fs = fairShare();
    const a = randomUUID();
    const b = randomUUID();
    const ranks = await fs.assign(q, [
      { jobId: 'a1', orgId: a },
      { jobId: 'a2', orgId: a },
      { jobId: 'b1', orgId: b },
      { jobId: 'a3', orgId: a },
    ]);
    expect(ranks).toEqual([1, 2, 1, 3]);
    expect(await fs.assign(QueueName.Vetting, [{ jobId: 'a1', orgId: a }])).toEqual([1]);
    expect(await fs.backlog(q, a)).toBe(3);
  });

  it('keeps the place of a job sent twice, and frees it when the job finishes', async () => {
    const fs = fairShare();
    const a = randomUUID();
    await fs.assign(
      q,
      [1, 2, 3].map((i) => ({ jobId: `a${i}`, orgId: a })),
    );
    expect(await fs.assign(q, [{ jobId: 'a2', orgId: a }])).toEqual([2]);
    expect(await fs.backlog(q, a)).toBe(3);
    await fs.release(q, { jobId: 'a1', orgId: a });
    await fs.release(q, { jobId: 'a2', orgId: a });
    expect(await fs.backlog(q, a)).toBe(1);
    expect(await fs.assign(q, [{ jobId: 'a4', orgId: a }])).toEqual([2]);
  });

  it('forgets jobs older than the horizon, so a count left behind by a crash heals', async () => {
    const fs = fairShare();
    const a = randomUUID();
    const r = new Redis(REDIS);
    try {
      // Left behind long ago: enqueued, never released.
      await r.zadd(fs.key(q, a), 0, 'lost1', 0, 'lost2');
    } finally {
      r.disconnect();
    }
    expect(await fs.assign(q, [{ jobId: 'a1', orgId: a }])).toEqual([1]);
    expect(await fs.backlog(q, a)).toBe(1);
  });
});
