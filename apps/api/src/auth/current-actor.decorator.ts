import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@tocsin/domain';
import { Unauthorized } from '@tocsin/platform';
import type { AuthedRequest } from './api-key.guard';

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthedRequest>().actor;
  if (!actor) {
    throw new Unauthorized();
  }
  return actor;
});

export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string | null => {
  const id = ctx.switchToHttp().getRequest<AuthedRequest & { id?: unknown }>().id;
  return typeof id === 'string' ? id : null;
});
