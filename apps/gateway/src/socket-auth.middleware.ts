import { mayPerform, type Actor } from '@tocsin/domain';
import type { AuthenticateKeyUseCase } from '@tocsin/orgs';
import type { Socket } from 'socket.io';

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

/**
 * Authenticates in the handshake (`auth: {token, lastSeq?}`): a bad, revoked or suspended key gets
 * `connect_error`, never a connect-then-kick.
 */
export function socketAuthMiddleware(authenticate: AuthenticateKeyUseCase) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; lastSeq?: unknown };
    const lastSeq = parseLastSeq(auth.lastSeq);
    if (lastSeq === 'invalid') {
      next(new Error('invalid lastSeq: a non-negative integer'));
      return;
    }
    authenticate
      .execute(typeof auth.token === 'string' ? auth.token : null)
      .then((actor) => {
        if (!actor) {
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
