import { z } from 'zod';
import { err, ok, type Issue, type Result } from '../shared/result';
import { zodIssues } from '../shared/zod-issues';
import { INDICATOR_TYPES, type IndicatorType } from './indicator-types';
import { SEVERITIES, TLP_LABELS, type Severity, type TlpLabel } from './tlp';

export interface SubmissionLimits {
  readonly maxIndicators: number;
  readonly maxRecipients: number;
}

export interface SubmittedIndicator {
  readonly type: IndicatorType;
  readonly value: string;
}

/** An alert as a member submitted it, checked for shape (values are checked by normalization). */
export interface AlertSubmission {
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly tlp: TlpLabel;
  readonly recipients: readonly string[];
  readonly indicators: readonly SubmittedIndicator[];
}

export const MAX_TITLE = 300;
export const MAX_DESCRIPTION = 20_000;
export const MAX_INDICATOR_VALUE = 2_048;

const uuid = z.uuid({ error: 'must be an organisation id (a UUID)' });

function nativeSchema(limits: SubmissionLimits) {
  return z.strictObject({
    title: z
      .string({ error: 'is required and must be a string' })
      .trim()
      .min(1, 'must not be blank')
      .max(MAX_TITLE, `must be at most ${MAX_TITLE} characters`),
    description: z.string().max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`).nullish(),
    severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
    tlp: z.enum(TLP_LABELS, { error: `must be one of ${TLP_LABELS.join(', ')}` }),
    recipients: z
      .array(uuid)
      .max(limits.maxRecipients, `must name at most ${limits.maxRecipients} organisations`)
      .optional(),
    indicators: z
      .array(
        z.strictObject({
          type: z.enum(INDICATOR_TYPES, { error: `must be one of ${INDICATOR_TYPES.join(', ')}` }),
          value: z
            .string({ error: 'is required and must be a string' })
            .trim()
            .min(1, 'must not be blank')
            .max(MAX_INDICATOR_VALUE, `must be at most ${MAX_INDICATOR_VALUE} characters`),
        }),
        { error: 'must be an array of {type, value}' },
      )
      .max(limits.maxIndicators, `must hold at most ${limits.maxIndicators} indicators`)
      .default([]),
  });
}

/** Checks a native JSON submission; every problem comes back with a JSON pointer to the field. */
export function parseNativeSubmission(body: unknown, limits: SubmissionLimits): Result<AlertSubmission> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return err([{ pointer: '', detail: 'the body must be a JSON object' }]);
  }
  const r = nativeSchema(limits).safeParse(body);
  const issues: Issue[] = r.success ? [] : zodIssues(r.error);
  if (r.success) {
    const { tlp, recipients = [] } = r.data;
    if (tlp === 'RED' && recipients.length === 0) {
      issues.push({
        pointer: '/recipients',
        detail: 'is required for a TLP:RED alert: name at least one organisation',
      });
    }
    if (tlp !== 'RED' && recipients.length > 0) {
      issues.push({ pointer: '/recipients', detail: 'is only allowed on a TLP:RED alert' });
    }
  }
  if (!r.success || issues.length > 0) {
    return err(issues);
  }
  const d = r.data;
  return ok({
    title: d.title,
    description: d.description ?? null,
    severity: d.severity,
    tlp: d.tlp,
    // UUIDs are case-insensitive (RFC 9562) and org ids are compared with ===: canonicalize, then collapse.
    recipients: [...new Set((d.recipients ?? []).map((id) => id.toLowerCase()))],
    indicators: d.indicators,
  });
}
