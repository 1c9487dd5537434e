import { z } from 'zod';
import { err, ok, type Result } from '../shared/result';
import { zodIssues } from '../shared/zod-issues';
import { reasonField as reason } from '../shared/reason';
import { storableString } from '../shared/storable-text';
import { MAX_DESCRIPTION, MAX_TITLE } from './compose-submission';
import { SEVERITIES, type Severity } from './tlp';

const updateSchema = z
  .strictObject({
    title: storableString()
      .trim()
      .min(1, 'must not be blank')
      .max(MAX_TITLE, `must be at most ${MAX_TITLE} characters`)
      .optional(),
    description: storableString()
      .max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`)
      .nullable()
      .optional(),
    severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
    validUntil: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' })
      .nullable()
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: 'change at least one of title, description, severity, validUntil',
  });

/** `PATCH /api/v1/alerts/:id`: a new revision of a published alert's context (its indicators stay as published). */
export interface AlertRevision {
  readonly title?: string;
  readonly description?: string | null;
  readonly severity?: Severity;
  readonly validUntil?: string | null;
}

export function parseAlertRevision(body: unknown): Result<AlertRevision> {
  const r = updateSchema.safeParse(body ?? {});
  return r.success ? ok(r.data) : err(zodIssues(r.error));
}

export function parseRevocation(body: unknown): Result<{ reason: string }> {
  const r = z.strictObject({ reason }).safeParse(body ?? {});
  return r.success ? ok(r.data) : err(zodIssues(r.error));
}
