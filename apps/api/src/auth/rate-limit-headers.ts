import { RateLimited, type RateDecision } from '@tocsin/platform';
import type { Response } from 'express';

/**
 * Writes the `RateLimit-Policy`, `-Limit`, `-Remaining` and `-Reset` fields (draft-ietf-httpapi-ratelimit-headers-06,
 * as express-rate-limit's `draft-6` does) and, when refused, `Retry-After`, then throws 429.
 */
export function applyDecision(res: Response, d: RateDecision): void {
  if (d.limit <= 0 || d.degraded) {
    return;
  }
  writeRateHeaders(res, d);
  if (!d.allowed) {
    throw new RateLimited(d.retryAfterSeconds);
  }
}

/** The rate-limit fields of a decision, and `Retry-After` when it refuses. */
export function writeRateHeaders(res: Response, d: RateDecision): void {
  res.setHeader('RateLimit-Policy', `${d.limit};w=${d.windowSeconds}`);
  res.setHeader('RateLimit-Limit', String(d.limit));
  res.setHeader('RateLimit-Remaining', String(d.remaining));
  res.setHeader('RateLimit-Reset', String(d.resetSeconds));
  if (!d.allowed) {
    res.setHeader('Retry-After', String(d.retryAfterSeconds));
  }
}
