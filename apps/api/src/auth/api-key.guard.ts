import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SESSION_COOKIE, bearerToken, cookieValue } from '@tocsin/domain';
import { IS_PUBLIC } from '@tocsin/platform';
import { KeyCheck, type AuthedRequest } from './key-check';
import { SessionCheck } from './session-check';
import { isTaxiiRoute } from '../taxii/taxii-auth.guard';

export type { AuthedRequest } from './key-check';

/**
 * Every route needs a valid key (`Authorization: Bearer <key>`), or with no `Authorization` a live session cookie
 * (SessionCheck: CSRF and enrolment rules), unless marked @Public(); what the caller may do is decided in the use-case. TAXII routes are authenticated by the TaxiiAuthGuard instead (Basic or Bearer), with the
 * same KeyCheck.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: KeyCheck,
    private readonly sessions: SessionCheck,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') {
      return true;
    }
    if (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]) ||
      isTaxiiRoute(this.reflector, ctx)
    ) {
      return true;
    }
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const session =
      req.headers.authorization === undefined ? cookieValue(req.headers.cookie, SESSION_COOKIE) : undefined;
    if (session !== undefined) {
      await this.sessions.check(ctx, session);
      return true;
    }
    await this.keys.check(ctx, bearerToken(req.headers.authorization));
    return true;
  }
}
