import { describe, expect, it } from 'vitest';
import { importNative, parseSubmissionQuery } from '../alerts/compose-submission';
import { parseAlertRevision, parseRevocation } from '../alerts/lifecycle-input';
import { parseCreateKey, parseCreateOrg } from '../orgs/org-input';
import { parseFeedback } from '../vetting/feedback';
import { parseReview, parseTrustChange } from '../vetting/review-input';
import type { Result } from './result';
import { UNSTORABLE_TEXT_DETAIL } from './storable-text';

/** Every text field of every body the API takes, through its domain parser: the schemas refuse it for any caller. */
describe('domain input parsers refusing unstorable text', () => {
  const N = 'a\u0000b';
  const S = 'a\uD800b';
  it.each<[string, () => Result<unknown>, string]>([
    ['alert title', () => importNative({ title: N }, { maxIndicators: 5, maxRecipients: 2 }), '/title'],
    [
      'alert description',
      () => importNative({ title: 'x', description: S }, { maxIndicators: 5, maxRecipients: 2 }),
      '/description',
    ],
    [
      'indicator comment',
      () =>
        importNative(
          { title: 'x', indicators: [{ value: '192.0.2.1', comment: N }] },
          { maxIndicators: 5, maxRecipients: 2 },
        ),
      '/indicators/0/comment',
    ],
    [
      'classification type',
      () =>
        importNative(
          { title: 'x', classification: { taxonomy: 'x', type: N } },
          { maxIndicators: 5, maxRecipients: 2 },
        ),
      '/classification/type',
    ],
    ['query title', () => parseSubmissionQuery({ title: N }), '?title'],
    ['query description', () => parseSubmissionQuery({ description: S }), '?description'],
    ['revision title', () => parseAlertRevision({ title: N }), '/title'],
    ['revision description', () => parseAlertRevision({ description: N }), '/description'],
    ['revoke or close reason', () => parseRevocation({ reason: N }), '/reason'],
    ['review reason', () => parseReview({ decision: 'approve', reason: S }), '/reason'],
    ['trust-change reason', () => parseTrustChange({ trustLevel: 2, reason: N }), '/reason'],
    ['sighting indicator', () => parseFeedback({ type: 'sighting', indicator: N }), '/indicator'],
    ['org name', () => parseCreateOrg({ name: N, country: 'FR', trustLevel: 2 }), '/name'],
    ['org sector', () => parseCreateOrg({ name: 'x', country: 'FR', sector: S, trustLevel: 2 }), '/sector'],
    ['key label', () => parseCreateKey({ role: 'reader', label: N }), '/label'],
  ])('refuses the %s, naming it', (_label, parse, pointer) => {
    const r = parse();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toEqual([{ pointer, detail: UNSTORABLE_TEXT_DETAIL }]);
  });
});
