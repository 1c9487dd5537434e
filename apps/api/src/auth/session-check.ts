import { type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { decideCsrf, sameSecret } from '@tocsin/domain';
import { AuthenticateSessionUseCase, type SessionAuth } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Forbidden, RateLimiter, Unauthorized } from '@tocsin/platform';
import type { Request, Response } from 'express';
import type { AuthedRequest } from './key-check';
import { applyDecision } from './rate-limit-headers';

export { SESSION_COOKIE } from '@tocsin/domain';

/** A request authenticated by a session cookie carries the session too. */
export type SessionRequest = AuthedRequest & { userSession?: SessionAuth };

const ENROLMENT_ALLOWED = 'tocsin:enrolment-allowed';
/** Marks a route an enrolment-only session may call (who am I, sign out, TOTP enrolment). */
export const EnrolmentAllowed = () => SetMetadata(ENROLMENT_ALLOWED, true);

/** The hub's own origins: TOCSIN_PUBLIC_URL's, and the one the request was addressed to. */
export function ownOrigins(req: Request, config: AppConfig): string[] {
  const out: string[] = [];
  if (config.TOCSIN_PUBLIC_URL) {
    out.push(new URL(config.TOCSIN_PUBLIC_URL).origin.toLowerCase());
  }
  const host = req.headers.host;
  if (host) {
    out.push(`${req.protocol}://${host}`.toLowerCase());
  }
  return out;
}

/**
 * Sign-in and invites take no cookie, but a foreign page must not sign a browser in to an account of its choosing
 * (login CSRF): an `Origin` other than the hub's own is refused there too.
 */
export function refuseForeignOrigin(req: Request, config: AppConfig): void {
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins(req, config).includes(origin.toLowerCase())) {
    throw new Forbidden('a request from another origin may not sign in', 'csrf-refused');
  }
}

/** Whether the session cookie gets `Secure`. */
export function secureCookie(req: Request, config: AppConfig): boolean {
  switch (config.TOCSIN_SESSION_COOKIE_SECURE) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'auto':
      return req.secure || (config.TOCSIN_PUBLIC_URL?.startsWith('https:') ?? false);
  }
}

/**
 * The session counterpart of KeyCheck, for a request with the session cookie and no `Authorization`: a live session
 * acts as its user (same rights as a key of the user's role, in the user's org). A state-changing request must come
 * from the hub's own origin and carry the session's CSRF token in `X-CSRF-Token`; an enrolment-only session may call
 * only the routes marked @EnrolmentAllowed(). Refused cookies count as failed authentications of the address.
 */
@Injectable()
export class SessionCheck {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateSessionUseCase,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(ctx: ExecutionContext, token: string): Promise<void> {
    const req = ctx.switchToHttp().getRequest<SessionRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const perMinute = this.config.TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE;
    const address = req.ip ?? 'unknown';
    const failures = await this.limiter.peek('auth-failures', address, perMinute);
    if (!failures.allowed) {
      applyDecision(res, failures);
    }
    const session = await this.authenticate.execute(token);
    if (!session) {
      await this.limiter.take('auth-failures', address, perMinute);
      throw new Unauthorized('the session has ended: sign in again (or send an API key)');
    }
    const csrf = decideCsrf({
      method: req.method,
      origin: typeof req.headers.origin === 'string' ? req.headers.origin : undefined,
      ownOrigins: ownOrigins(req, this.config),
      presentedToken: typeof req.headers['x-csrf-token'] === 'string' ? req.headers['x-csrf-token'] : undefined,
      sessionToken: session.csrfToken,
      same: sameSecret,
    });
    switch (csrf) {
      case 'allow':
        break;
      case 'foreign-origin':
        throw new Forbidden('a request from another origin may not use this session', 'csrf-refused');
      case 'missing-token':
        throw new Forbidden('X-CSRF-Token must carry the session’s csrfToken (GET /api/v1/session)', 'csrf-refused');
    }
    if (
      session.enrolmentOnly &&
      !this.reflector.getAllAndOverride<boolean>(ENROLMENT_ALLOWED, [ctx.getHandler(), ctx.getClass()])
    ) {
      throw new Forbidden(
        'your role requires a second factor: set one up first (POST /api/v1/session/totp)',
        'second-factor-enrolment-required',
      );
    }
    req.actor = session.actor;
    req.userSession = session;
  }
}
