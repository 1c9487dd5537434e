import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { bearerToken, type Actor } from '@tocsin/domain';
import { AuthenticateKeyUseCase } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, IS_PUBLIC, RateLimiter, Unauthorized } from '@tocsin/platform';
import type { Request, Response } from 'express';
import { applyDecision } from './rate-limit-headers';
import { bucketOf, RefusalCache } from './rate-buckets';

export type AuthedRequest = Request & { actor?: Actor };

/**
 * Every route needs a valid key unless marked @Public(); what the key may do is decided in the use-case.
 * Failed attempts (a key presented and refused) are counted per source address (`req.ip`, see TOCSIN_TRUST_PROXY): past the limit an address
 * gets 429 before its key is even looked at, so a key cannot be guessed at speed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateKeyUseCase,
    private readonly limiter: RateLimiter,
    private readonly refusals: RefusalCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') {
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) {
      return true;
    }
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    if (req.headers.authorization === undefined) {
      // No credential, nothing guessed: not counted (a client without its key, a probe, a health checker).
      throw new Unauthorized();
    }
    const res = ctx.switchToHttp().getResponse<Response>();
    // A credential its organisation's bucket refused moments ago is refused again here, before any lookup.
    const standing = this.refusals.standing(bucketOf(this.reflector, ctx), req.headers.authorization);
    if (standing) {
      applyDecision(res, standing);
    }
    const perMinute = this.config.TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE;
    const address = req.ip ?? 'unknown';
    const failures = await this.limiter.peek('auth-failures', address, perMinute);
    if (!failures.allowed) {
      applyDecision(res, failures);
    }
    const actor = await this.authenticate.execute(bearerToken(req.headers.authorization));
    if (!actor) {
      await this.limiter.take('auth-failures', address, perMinute);
      throw new Unauthorized();
    }
    req.actor = actor;
    return true;
  }
}
