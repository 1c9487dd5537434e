import { z } from 'zod';
import { TRUST_LEVELS, type TrustLevel } from '../orgs/trust';
import { err, ok, type Result } from '../shared/result';
import { zodIssues } from '../shared/zod-issues';
import { reasonField as reason } from '../shared/reason';

const reviewSchema = z.strictObject({
  decision: z.enum(['approve', 'reject'], { error: 'must be approve or reject' }),
  reason,
});

export interface ReviewDecision {
  readonly decision: 'approve' | 'reject';
  readonly reason: string;
}

export function parseReview(body: unknown): Result<ReviewDecision> {
  const r = reviewSchema.safeParse(body ?? {});
  return r.success ? ok(r.data) : err(zodIssues(r.error));
}

const trustChangeSchema = z.strictObject({
  trustLevel: z
    .number({ error: 'is required: an integer from 0 to 4' })
    .int('must be an integer from 0 to 4')
    .min(0, 'must be from 0 to 4')
    .max(4, 'must be from 0 to 4'),
  reason,
});

export interface TrustChange {
  readonly trustLevel: TrustLevel;
  readonly reason: string;
}

/** `PATCH /api/v1/orgs/:id`: a trust level and a required, non-blank reason for the audit trail. */
export function parseTrustChange(body: unknown): Result<TrustChange> {
  const r = trustChangeSchema.safeParse(body ?? {});
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  return ok({ trustLevel: TRUST_LEVELS[r.data.trustLevel] ?? 0, reason: r.data.reason });
}
