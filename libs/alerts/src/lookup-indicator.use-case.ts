import { Inject, Injectable } from '@nestjs/common';
import {
  INDICATOR_TYPES,
  mayPerform,
  normalizeIndicator,
  sourceView,
  sourceViewerOf,
  type Actor,
  type IndicatorType,
  type SourceView,
} from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid } from '@tocsin/platform';
import { AlertSearchRepository } from './alert-search.repository';
import { attributedSource } from './alert-view';
import { visibilityFor } from './alert-visibility';
import { reviewerMinTrust } from './get-alert.use-case';
import { formatSearchCursor, parseSearchCursor } from './search-cursor';

/** One visible alert that carries the value. */
export interface IndicatorSighting {
  readonly alertId: string;
  readonly title: string;
  readonly severity: string;
  readonly tlp: string;
  readonly status: string;
  /** Who reported it, as sourceView shows it to the caller: an anonymous alert's org only to whom it may be named. */
  readonly source: SourceView;
  /** When the alert was submitted (reported to the hub). */
  readonly reportedAt: string;
  /** The alert's own first and last seen, null when it gives none. */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** The indicator in that alert: its position (for `/alerts/:id/indicators`), flags and warning-list match. */
  readonly position: number;
  readonly flags: readonly string[];
  readonly warning: { readonly list: string; readonly reason: string } | null;
}

export interface IndicatorLookup {
  readonly type: IndicatorType;
  /** The canonical value looked up (the input refanged and normalized). */
  readonly value: string;
  /** Over every alert the caller may see that carries it, not only this page. */
  readonly alertCount: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly items: IndicatorSighting[];
  readonly nextCursor: string | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/**
 * GET /api/v1/indicators?value=: which alerts the caller may see carry this value, once normalized like every
 * submitted indicator (`hxxp://evil[.]example/x` finds `http://evil.example/x`), with first and last seen.
 */
@Injectable()
export class LookupIndicatorUseCase {
  constructor(
    private readonly search: AlertSearchRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(
    actor: Actor,
    q: { value: unknown; type: unknown; limit: number; cursor: string | null },
  ): Promise<IndicatorLookup> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    if (
      q.type !== undefined &&
      !(typeof q.type === 'string' && (INDICATOR_TYPES as readonly string[]).includes(q.type))
    ) {
      throw new Invalid(
        [{ pointer: '?type', detail: `must be one of ${INDICATOR_TYPES.join(', ')}` }],
        'invalid-query',
      );
    }
    if (typeof q.value !== 'string' || q.value.trim() === '') {
      throw new Invalid([{ pointer: '?value', detail: 'is required: the indicator to look up' }], 'invalid-query');
    }
    const n = normalizeIndicator({ value: q.value, type: q.type as IndicatorType | undefined });
    if (n.canonicalValue === null) {
      throw new Invalid(
        [{ pointer: '?value', detail: `is not a usable ${n.type} indicator: ${n.rejection ?? 'rejected'}` }],
        'invalid-query',
      );
    }
    const before = parseSearchCursor(q.cursor);
    const visibility = visibilityFor(actor, reviewerMinTrust(this.config));
    const viewer = sourceViewerOf(actor);
    const [hits, summary] = await Promise.all([
      this.search.findCarrying(visibility, n.type, n.canonicalValue, before, q.limit + 1),
      this.search.summarize(visibility, n.type, n.canonicalValue),
    ]);
    const page = hits.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      type: n.type,
      value: n.canonicalValue,
      alertCount: summary.alertCount,
      firstSeen: iso(summary.firstSeen),
      lastSeen: iso(summary.lastSeen),
      items: page.map((h) => ({
        alertId: h.alert.id,
        title: h.alert.title,
        severity: h.alert.severity,
        tlp: h.alert.tlp,
        status: h.alert.status,
        source: sourceView(attributedSource(h.alert), viewer),
        reportedAt: h.alert.submittedAt.toISOString(),
        firstSeen: iso(h.alert.firstSeen),
        lastSeen: iso(h.alert.lastSeen),
        position: h.position,
        flags: h.flags,
        warning: h.warning,
      })),
      nextCursor: hits.length > q.limit && last ? formatSearchCursor(last.cursor) : null,
    };
  }
}
