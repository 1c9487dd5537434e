// The calls of the invite page and of second-factor enrolment (README "Users and sessions").
import { call } from './api';

/** `POST /api/v1/invites/:token`: sets the invited user's password, once. */
export async function acceptInvite(token: string, password: string): Promise<void> {
  await call<unknown>('POST', `/invites/${encodeURIComponent(token)}`, { password });
}

/**
 * `POST /api/v1/session/totp`: a new pending secret, as an otpauth:// URI. To replace a factor, `code` proves it (a
 * current code of it, or a recovery code).
 */
export function startTotp(code?: string): Promise<{ otpauthUri: string; replacing: boolean }> {
  return call<{ otpauthUri: string; replacing: boolean }>(
    'POST',
    '/session/totp',
    code === undefined ? undefined : { code },
  );
}

/** `POST /api/v1/session/totp/confirm`: the first code; the answer holds the ten recovery codes, shown once. */
export function confirmTotp(code: string): Promise<{ recoveryCodes: string[] }> {
  return call<{ recoveryCodes: string[] }>('POST', '/session/totp/confirm', { code });
}
