import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe(backoffDelay.name, () => {
  it('doubles from the initial delay up to the maximum, without jitter', () => {
    const opts = { initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100, 10_000].map((n) => backoffDelay(n, opts, () => 0.9))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('cuts each delay by the random share of the jitter', () => {
    const opts = { initialDelayMs: 1000, maxDelayMs: 30_000, jitter: 0.5 };
    expect(backoffDelay(1, opts, () => 0)).toBe(1000);
    expect(backoffDelay(1, opts, () => 0.5)).toBe(750);
    expect(backoffDelay(1, opts, () => 0.999_999)).toBe(500);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(3000);
  });

  it('stays within [d × (1 − jitter), d] for every attempt, option and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, initialDelayMs, maxDelayMs, jitter, r) => {
          const d = Math.min(Math.max(initialDelayMs, maxDelayMs), initialDelayMs * 2 ** Math.min(attempt - 1, 60));
          const delay = backoffDelay(attempt, { initialDelayMs, maxDelayMs, jitter }, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(d * (1 - jitter)));
          expect(delay).toBeLessThanOrEqual(Math.ceil(d));
        },
      ),
    );
  });

  it('defaults to 500 ms doubling to 30 s with half jitter', () => {
    expect(backoffDelay(1, {}, () => 0)).toBe(500);
    expect(backoffDelay(1, {}, () => 0.999_999)).toBe(250);
    expect(backoffDelay(50, {}, () => 0)).toBe(30_000);
  });
});
