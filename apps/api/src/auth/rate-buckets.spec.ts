import type { RateDecision } from '@tocsin/platform';
import { describe, expect, it } from 'vitest';
import { RefusalCache } from './rate-buckets';

const refused = (retryAfterSeconds: number): RateDecision => ({
  allowed: false,
  limit: 600,
  windowSeconds: 6,
  remaining: 0,
  retryAfterSeconds,
  retryAfterMs: retryAfterSeconds * 1000,
  resetSeconds: 6,
  degraded: false,
});

describe(RefusalCache.name, () => {
  const T0 = 1_000_000;

  it('answers nothing for a credential it never refused', () => {
    expect(new RefusalCache().standing('submissions', 'Bearer tcs_a', T0)).toBeNull();
  });

  it('refuses the same credential on the same bucket until Retry-After, counting down', () => {
    const c = new RefusalCache();
    c.remember('submissions', 'Bearer tcs_a', refused(3), T0);
    expect(c.standing('submissions', 'Bearer tcs_a', T0 + 100)).toMatchObject({ allowed: false, retryAfterSeconds: 3 });
    expect(c.standing('submissions', 'Bearer tcs_a', T0 + 2_100)).toMatchObject({ retryAfterSeconds: 1 });
    expect(c.standing('submissions', 'Bearer tcs_a', T0 + 3_000)).toBeNull();
  });

  it('keeps buckets and credentials apart', () => {
    const c = new RefusalCache();
    c.remember('submissions', 'Bearer tcs_a', refused(5), T0);
    expect(c.standing('reads', 'Bearer tcs_a', T0)).toBeNull();
    expect(c.standing('submissions', 'Bearer tcs_b', T0)).toBeNull();
  });

  it('never remembers an allowed decision', () => {
    const c = new RefusalCache();
    c.remember('reads', 'Bearer tcs_a', { ...refused(0), allowed: true }, T0);
    expect(c.standing('reads', 'Bearer tcs_a', T0)).toBeNull();
  });

  it('stays bounded: the oldest refusal is forgotten first', () => {
    const c = new RefusalCache();
    for (let i = 0; i <= 10_000; i++) {
      c.remember('reads', `Bearer k${i}`, refused(60), T0);
    }
    expect(c.standing('reads', 'Bearer k0', T0)).toBeNull();
    expect(c.standing('reads', 'Bearer k1', T0)).not.toBeNull();
    expect(c.standing('reads', 'Bearer k10000', T0)).not.toBeNull();
  });

  it('lets a credential through as soon as its bucket would, not after the rounded-up Retry-After', () => {
    const c = new RefusalCache();
    c.remember('submissions', 'Bearer tcs_a', { ...refused(1), retryAfterMs: 10 }, T0);
    expect(c.standing('submissions', 'Bearer tcs_a', T0 + 5)).toMatchObject({ retryAfterSeconds: 1, retryAfterMs: 5 });
    expect(c.standing('submissions', 'Bearer tcs_a', T0 + 10)).toBeNull();
  });
});
