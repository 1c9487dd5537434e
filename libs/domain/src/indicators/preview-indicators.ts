import type { IndicatorType } from '../alerts/indicator-types';
import type { IndicatorFlag, RawIndicator } from '../model/canonical';
import type { Issue } from '../shared/result';
import { normalizeIndicator } from './normalize-indicator';
import type { WarningLookup } from './normalize-indicators';

/** One accepted indicator as the preview shows it: what was read, and what the hub will store. */
export interface PreviewIndicator {
  readonly position: number;
  readonly type: IndicatorType;
  readonly rawValue: string;
  readonly canonicalValue: string;
  readonly flags: readonly IndicatorFlag[];
  readonly warning: { readonly list: string; readonly reason: string } | null;
  /** Where it stood in the document: `line N` or a JSON pointer. */
  readonly source: string;
}

/** A record the hub will not use, and why: an importer's `unsupported` part, or an indicator normalization rejects. */
export interface RefusedRecord {
  /** JSON pointer, or `/line/N` for a line of a text document. */
  readonly pointer: string;
  readonly line?: number;
  /** The value as sent (at most 200 characters), for a rejected indicator. */
  readonly value?: string;
  readonly detail: string;
}

export interface IndicatorsPreview {
  /** Indicator records read from the document. */
  readonly read: number;
  /** Distinct accepted indicators (duplicates merged), as `indicatorCount` will be. */
  readonly accepted: number;
  readonly duplicates: number;
  /** Indicators normalization rejects, as `rejectedCount` will be. */
  readonly rejected: number;
  /** Accepted indicators on a warning list, as `warningCount` will be. */
  readonly warned: number;
  /** The first `maxIndicators` accepted indicators, in document order. */
  readonly indicators: readonly PreviewIndicator[];
  /** The unused parts, then the rejected indicators in document order; at most `maxRefused`. */
  readonly refused: readonly RefusedRecord[];
  /** Every refused record, listed or not. */
  readonly refusedTotal: number;
}

export interface PreviewBounds {
  readonly maxIndicators: number;
  readonly maxRefused: number;
}

/** `line 12` (or `line 12, …`) as its line number; a JSON pointer as itself. */
function place(source: string): { pointer: string; line?: number } {
  const line = /^line (\d+)/.exec(source)?.[1];
  return line === undefined ? { pointer: source } : { pointer: `/line/${line}`, line: Number(line) };
}

const cut = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

/**
 * What submitting these indicators will store, without storing anything: each is normalized by the same
 * {@link normalizeIndicator} and the same rules as the worker's normalization step (duplicates of a type and
 * canonical value merged into the first, one actionable mention making it actionable; rejected ones kept with their
 * reason; the first occurrence looked up in the warning lists). `unsupported` are the importer's unused parts.
 */
export function previewIndicators(
  raws: readonly RawIndicator[],
  unsupported: readonly Issue[],
  warn: WarningLookup,
  bounds: PreviewBounds,
): IndicatorsPreview {
  const refused: RefusedRecord[] = unsupported.slice(0, bounds.maxRefused).map((u) => ({
    pointer: u.pointer,
    ...(u.line === undefined ? {} : { line: u.line }),
    detail: u.detail,
  }));
  const indicators: { -readonly [K in keyof PreviewIndicator]: PreviewIndicator[K] }[] = [];
  const firstOf = new Map<string, number>();
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  let warned = 0;
  raws.forEach((raw, position) => {
    const n = normalizeIndicator(raw);
    if (n.canonicalValue === null) {
      rejected += 1;
      if (refused.length < bounds.maxRefused) {
        refused.push({
          ...place(raw.source),
          value: cut(raw.value),
          detail: n.rejection ?? 'rejected',
        });
      }
      return;
    }
    const key = `${n.type}\u0000${n.canonicalValue}`;
    const kept = firstOf.get(key);
    if (kept !== undefined) {
      duplicates += 1;
      const first = indicators[kept];
      if (first && raw.actionable !== false && first.flags.includes('not-actionable')) {
        first.flags = first.flags.filter((f) => f !== 'not-actionable');
      }
      return;
    }
    accepted += 1;
    const warning = warn(n.type, n.canonicalValue);
    if (warning) {
      warned += 1;
    }
    const flags: IndicatorFlag[] = [...n.flags];
    if (raw.actionable === false) {
      flags.push('not-actionable');
    }
    if (warning) {
      flags.push('warning-listed');
    }
    if (indicators.length < bounds.maxIndicators) {
      firstOf.set(key, indicators.length);
      indicators.push({
        position,
        type: n.type,
        rawValue: cut(raw.value),
        canonicalValue: n.canonicalValue,
        flags,
        warning,
        source: raw.source,
      });
    } else {
      firstOf.set(key, -1);
    }
  });
  return {
    read: raws.length,
    accepted,
    duplicates,
    rejected,
    warned,
    indicators,
    refused,
    refusedTotal: unsupported.length + rejected,
  };
}
