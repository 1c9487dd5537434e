import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Random secrets handed to a person once (invite tokens, session tokens, CSRF tokens, recovery codes). Like API keys,
 * they carry enough randomness that a fast hash suffices: only SHA-256 is stored, so a read of the database hands
 * nobody a usable secret.
 */
export function generateSecretToken(random: (n: number) => Uint8Array, bytes = 32): string {
  return Buffer.from(random(bytes)).toString('base64url');
}

export function hashSecretToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function sameSecret(a: string, b: string): boolean {
  const x = hashSecretToken(a);
  const y = hashSecretToken(b);
  return timingSafeEqual(x, y);
}

/** A session or invite token as we issue it (43 base64url characters); anything else is not looked up. */
export function isSecretTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten one-time recovery codes, `xxxxx-xxxxx` (about 49 bits each, no look-alike characters). */
export function generateRecoveryCodes(random: (n: number) => Uint8Array, count = 10): string[] {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = random(10);
    let s = '';
    for (const b of bytes) {
      s += RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length];
    }
    codes.push(`${s.slice(0, 5)}-${s.slice(5)}`);
  }
  return codes;
}

/** A recovery code as typed (any case, with or without the dash), in the form its hash was taken of; or null. */
export function normalizeRecoveryCode(input: string): string | null {
  const s = input.trim().toLowerCase().replace(/[\s-]/g, '');
  if (s.length !== 10 || [...s].some((c) => !RECOVERY_ALPHABET.includes(c))) {
    return null;
  }
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
