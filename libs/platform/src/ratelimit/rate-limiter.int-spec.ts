import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL as REDIS } from '../../../../test/harness/pg';
import { parseConfig, type AppConfig } from '../config/app-config';
import { RedisFactory } from '../redis/redis.factory';
import { RateLimiter } from './rate-limiter';

const factories: RedisFactory[] = [];

function limiter(url: string): RateLimiter {
  const parsed = parseConfig({ TOCSIN_REDIS_PREFIX: `rl${randomBytes(5).toString('hex')}` });
  if (!parsed.ok) {
    throw new Error(parsed.problems.join('; '));
  }
  const config: AppConfig = parsed.config;
  const factory = new RedisFactory(url, config);
  factories.push(factory);
  return new RateLimiter(factory, config);
}

afterAll(async () => {
  await Promise.all(factories.map((f) => f.onApplicationShutdown()));
});

describe(RateLimiter.name, () => {
  it('allows a full bucket at once, then refuses with a retry delay; other ids keep their own bucket', async () => {
    const l = limiter(REDIS);
    await l.onModuleInit();
    const taken = [];
    for (let i = 0; i < 4; i++) {
      taken.push(await l.take('submissions', 'org-a', 3));
    }
    expect(taken.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(taken.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(taken[3]).toMatchObject({ limit: 3, windowSeconds: 60, degraded: false });
    expect(taken[3]?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(taken[3]?.retryAfterSeconds).toBeLessThanOrEqual(20);
    expect((await l.take('submissions', 'org-b', 3)).allowed).toBe(true);
  });

  it('allows only the burst at once when it is smaller than the per-minute rate, refilled at that rate', async () => {
    const l = limiter(REDIS);
    await l.onModuleInit();
    const taken = [];
    for (let i = 0; i < 4; i++) {
      taken.push(await l.take('submissions', 'org-a', 60, 3));
    }
    expect(taken.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(taken[3]).toMatchObject({ limit: 3, windowSeconds: 3, retryAfterSeconds: 1, degraded: false });
    // A burst above the per-minute rate (or 0) is a whole minute's worth.
    expect(await l.take('submissions', 'org-b', 3, 10)).toMatchObject({ limit: 3, windowSeconds: 60, remaining: 2 });
    expect(await l.take('submissions', 'org-c', 3, 0)).toMatchObject({ limit: 3, windowSeconds: 60, remaining: 2 });
  });

  it('peeks without taking', async () => {
    const l = limiter(REDIS);
    await l.onModuleInit();
    for (let i = 0; i < 3; i++) {
      expect((await l.peek('auth-failures', '192.0.2.1', 2)).allowed).toBe(true);
    }
    await l.take('auth-failures', '192.0.2.1', 2);
    expect((await l.peek('auth-failures', '192.0.2.1', 2)).allowed).toBe(true);
    await l.take('auth-failures', '192.0.2.1', 2);
    expect((await l.peek('auth-failures', '192.0.2.1', 2)).allowed).toBe(false);
  });

  it('treats a limit of 0 as no limit', async () => {
    const l = limiter(REDIS);
    for (let i = 0; i < 5; i++) {
      expect((await l.take('reads', 'org-a', 0)).allowed).toBe(true);
    }
  });

  it('fails open, marked degraded, when Redis does not answer', async () => {
    const l = limiter('redis://127.0.0.1:1');
    await l.onModuleInit();
    const d = await l.take('submissions', 'org-a', 1);
    expect(d).toMatchObject({ allowed: true, degraded: true });
    expect((await l.take('submissions', 'org-a', 1)).allowed).toBe(true);
  });
});
