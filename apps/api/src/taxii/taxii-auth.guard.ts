import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { taxiiCredential } from '@tocsin/domain';
import { KeyCheck, type AuthedRequest } from '../auth/key-check';

const TAXII_ROUTE = 'tocsin:taxii-route';
/** Marks a TAXII 2.1 controller: authenticated by TaxiiAuthGuard (Basic or Bearer), errors as TAXII messages. */
export const TaxiiRoute = () => SetMetadata(TAXII_ROUTE, true);

export function isTaxiiRoute(reflector: Reflector, ctx: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(TAXII_ROUTE, [ctx.getHandler(), ctx.getClass()]) === true;
}

/** What a 401 on a TAXII route says; the error filter adds `WWW-Authenticate: Basic realm="tocsin"`. */
export const TAXII_UNAUTHORIZED =
  'a valid API key is required: HTTP Basic with any user name and the key as password, or Authorization: Bearer <key>';

/**
 * TAXII clients (MISP, OpenCTI, taxii2-client) authenticate with HTTP Basic or a bearer token (TAXII 2.1 §1.6.9):
 * any user name and the organisation's API key as password, or `Bearer <key>`. The key goes through the same
 * KeyCheck as the API (its failed-authentication counting and refusals); the per-organisation rate limit follows
 * (RateLimitGuard, `reads` bucket).
 */
@Injectable()
export class TaxiiAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: KeyCheck,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http' || !isTaxiiRoute(this.reflector, ctx)) {
      return true;
    }
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    await this.keys.check(ctx, taxiiCredential(req.headers.authorization), TAXII_UNAUTHORIZED);
    return true;
  }
}
