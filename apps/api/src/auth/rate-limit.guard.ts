import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig, RateLimiter } from '@tocsin/platform';
import type { Response } from 'express';
import type { AuthedRequest } from './api-key.guard';
import { applyDecision } from './rate-limit-headers';

/** The per-organisation buckets: alert submissions, and every other authenticated call. */
export type RateBucket = 'submissions' | 'reads';

const RATE_BUCKET = 'tocsin:rate-bucket';
/** Counts a route against the organisation's `submissions` bucket instead of `reads`. */
export const RateLimit = (bucket: RateBucket) => SetMetadata(RATE_BUCKET, bucket);

/**
 * Per-organisation rate limits, after authentication: one Redis round trip per request, keyed by the caller's
 * organisation, so one organisation's flood leaves the others' buckets untouched. Public routes are not counted.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') {
      return true;
    }
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    if (!req.actor) {
      return true;
    }
    const bucket =
      this.reflector.getAllAndOverride<RateBucket | undefined>(RATE_BUCKET, [ctx.getHandler(), ctx.getClass()]) ??
      'reads';
    const perMinute =
      bucket === 'submissions'
        ? this.config.TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE
        : this.config.TOCSIN_RATE_LIMIT_READS_PER_MINUTE;
    const burst = bucket === 'submissions' ? this.config.TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST : 0;
    const decision = await this.limiter.take(bucket, req.actor.orgId, perMinute, burst);
    applyDecision(ctx.switchToHttp().getResponse<Response>(), decision);
    return true;
  }
}
