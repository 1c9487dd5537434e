import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { RateDecision } from '@tocsin/platform';
import { createHash } from 'node:crypto';

/** The per-organisation buckets: alert submissions, and every other authenticated call. */
export type RateBucket = 'submissions' | 'reads';

const RATE_BUCKET = 'tocsin:rate-bucket';
/** Counts a route against the organisation's `submissions` bucket instead of `reads`. */
export const RateLimit = (bucket: RateBucket) => SetMetadata(RATE_BUCKET, bucket);

/** The bucket a route counts against. */
export function bucketOf(reflector: Reflector, ctx: ExecutionContext): RateBucket {
  return (
    reflector.getAllAndOverride<RateBucket | undefined>(RATE_BUCKET, [ctx.getHandler(), ctx.getClass()]) ?? 'reads'
  );
}

/** Refusals remembered at most; the oldest is forgotten first. */
const MAX_REMEMBERED = 10_000;

/**
 * The per-organisation refusals this process answered, by bucket and by the exact credential that was refused
 * (its SHA-256, never the key itself), until the bucket would let it through again. A client that keeps sending
 * through its 429 is answered again before its key is looked up in PostgreSQL or Redis is asked, so a flood costs
 * the hub almost nothing and never slows the other organisations. Only a credential that was authenticated and then
 * refused by its organisation's bucket is remembered: an unknown or wrong key is never answered from here.
 */
@Injectable()
export class RefusalCache {
  private readonly refused = new Map<string, { until: number; decision: RateDecision }>();

  /** The refusal still standing for this credential on this bucket, its Retry-After brought up to date; or null. */
  standing(bucket: RateBucket, authorization: string, now = Date.now()): RateDecision | null {
    const key = cacheKey(bucket, authorization);
    const r = this.refused.get(key);
    if (!r) {
      return null;
    }
    if (r.until <= now) {
      this.refused.delete(key);
      return null;
    }
    return {
      ...r.decision,
      retryAfterSeconds: Math.max(1, Math.ceil((r.until - now) / 1000)),
      retryAfterMs: r.until - now,
    };
  }

  /** Remembers a refusal (a decision that was not allowed) until its Retry-After. */
  remember(bucket: RateBucket, authorization: string, decision: RateDecision, now = Date.now()): void {
    if (decision.allowed || decision.retryAfterMs <= 0) {
      return;
    }
    const key = cacheKey(bucket, authorization);
    this.refused.delete(key);
    if (this.refused.size >= MAX_REMEMBERED) {
      const oldest = this.refused.keys().next();
      if (!oldest.done) {
        this.refused.delete(oldest.value);
      }
    }
    // Until the bucket really lets it through (to the millisecond), not the rounded-up Retry-After: a client that
    // waits less than the header said may still get in, as it would from the bucket itself.
    this.refused.set(key, { until: now + decision.retryAfterMs, decision });
  }
}

function cacheKey(bucket: RateBucket, authorization: string): string {
  return `${bucket}:${createHash('sha256').update(authorization).digest('base64url')}`;
}
