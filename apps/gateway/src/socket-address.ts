import express from 'express';

/** Express's compiled `trust proxy`: may the address `hop` steps away from us set `X-Forwarded-For`? */
export type TrustProxy = (address: string, hop: number) => boolean;

/** Compiles a `trust proxy` value exactly as Express does for the HTTP API (`req.ip`). */
export function compileTrustProxy(value: boolean | number | string): TrustProxy {
  const probe = express();
  probe.set('trust proxy', value);
  return probe.get('trust proxy fn') as TrustProxy;
}

/**
 * The handshake's source address as Express's `req.ip` would give it: the peer, or the nearest
 * `X-Forwarded-For` entry not set by a trusted proxy (proxy-addr's walk, from the nearest hop outwards).
 */
export function socketAddress(peer: string, forwardedFor: string | string[] | undefined, trust: TrustProxy): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = [
    peer,
    ...header
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a.length > 0)
      .reverse(),
  ];
  for (let i = 0; i < hops.length - 1; i++) {
    if (!trust(hops[i]!, i)) {
      return hops[i]!;
    }
  }
  return hops[hops.length - 1]!;
}
