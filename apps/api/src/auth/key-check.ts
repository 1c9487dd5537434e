import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@tocsin/domain';
import { AuthenticateKeyUseCase } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, RateLimiter, Unauthorized } from '@tocsin/platform';
import type { Request, Response } from 'express';
import { applyDecision } from './rate-limit-headers';
import { bucketOf, RefusalCache } from './rate-buckets';

export type AuthedRequest = Request & { actor?: Actor };

/**
 * The one key check of every authenticated route, whichever way the key was presented (Bearer on the API; Bearer
 * or Basic on TAXII). Failed attempts (a key presented and refused) are counted per source address (`req.ip`, see
 * TOCSIN_TRUST_PROXY): past the limit an address gets 429 before its key is even looked at, so a key cannot be
 * guessed at speed.
 */
@Injectable()
export class KeyCheck {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateKeyUseCase,
    private readonly limiter: RateLimiter,
    private readonly refusals: RefusalCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sets `req.actor` for the presented key (null: malformed), or throws 401 / 429. */
  async check(ctx: ExecutionContext, key: string | null, unauthorizedDetail?: string): Promise<void> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const authorization = req.headers.authorization;
    if (authorization === undefined) {
      // No credential, nothing guessed: not counted (a client without its key, a probe, a health checker).
      throw new Unauthorized(unauthorizedDetail);
    }
    const res = ctx.switchToHttp().getResponse<Response>();
    // A credential its organisation's bucket refused moments ago is refused again here, before any lookup.
    const standing = this.refusals.standing(bucketOf(this.reflector, ctx), authorization);
    if (standing) {
      applyDecision(res, standing);
    }
    const perMinute = this.config.TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE;
    const address = req.ip ?? 'unknown';
    const failures = await this.limiter.peek('auth-failures', address, perMinute);
    if (!failures.allowed) {
      applyDecision(res, failures);
    }
    const actor = await this.authenticate.execute(key);
    if (!actor) {
      await this.limiter.take('auth-failures', address, perMinute);
      throw new Unauthorized(unauthorizedDetail);
    }
    req.actor = actor;
  }
}
