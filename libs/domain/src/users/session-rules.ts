import type { Role } from '../orgs/roles';

/** The session cookie's name (HttpOnly, SameSite=Strict, Path=/), read by the API and the socket gateway. */
export const SESSION_COOKIE = 'tocsin_session';

export interface SessionPolicy {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

export interface SessionTimes {
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
}

/** A session is live until idle for `idleMs` or past its absolute expiry, whichever comes first. */
export function sessionLive(s: SessionTimes, policy: SessionPolicy, now: Date): boolean {
  return now.getTime() < s.expiresAt.getTime() && now.getTime() - s.lastSeenAt.getTime() < policy.idleMs;
}

/** The absolute expiry of a session opened at `now`. */
export function sessionExpiry(policy: SessionPolicy, now: Date): Date {
  return new Date(now.getTime() + policy.absoluteMs);
}

/** Whether a user of this role must have a second factor before a full session. */
export function secondFactorRequired(role: Role, requiredRoles: readonly Role[]): boolean {
  return requiredRoles.includes(role);
}

export type CsrfDecision = 'allow' | 'foreign-origin' | 'missing-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence of a request authenticated by the session cookie: a state-changing method needs an `Origin` (when
 * the browser sent one) among the hub's own, and the session's CSRF token in `X-CSRF-Token`. Safe methods pass.
 */
export function decideCsrf(r: {
  readonly method: string;
  readonly origin: string | undefined;
  readonly ownOrigins: readonly string[];
  readonly presentedToken: string | undefined;
  readonly sessionToken: string;
  readonly same: (a: string, b: string) => boolean;
}): CsrfDecision {
  if (SAFE_METHODS.has(r.method.toUpperCase())) {
    return 'allow';
  }
  if (r.origin !== undefined && !r.ownOrigins.includes(r.origin.toLowerCase())) {
    return 'foreign-origin';
  }
  if (r.presentedToken === undefined || !r.same(r.presentedToken, r.sessionToken)) {
    return 'missing-token';
  }
  return 'allow';
}

/** The value of one cookie in a `Cookie` header; undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}
