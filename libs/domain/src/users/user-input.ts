import { z } from 'zod';
import { err, ok, type Result } from '../shared/result';
import { zodIssues } from '../shared/zod-issues';
import { storableString } from '../shared/storable-text';
import { ROLES, type Role } from '../orgs/roles';

/** E-mail addresses are compared case-insensitively: stored and looked up lower-cased, trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const email = storableString()
  .trim()
  .max(254, 'must be at most 254 characters')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address');

export const inviteUserSchema = z.strictObject({
  email,
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
  name: storableString().trim().min(1, 'must not be blank').max(200, 'must be at most 200 characters').optional(),
});

export interface NewUser {
  readonly email: string;
  readonly role: Role;
  readonly name: string | null;
}

export function parseInviteUser(body: unknown): Result<NewUser> {
  const r = inviteUserSchema.safeParse(body);
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  return ok({ email: normalizeEmail(r.data.email), role: r.data.role, name: r.data.name ?? null });
}

export const changeUserSchema = z
  .strictObject({
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, { error: 'give role, disabled or both' });

export interface UserChange {
  readonly role?: Role;
  readonly disabled?: boolean;
}

export function parseUserChange(body: unknown): Result<UserChange> {
  const r = changeUserSchema.safeParse(body);
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  return ok({
    ...(r.data.role === undefined ? {} : { role: r.data.role }),
    ...(r.data.disabled === undefined ? {} : { disabled: r.data.disabled }),
  });
}

/** Passwords are not trimmed; bounded so argon2 is never asked to hash megabytes. */
const password = z.string({ error: 'must be a string' }).max(1024, 'must be at most 1024 characters');

export const acceptInviteSchema = z.strictObject({ password });

export function parseAcceptInvite(body: unknown): Result<{ password: string }> {
  const r = acceptInviteSchema.safeParse(body);
  return r.success ? ok(r.data) : err(zodIssues(r.error));
}

export const signInSchema = z.strictObject({
  email: z.string({ error: 'must be a string' }).max(254, 'must be at most 254 characters'),
  password,
  totp: z.string({ error: 'must be a string' }).max(64, 'must be at most 64 characters').optional(),
});

export interface SignIn {
  readonly email: string;
  readonly password: string;
  readonly totp: string | null;
}

export function parseSignIn(body: unknown): Result<SignIn> {
  const r = signInSchema.safeParse(body);
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  return ok({ email: normalizeEmail(r.data.email), password: r.data.password, totp: r.data.totp ?? null });
}

export const confirmTotpSchema = z.strictObject({
  code: z.string({ error: 'must be a string' }).regex(/^\d{6}$/, 'must be the 6 digits the app shows'),
});

/**
 * `POST /api/v1/session/totp`: no body to enrol a first second factor; to replace one, `code`, a current code of it
 * or an unused recovery code (the step-up that keeps a stolen session from swapping the factor).
 */
export const startTotpSchema = z.strictObject({
  code: z.string({ error: 'must be a string' }).max(64, 'must be at most 64 characters').optional(),
});

export function parseStartTotp(body: unknown): Result<{ code: string | null }> {
  const r = startTotpSchema.safeParse(body ?? {});
  return r.success ? ok({ code: r.data.code ?? null }) : err(zodIssues(r.error));
}

export function parseConfirmTotp(body: unknown): Result<{ code: string }> {
  const r = confirmTotpSchema.safeParse(body);
  return r.success ? ok(r.data) : err(zodIssues(r.error));
}
