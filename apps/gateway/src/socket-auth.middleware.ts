import type { Attachment } from '@tocsin/delivery';
import {
  SESSION_COOKIE,
  cookieValue,
  isUuid,
  mayPerform,
  parseAttachedSubscriptions,
  type Actor,
} from '@tocsin/domain';
import type { AuthenticateKeyUseCase, AuthenticateSessionUseCase } from '@tocsin/orgs';
import type { RateLimiter } from '@tocsin/platform';
import type { Socket } from 'socket.io';
import { socketAddress, type TrustProxy } from './socket-address';

export interface SocketData {
  actor: Actor;
  /** Set when the socket was opened with a session cookie rather than a key. */
  sessionId?: string;
  lastSeq: number | null;
  /** The subscriptions it attached to and where it starts (resolved in the handshake). */
  attachment: Attachment;
}

/** Resolves a handshake's subscriptions and start (DeliveryEngine.prepare). */
export type PrepareAttachment = (
  actor: Actor,
  subscriptionIds: readonly string[],
  lastSeq: number | null,
) => Promise<Attachment | 'not-found'>;

/** Parses `auth.lastSeq`: absent → null (live only); otherwise a non-negative integer. */
export function parseLastSeq(v: unknown): number | null | 'invalid' {
  if (v === undefined || v === null) {
    return null;
  }
  const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 'invalid';
}

/** Failed handshakes counted per source address, in the same Redis bucket as the HTTP API's failed keys. */
export interface HandshakeFailureLimit {
  readonly limiter: RateLimiter;
  readonly perMinute: number;
  readonly trust: TrustProxy;
}

/** Sockets opened with the session cookie (no `auth.token`): from the hub's own origins only. */
export interface SessionHandshake {
  readonly authenticate: AuthenticateSessionUseCase;
  /** TOCSIN_PUBLIC_URL's origin, when set. */
  readonly publicOrigin: string | null;
}

/** Why a session handshake is refused, before its session is looked up: a foreign `Origin` (cross-site hijacking). */
function foreignOrigin(socket: Socket, publicOrigin: string | null): boolean {
  const origin = socket.handshake.headers.origin;
  if (origin === undefined) {
    return false;
  }
  const host = socket.handshake.headers.host;
  const own = [publicOrigin, host ? `${socket.handshake.secure ? 'https' : 'http'}://${host}` : null];
  return !own.some((o) => o !== null && o.toLowerCase() === origin.toLowerCase());
}

/**
 * Authenticates in the handshake (`auth: {token, lastSeq?, subscriptions?}`, or with no token the session cookie, which
 * acts as its user, as over HTTP; an enrolment-only session is refused): a bad, revoked or suspended key gets
 * `connect_error`, never a connect-then-kick; so does a subscription id that is not one of the org's own
 * (`subscription-not-found`, the same for an unknown id and another org's). A token that is refused counts against its source address;
 * past the limit that address gets `connect_error` `rate-limited` before its token is checked.
 */
export function socketAuthMiddleware(
  authenticate: AuthenticateKeyUseCase,
  prepare: PrepareAttachment,
  failures?: HandshakeFailureLimit,
  sessions?: SessionHandshake,
) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; lastSeq?: unknown; subscriptions?: unknown };
    const lastSeq = parseLastSeq(auth.lastSeq);
    if (lastSeq === 'invalid') {
      next(new Error('invalid lastSeq: a non-negative integer'));
      return;
    }
    const subscriptionIds = parseAttachedSubscriptions(auth.subscriptions, isUuid);
    if (subscriptionIds === 'invalid') {
      next(new Error('invalid subscriptions: a list of at most 20 subscription ids'));
      return;
    }
    const token = typeof auth.token === 'string' ? auth.token : null;
    const cookie =
      token === null && sessions ? cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE) : undefined;
    if (cookie !== undefined && sessions && foreignOrigin(socket, sessions.publicOrigin)) {
      next(new Error('csrf-refused'));
      return;
    }
    const address = failures
      ? socketAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], failures.trust)
      : '';
    const blocked = async (): Promise<boolean> =>
      failures !== undefined &&
      (token !== null || cookie !== undefined) &&
      !(await failures.limiter.peek('auth-failures', address, failures.perMinute)).allowed;
    blocked()
      .then(async (refused) => {
        if (refused) {
          next(new Error('rate-limited'));
          return;
        }
        const session = cookie !== undefined && sessions ? await sessions.authenticate.execute(cookie) : null;
        if (session?.enrolmentOnly) {
          next(new Error('second-factor-enrolment-required'));
          return;
        }
        const actor = session ? session.actor : await authenticate.execute(token);
        if (!actor) {
          if (failures && (token !== null || cookie !== undefined)) {
            await failures.limiter.take('auth-failures', address, failures.perMinute);
          }
          next(new Error('unauthorized'));
          return;
        }
        if (!mayPerform(actor, 'alert.read')) {
          next(new Error('forbidden'));
          return;
        }
        const attachment = await prepare(actor, subscriptionIds, lastSeq);
        if (attachment === 'not-found') {
          next(new Error('subscription-not-found'));
          return;
        }
        (socket.data as SocketData) = session
          ? { actor, sessionId: session.sessionId, lastSeq, attachment }
          : { actor, lastSeq, attachment };
        next();
      })
      .catch(() => next(new Error('unavailable')));
  };
}
