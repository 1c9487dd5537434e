import { z } from 'zod';
import { getAlpha2Codes } from 'i18n-iso-countries';
import { err, ok, type Result } from '../shared/result';
import { zodIssues } from '../shared/zod-issues';
import { reasonField } from '../shared/reason';
import { storableString } from '../shared/storable-text';
import { ROLES, type Role } from './roles';
import type { TrustLevel } from './trust';

const ALPHA2 = new Set(Object.keys(getAlpha2Codes()));

export function isCountryCode(code: string): boolean {
  return ALPHA2.has(code);
}

const orgName = storableString().trim().min(1, 'must not be blank').max(200, 'must be at most 200 characters');
const orgSector = storableString().trim().min(1, 'must not be blank').max(100, 'must be at most 100 characters');

export const createOrgSchema = z.strictObject({
  name: orgName,
  country: storableString()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, such as FR')
    .refine(isCountryCode, 'is not an assigned ISO 3166-1 alpha-2 country code'),
  sector: orgSector.optional(),
  trustLevel: z
    .number()
    .int('must be an integer from 0 to 4')
    .min(0, 'must be from 0 to 4')
    .max(4, 'must be from 0 to 4'),
});

export interface NewOrg {
  readonly name: string;
  readonly country: string;
  readonly sector: string | null;
  readonly trustLevel: TrustLevel;
}

export function parseCreateOrg(body: unknown): Result<NewOrg> {
  const r = createOrgSchema.safeParse(body);
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  return ok({
    name: r.data.name,
    country: r.data.country,
    sector: r.data.sector ?? null,
    trustLevel: r.data.trustLevel as TrustLevel,
  });
}

export const createKeySchema = z.strictObject({
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
  label: storableString().trim().min(1, 'must not be blank').max(100, 'must be at most 100 characters').optional(),
});

export function parseCreateKey(body: unknown): Result<{ role: Role; label: string | null }> {
  const r = createKeySchema.safeParse(body);
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  return ok({ role: r.data.role, label: r.data.label ?? null });
}

const changeOrgSchema = z
  .strictObject({
    trustLevel: z
      .number({ error: 'must be an integer from 0 to 4' })
      .int('must be an integer from 0 to 4')
      .min(0, 'must be from 0 to 4')
      .max(4, 'must be from 0 to 4')
      .optional(),
    name: orgName.optional(),
    sector: orgSector.nullable().optional(),
    reason: reasonField,
  })
  .refine((b) => b.trustLevel !== undefined || b.name !== undefined || b.sector !== undefined, {
    message: 'must change something: trustLevel, name or sector',
  });

/** `PATCH /api/v1/orgs/:id`: a new trust level, name or sector (null clears it), and why. */
export interface OrgChange {
  readonly trustLevel?: TrustLevel;
  readonly name?: string;
  readonly sector?: string | null;
  readonly reason: string;
}

export function parseOrgChange(body: unknown): Result<OrgChange> {
  const r = changeOrgSchema.safeParse(body ?? {});
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  const { trustLevel, name, sector, reason } = r.data;
  return ok({
    ...(trustLevel !== undefined ? { trustLevel: trustLevel as TrustLevel } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(sector !== undefined ? { sector } : {}),
    reason,
  });
}
