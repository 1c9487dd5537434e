import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkNewPassword,
  cookieValue,
  decideCsrf,
  generateRecoveryCodes,
  generateSecretToken,
  hashSecretToken,
  isSecretTokenShape,
  normalizeEmail,
  normalizeRecoveryCode,
  parseInviteUser,
  parseSignIn,
  parseUserChange,
  sameSecret,
  secondFactorRequired,
  sessionLive,
} from './index';

const random = (n: number) => randomBytes(n);
const common = new Set(['password123456', 'qwertyuiopasdf']);

describe(checkNewPassword.name, () => {
  it.each([
    ['short', 'elevenchars', 'must be at least 12 characters'],
    ['common, in any case', 'PassWord123456', 'is a commonly used password: choose another'],
  ])('refuses a %s password', (_label, pw, detail) => {
    expect(checkNewPassword(pw, (p) => common.has(p))).toEqual({
      ok: false,
      error: [{ pointer: '/password', detail }],
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkNewPassword('🔒'.repeat(6), () => false).ok).toBe(false);
    expect(checkNewPassword('🔒'.repeat(12), () => false).ok).toBe(true);
  });

  it('accepts a long uncommon password', () => {
    expect(checkNewPassword('glacier tomato violin', (p) => common.has(p))).toEqual({
      ok: true,
      value: 'glacier tomato violin',
    });
  });
});

describe(parseInviteUser.name, () => {
  it('lower-cases and trims the e-mail', () => {
    expect(parseInviteUser({ email: ' Duty@CERT.example ', role: 'reader' })).toEqual({
      ok: true,
      value: { email: 'duty@cert.example', role: 'reader', name: null },
    });
  });

  it.each([
    [{ email: 'not-an-address', role: 'reader' }, '/email'],
    [{ email: 'a@b.example', role: 'root' }, '/role'],
    [{ email: 'a@b.example', role: 'reader', password: 'x' }, '/password'],
  ])('refuses %j at %s', (body, pointer) => {
    const r = parseInviteUser(body);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.error.map((i) => i.pointer)).toContain(pointer);
  });
});

describe(parseUserChange.name, () => {
  it('needs role or disabled', () => {
    expect(parseUserChange({}).ok).toBe(false);
    expect(parseUserChange({ disabled: true })).toEqual({ ok: true, value: { disabled: true } });
    expect(parseUserChange({ role: 'vetter' })).toEqual({ ok: true, value: { role: 'vetter' } });
  });
});

describe(parseSignIn.name, () => {
  it('normalizes the e-mail and keeps the password as typed', () => {
    expect(parseSignIn({ email: 'A@B.example', password: ' pw ' })).toEqual({
      ok: true,
      value: { email: 'a@b.example', password: ' pw ', totp: null },
    });
  });
});

describe('secret tokens', () => {
  it('issues 43-character base64url tokens whose hash verifies only the same token', () => {
    const t = generateSecretToken(random);
    expect(isSecretTokenShape(t)).toBe(true);
    expect(hashSecretToken(t)).toHaveLength(32);
    expect(sameSecret(t, t)).toBe(true);
    expect(sameSecret(t, generateSecretToken(random))).toBe(false);
  });

  it('issues ten distinct recovery codes that normalize back to themselves, however typed', () => {
    const codes = generateRecoveryCodes(random);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) {
      expect(normalizeRecoveryCode(c)).toBe(c);
      expect(normalizeRecoveryCode(c.toUpperCase().replace('-', ''))).toBe(c);
    }
    expect(normalizeRecoveryCode('123456')).toBeNull();
  });
});

describe(sessionLive.name, () => {
  const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  it.each([
    ['fresh', 0, 0, true],
    ['idle too long', 0, 30 * 60_000, false],
    ['active but past its absolute expiry', 12 * 3_600_000 - 1, 12 * 3_600_000, false],
    ['active within both', 11 * 3_600_000, 11 * 3_600_000 + 60_000, true],
  ])('is %s', (_label, lastSeenMs, nowMs, live) => {
    expect(sessionLive({ lastSeenAt: at(lastSeenMs), expiresAt: at(policy.absoluteMs) }, policy, at(nowMs))).toBe(live);
  });
});

describe(secondFactorRequired.name, () => {
  it('follows the configured roles', () => {
    expect(secondFactorRequired('admin', ['admin'])).toBe(true);
    expect(secondFactorRequired('reader', ['admin'])).toBe(false);
    expect(secondFactorRequired('admin', [])).toBe(false);
  });
});

describe(decideCsrf.name, () => {
  const base = {
    ownOrigins: ['https://hub.example'],
    sessionToken: 'tok',
    same: (a: string, b: string) => a === b,
  };
  it.each([
    ['GET', undefined, undefined, 'allow'],
    ['POST', 'https://hub.example', 'tok', 'allow'],
    ['POST', undefined, 'tok', 'allow'],
    ['POST', 'https://evil.example', 'tok', 'foreign-origin'],
    ['DELETE', 'https://hub.example', undefined, 'missing-token'],
    ['PATCH', 'https://hub.example', 'other', 'missing-token'],
  ] as const)('%s from %s with token %s: %s', (method, origin, presentedToken, decision) => {
    expect(decideCsrf({ ...base, method, origin, presentedToken })).toBe(decision);
  });
});

describe(cookieValue.name, () => {
  it('finds one cookie among several', () => {
    expect(cookieValue('a=1; tocsin_session=xyz; b=2', 'tocsin_session')).toBe('xyz');
    expect(cookieValue('a=1', 'tocsin_session')).toBeUndefined();
    expect(cookieValue(undefined, 'tocsin_session')).toBeUndefined();
  });
});

describe(normalizeEmail.name, () => {
  it('compares addresses case-insensitively', () => {
    expect(normalizeEmail('Ops@Example.ORG')).toBe(normalizeEmail('ops@example.org'));
  });
});
