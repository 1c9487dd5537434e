import type { IndicatorType } from '@tocsin/domain';
import type { IndicatorRow } from './alert.repository';

/** An indicator as the REST API shows it (`GET /api/v1/alerts/:id/indicators`). */
export interface IndicatorView {
  readonly position: number;
  readonly type: IndicatorType | null;
  readonly rawValue: string;
  readonly canonicalValue: string | null;
  readonly rejection: string | null;
  readonly flags: readonly string[];
  readonly warning: { readonly list: string; readonly reason: string } | null;
  readonly source: string | null;
  readonly comment: string | null;
  /** isActionable (docs/model.md), computed when read: the same answer as socket payloads and exports. */
  readonly actionable: boolean;
}

export function toIndicatorView(r: IndicatorRow): IndicatorView {
  return {
    position: r.position,
    type: r.type,
    rawValue: r.rawValue,
    canonicalValue: r.canonicalValue,
    rejection: r.rejection,
    flags: r.flags,
    warning: r.warning,
    source: r.source,
    comment: r.comment,
    actionable: r.actionable,
  };
}
