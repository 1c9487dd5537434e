import { Injectable } from '@nestjs/common';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 TOTP as authenticator apps expect it: SHA-1, 6 digits, 30 s, through the otpauth library. */
const PERIOD = 30;

@Injectable()
export class TotpAuthenticator {
  /** A new 160-bit secret, base32. */
  newSecret(): string {
    return new Secret({ size: 20 }).base32;
  }

  uri(secret: string, issuer: string, label: string): string {
    return this.totp(secret, issuer, label).toString();
  }

  /**
   * The time step of a valid code (one step of drift either way), or null. A step not after `lastStep` is refused,
   * so a code seen once cannot be replayed.
   */
  check(secret: string, code: string, lastStep: number | null, now = Date.now()): number | null {
    if (!/^\d{6}$/.test(code)) {
      return null;
    }
    const delta = this.totp(secret, 'Tocsin', 'x').validate({ token: code, timestamp: now, window: 1 });
    if (delta === null) {
      return null;
    }
    const step = Math.floor(now / 1000 / PERIOD) + delta;
    return lastStep !== null && step <= lastStep ? null : step;
  }

  private totp(secret: string, issuer: string, label: string): TOTP {
    return new TOTP({
      issuer,
      label,
      algorithm: 'SHA1',
      digits: 6,
      period: PERIOD,
      secret: Secret.fromBase32(secret),
    });
  }
}
