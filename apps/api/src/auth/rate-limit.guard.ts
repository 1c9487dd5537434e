import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig, RateLimiter } from '@tocsin/platform';
import type { Response } from 'express';
import type { AuthedRequest } from './api-key.guard';
import { applyDecision } from './rate-limit-headers';
import { bucketOf, RefusalCache } from './rate-buckets';

export { RateLimit, type RateBucket } from './rate-buckets';

/**
 * Per-organisation rate limits, after authentication: one Redis round trip per request, keyed by the caller's
 * organisation, so one organisation's flood leaves the others' buckets untouched. Public routes are not counted.
 * A refusal is remembered (RefusalCache), so the same credential's next requests are refused before any lookup.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    private readonly refusals: RefusalCache,
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
    const bucket = bucketOf(this.reflector, ctx);
    const perMinute =
      bucket === 'submissions'
        ? this.config.TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE
        : this.config.TOCSIN_RATE_LIMIT_READS_PER_MINUTE;
    const burst = bucket === 'submissions' ? this.config.TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST : 0;
    const decision = await this.limiter.take(bucket, req.actor.orgId, perMinute, burst);
    if (req.headers.authorization !== undefined) {
      this.refusals.remember(bucket, req.headers.authorization, decision);
    }
    applyDecision(ctx.switchToHttp().getResponse<Response>(), decision);
    return true;
  }
}
