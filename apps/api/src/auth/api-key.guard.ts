import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { bearerToken, type Actor } from '@tocsin/domain';
import { AuthenticateKeyUseCase } from '@tocsin/orgs';
import { Unauthorized } from '@tocsin/platform';
import type { Request } from 'express';
import { IS_PUBLIC } from './public.decorator';

export type AuthedRequest = Request & { actor?: Actor };

/** Every route needs a valid key unless marked @Public(); what the key may do is decided in the use-case. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateKeyUseCase,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') {
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) {
      return true;
    }
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const actor = await this.authenticate.execute(bearerToken(req.headers.authorization));
    if (!actor) {
      throw new Unauthorized();
    }
    req.actor = actor;
    return true;
  }
}
