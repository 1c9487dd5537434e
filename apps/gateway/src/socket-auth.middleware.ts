import { mayPerform, type Actor } from '@tocsin/domain';
import type { AuthenticateKeyUseCase } from '@tocsin/orgs';
import type { RateLimiter } from '@tocsin/platform';
import type { Socket } from 'socket.io';
import { socketAddress, type TrustProxy } from './socket-address';

export interface SocketData {
  actor: Actor;
  lastSeq: number | null;
}

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
 * Authenticates in the handshake (`auth: {token, lastSeq?}`): a bad, revoked or suspended key gets
 * `connect_error`, never a connect-then-kick. A token that is refused counts against its source address;
 * past the limit that address gets `connect_error` `rate-limited` before its token is checked.
 */
export function socketAuthMiddleware(authenticate: AuthenticateKeyUseCase, failures?: HandshakeFailureLimit) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; lastSeq?: unknown };
    const lastSeq = parseLastSeq(auth.lastSeq);
    if (lastSeq === 'invalid') {
      next(new Error('invalid lastSeq: a non-negative integer'));
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
        (socket.data as SocketData) = { actor, lastSeq };
        next();
      })
      .catch(() => next(new Error('unavailable')));
  };
}
