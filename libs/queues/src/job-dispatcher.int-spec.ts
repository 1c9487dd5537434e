import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL as REDIS } from '../../../test/harness/pg';
import { testConfig } from '../../../test/harness/config';
import { deleteRedisPrefix } from '../../../test/harness/hub';
import { RedisFactory } from '@tocsin/platform';
import { FairShare } from './fair-share';
import { JobDispatcher } from './job-dispatcher';
import { QueueName } from './queue-names';
import { Queues } from './queues';

const closers: (() => Promise<void>)[] = [];
const prefixes: string[] = [];

/** A dispatcher on Redis at `url` (the test Redis, or a port where nothing answers), under a prefix of its own. */
function dispatcher(url = REDIS): { dispatcher: JobDispatcher; queues: Queues } {
  const prefix = `jd${randomBytes(5).toString('hex')}`;
  prefixes.push(prefix);
  const config = testConfig({ TOCSIN_REDIS_PREFIX: prefix });
  const factory = new RedisFactory(url, config);
  const queues = new Queues(factory, config);
  closers.push(async () => {
    await queues.onApplicationShutdown();
    await factory.onApplicationShutdown();
  });
  return { dispatcher: new JobDispatcher(queues, new FairShare(factory, config)), queues };
}

afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all(prefixes.map((p) => deleteRedisPrefix(REDIS, p)));
});

const job = (alertId: string, orgId: string | null) => ({
  name: 'alert.process',
  jobId: `alert.process.${alertId}`,
  payload: { alertId, requestId: null, outboxId: '42' },
  orgId,
});

describe(JobDispatcher.name, () => {
  it("adds each job once, with its org and its rank in the org's backlog as priority", async () => {
    const { dispatcher: d, queues } = dispatcher();
    const org = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    await d.add(QueueName.Pipeline, [job(a, org), job(b, org)]);
    // Sent again (the relay after the api): no second job, and it keeps its place.
    await d.add(QueueName.Pipeline, [job(a, org)]);
    const q = queues.get(QueueName.Pipeline);
    expect(await q.getJobCountByTypes('prioritized', 'waiting')).toBe(2);
    const got = await q.getJob(`alert.process.${b}`);
    expect(got?.data).toEqual({ alertId: b, requestId: null, outboxId: '42', orgId: org });
    expect(got?.opts.priority).toBe(2);
    // A job that names no org runs at the top priority, its payload as it is.
    const c = randomUUID();
    await d.add(QueueName.Pipeline, [job(c, null)]);
    const top = await q.getJob(`alert.process.${c}`);
    expect(top?.data).toEqual({ alertId: c, requestId: null, outboxId: '42' });
    expect(top?.opts.priority).toBe(1);
  });

  it('starts an add without waiting, and shutdown waits for it', async () => {
    const { dispatcher: d, queues } = dispatcher();
    const a = randomUUID();
    const failures: unknown[] = [];
    d.later(QueueName.Pipeline, [job(a, randomUUID())], (e) => failures.push(e));
    await d.beforeApplicationShutdown();
    expect(failures).toEqual([]);
    expect(await queues.get(QueueName.Pipeline).getJob(`alert.process.${a}`)).toBeDefined();
  });

  it('tells the caller when Redis does not take the job, and still lets shutdown finish', async () => {
    // Nothing listens on port 1, as with Redis away: the add fails within DISPATCH_TIMEOUT_MS (the fail-fast
    // connection retries, then its command times out).
    const { dispatcher: d } = dispatcher('redis://127.0.0.1:1');
    const failures: unknown[] = [];
    d.later(QueueName.Pipeline, [job(randomUUID(), randomUUID())], (e) => failures.push(e));
    await d.beforeApplicationShutdown();
    expect(failures).toHaveLength(1);
    await expect(d.add(QueueName.Pipeline, [job(randomUUID(), null)])).rejects.toThrow();
  });
});
