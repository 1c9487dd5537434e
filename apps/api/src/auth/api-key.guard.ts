import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { bearerToken } from '@tocsin/domain';
import { IS_PUBLIC } from '@tocsin/platform';
import { KeyCheck, type AuthedRequest } from './key-check';
import { isTaxiiRoute } from '../taxii/taxii-auth.guard';

export type { AuthedRequest } from './key-check';

/**
 * Every route needs a valid key (`Authorization: Bearer <key>`) unless marked @Public(); what the key may do is
 * decided in the use-case. TAXII routes are authenticated by the TaxiiAuthGuard instead (Basic or Bearer), with the
 * same KeyCheck.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: KeyCheck,
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
    await this.keys.check(ctx, bearerToken(req.headers.authorization));
    return true;
  }
}
