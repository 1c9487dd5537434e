export interface BackoffOptions {
  /** The first retry's delay, default 500 ms. */
  readonly initialDelayMs?: number;
  /** No delay is longer, default 30 s. */
  readonly maxDelayMs?: number;
  /** 0–1, default 0.5: each delay is cut by up to this share at random, so many clients do not retry together. */
  readonly jitter?: number;
}

export const DEFAULT_BACKOFF = { initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0.5 } as const;

/**
 * The delay before retry number `attempt` (1, 2, …): `initial × 2^(attempt−1)`, at most `max`, then lowered by a
 * random share of up to `jitter` of it. So the delay lies in `[d × (1 − jitter), d]` where d is the capped doubling.
 * `random` returns a number in [0, 1) (Math.random; injected in tests).
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = Math.max(1, opts.initialDelayMs ?? DEFAULT_BACKOFF.initialDelayMs);
  const max = Math.max(initial, opts.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs);
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? DEFAULT_BACKOFF.jitter));
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n−1) overflows to Infinity for large n; min() keeps it at max.
  const capped = Math.min(max, initial * 2 ** Math.min(n - 1, 60));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(capped * (1 - jitter * r));
}
