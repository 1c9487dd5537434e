import type { Attachment } from '@tocsin/delivery';
import { isUuid, mayPerform, parseAttachedSubscriptions, type Actor } from '@tocsin/domain';
import type { AuthenticateKeyUseCase } from '@tocsin/orgs';
import type { RateLimiter } from '@tocsin/platform';
import type { Socket } from 'socket.io';
import { socketAddress, type TrustProxy } from './socket-address';

export interface SocketData {
  actor: Actor;
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

/**
 * Authenticates in the handshake (`auth: {token, lastSeq?, subscriptions?}`): a bad, revoked or suspended key gets
 * `connect_error`, never a connect-then-kick; so does a subscription id that is not one of the org's own
 * (`subscription-not-found`, the same for an unknown id and another org's). A token that is refused counts against its source address;
 * past the limit that address gets `connect_error` `rate-limited` before its token is checked.
 */
export function socketAuthMiddleware(
  authenticate: AuthenticateKeyUseCase,
  prepare: PrepareAttachment,
  failures?: HandshakeFailureLimit,
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
    const address = failures
      ? socketAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], failures.trust)
      : '';
    const blocked = async (): Promise<boolean> =>
      failures !== undefined &&
      token !== null &&
      !(await failures.limiter.peek('auth-failures', address, failures.perMinute)).allowed;
    blocked()
      .then(async (refused) => {
        if (refused) {
          next(new Error('rate-limited'));
          return;
        }
        const actor = await authenticate.execute(token);
        if (!actor) {
          if (failures && token !== null) {
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
        (socket.data as SocketData) = { actor, lastSeq, attachment };
        next();
      })
      .catch(() => next(new Error('unavailable')));
  };
}
