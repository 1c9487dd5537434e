import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * API keys: `tcs_<lookup id>_<secret>`.
 * - the lookup id (12 base62 characters) is stored in clear and indexed, so a key is found without scanning;
 * - the secret carries 256 bits of randomness; only SHA-256 of the whole key is stored. A slow password hash
 *   adds nothing for a 256-bit random secret, and a fast one keeps authentication cheap on every request.
 * - verification compares digests in constant time.
 */
export const API_KEY_PATTERN = /^tcs_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface ParsedApiKey {
  readonly lookupId: string;
}

/** `random(n)` returns n cryptographically random bytes (injected, so this stays pure). */
export function generateApiKey(random: (n: number) => Uint8Array): { key: string; lookupId: string } {
  const idBytes = random(12);
  let lookupId = '';
  for (const b of idBytes) {
    lookupId += BASE62[b % 62];
  }
  const secret = Buffer.from(random(32)).toString('base64url');
  return { key: `tcs_${lookupId}_${secret}`, lookupId };
}

export function parseApiKey(token: string): ParsedApiKey | null {
  if (token.length > 80) {
    return null;
  }
  const m = API_KEY_PATTERN.exec(token);
  return m?.[1] ? { lookupId: m[1] } : null;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function verifyApiKey(presented: string, storedHash: Buffer): boolean {
  const digest = hashApiKey(presented);
  return digest.length === storedHash.length && timingSafeEqual(digest, storedHash);
}

/** Reads a bearer token from an `Authorization` header value; null when absent or malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (!header || header.length > 200) {
    return null;
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}
