import { Inject, Injectable } from '@nestjs/common';
import { mispEventsIn, SubmitAlertUseCase, SubmitMispEventsUseCase, type SubmissionInput } from '@tocsin/alerts';
import {
  mayPerform,
  parseSubmissionQuery,
  previewIndicators,
  rebaseMispIssue,
  type Actor,
  type ComposedSubmission,
  type IndicatorsPreview,
  type Issue,
  type RawIndicator,
  type WarningListMatcher,
} from '@tocsin/domain';
import { Forbidden, Invalid } from '@tocsin/platform';
import { WARNING_LISTS } from './warning-lists.provider';

/** Accepted indicators listed in a preview (the counts cover them all). */
export const PREVIEW_MAX_INDICATORS = 100;
/** Refused records listed in a preview (`refusedTotal` counts them all). */
export const PREVIEW_MAX_REFUSED = 1000;

/** The alert a submission would create, as composed from the document and the query (nothing stored). */
export interface PreviewAlert {
  readonly title: string;
  readonly severity: string;
  readonly tlp: string;
  readonly tlpDefaulted: boolean;
  readonly attribution: string | null;
  readonly classification: { readonly taxonomy: string; readonly type: string } | null;
  readonly recipients: readonly string[];
  /** For an event of a several-event MISP body: its pointer in the body. */
  readonly event?: string;
}

/** `POST /api/v1/alerts/preview`: what `POST /api/v1/alerts` would read and store, without storing anything. */
export interface SubmissionPreview extends IndicatorsPreview {
  readonly format: string;
  /** The alerts the submission would create: one, or one per valid event of a several-event MISP body. */
  readonly alerts: readonly PreviewAlert[];
}

const alertOf = (s: ComposedSubmission, event?: string): PreviewAlert => ({
  title: s.title,
  severity: s.severity,
  tlp: s.tlp,
  tlpDefaulted: s.tlpDefaulted,
  attribution: s.attribution,
  classification: s.classification,
  recipients: s.recipients,
  ...(event === undefined ? {} : { event }),
});

/**
 * Runs a submission's whole reading — the role check, format, query, importer, composition and RED recipients of
 * {@link SubmitAlertUseCase.prepare}, then the normalization of every indicator (domain `previewIndicators`, the
 * worker's rules) with the warning lists — and answers what was read and every record refused, with its line or
 * pointer and why. Writes nothing, enqueues nothing; a refused document is the same 4xx as its submission.
 */
@Injectable()
export class PreviewSubmissionUseCase {
  constructor(
    private readonly submitAlert: SubmitAlertUseCase,
    private readonly mispEvents: SubmitMispEventsUseCase,
    @Inject(WARNING_LISTS) private readonly warnings: WarningListMatcher,
  ) {}

  async execute(actor: Actor, input: SubmissionInput): Promise<SubmissionPreview> {
    const parts = mispEventsIn(input);
    if (parts === undefined) {
      const s = await this.submitAlert.prepare(actor, input);
      return { format: s.format, alerts: [alertOf(s)], ...this.indicators(s.indicators, s.unsupported) };
    }
    // Several MISP events: each read as if submitted alone, as the submission does; a refused event is listed.
    if (!mayPerform(actor, 'alert.submit')) {
      throw new Forbidden('this key may not submit alerts (role operator required)');
    }
    const query = parseSubmissionQuery(input.query);
    if (!query.ok) {
      throw new Invalid(query.error, 'invalid-query');
    }
    this.mispEvents.checkEventCount(parts);
    const prepared: { submission: ComposedSubmission }[] = [];
    const alerts: PreviewAlert[] = [];
    const raws: RawIndicator[] = [];
    const unsupported: Issue[] = [];
    for (const part of parts) {
      const one: SubmissionInput = { ...input, body: { kind: 'json', value: part.document }, idempotency: null };
      try {
        const s = await this.submitAlert.prepare(actor, one);
        prepared.push({ submission: s });
        alerts.push(alertOf(s, part.pointer));
        raws.push(...s.indicators.map((i) => ({ ...i, source: `${part.pointer}${i.source}` })));
        unsupported.push(...s.unsupported.map((u) => rebaseMispIssue(u, part.pointer)));
      } catch (e) {
        if (!(e instanceof Invalid)) {
          throw e;
        }
        const issues = e.errors.length > 0 ? e.errors : [{ pointer: '', detail: e.message }];
        unsupported.push(...issues.map((i) => rebaseMispIssue(i, part.pointer)));
      }
    }
    this.mispEvents.checkIndicatorTotal(parts, prepared);
    if (alerts.length === 0) {
      throw new Invalid(unsupported.slice(0, 100), 'invalid-body', `none of the ${parts.length} MISP events is valid`);
    }
    return { format: 'misp', alerts, ...this.indicators(raws, unsupported) };
  }

  private indicators(raws: readonly RawIndicator[], unsupported: readonly Issue[]): IndicatorsPreview {
    return previewIndicators(raws, unsupported, (type, value) => this.warnings.match(type, value), {
      maxIndicators: PREVIEW_MAX_INDICATORS,
      maxRefused: PREVIEW_MAX_REFUSED,
    });
  }
}
