import { z } from 'zod';
import type { TrustLevel } from '../orgs/trust';
import { err, ok, type Result } from '../shared/result';
import { zodIssues } from '../shared/zod-issues';
import { storableString } from '../shared/storable-text';

export const FEEDBACK_TYPES = ['sighting', 'false-positive'] as const;
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

const schema = z.strictObject({
  type: z.enum(FEEDBACK_TYPES, { error: 'must be sighting or false-positive' }),
  indicator: storableString()
    .trim()
    .min(1, 'must not be blank')
    .max(2048, 'must be at most 2,048 characters')
    .optional(),
});

/** `POST /api/v1/alerts/:id/sightings`: `{type, indicator?}`, the indicator by its value as the alert carries it. */
export function parseFeedback(body: unknown): Result<{ type: FeedbackType; indicator: string | null }> {
  const r = schema.safeParse(body ?? {});
  return r.success ? ok({ type: r.data.type, indicator: r.data.indicator ?? null }) : err(zodIssues(r.error));
}

/**
 * How feedback moves an alert's confidence (documented default): a sighting adds 2 points per trust level of the
 * reporting organisation, a false positive takes 3 per level; 50 when the sender gave none; always within 0–100.
 */
export function applyFeedback(confidence: number | null, type: FeedbackType, reporterTrust: TrustLevel): number {
  const base = confidence ?? 50;
  const next = type === 'sighting' ? base + 2 * reporterTrust : base - 3 * reporterTrust;
  return Math.max(0, Math.min(100, Math.round(next)));
}

/** The trust level from which a member's false-positive report counts towards flagging an indicator for all. */
export const FALSE_POSITIVE_REPORTER_TRUST: TrustLevel = 3;
