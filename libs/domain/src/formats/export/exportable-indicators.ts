import type { IndicatorType } from '../../alerts/indicator-types';
import { isActionable } from '../../indicators/actionable';
import type { CanonicalIndicator, Classification } from '../../model/canonical';

/** An accepted indicator, ready for export: its canonical value and whether it may feed detection. */
export interface ExportedIndicator {
  readonly type: IndicatorType;
  readonly value: string;
  /** {@link isActionable}: the one meaning every path shares. */
  readonly actionable: boolean;
  /** Why it must not be acted on, when a warning list matched. */
  readonly warning: { readonly list: string; readonly reason: string } | null;
  readonly notActionable: boolean;
  /** Trusted recipients reported it a false positive. */
  readonly falsePositive: boolean;
}

export function isWarningListed(i: CanonicalIndicator): boolean {
  return i.warning !== null || i.flags.includes('warning-listed');
}

/**
 * The accepted indicators of an alert, in their order, without rejected ones and without repeats of the same
 * type and canonical value (the first one wins), so derived ids are unique within an export.
 */
export function exportedIndicators(indicators: readonly CanonicalIndicator[]): ExportedIndicator[] {
  const seen = new Set<string>();
  const out: ExportedIndicator[] = [];
  for (const i of indicators) {
    if (i.canonicalValue === null) {
      continue;
    }
    const key = `${i.type}\u0000${i.canonicalValue}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const warningListed = isWarningListed(i);
    const notActionable = i.flags.includes('not-actionable');
    out.push({
      type: i.type,
      value: i.canonicalValue,
      actionable: isActionable(i),
      warning: i.warning ?? (warningListed ? { list: 'unknown', reason: 'matched a warning list' } : null),
      notActionable,
      falsePositive: i.flags.includes('false-positive'),
    });
  }
  return out;
}

/** The number of an AS from its canonical form (`AS13335`; a bare `13335` too), or null when out of range. */
export function asNumber(value: string): number | null {
  const m = /^(?:AS)?(\d{1,10})$/i.exec(value.trim());
  const n = m?.[1] === undefined ? NaN : Number(m[1]);
  return Number.isSafeInteger(n) && n <= 4_294_967_295 ? n : null;
}

/** 'YYYY-MM-DDTHH:mm:ss.sssZ' (UTC, millisecond precision), as STIX 2.1 wants for created/modified. */
export function isoMillis(d: Date): string {
  return d.toISOString();
}

/** The machine tag of an RSIT classification (`rsit:malicious-code="c2-server"`), as MISP writes it. */
export function rsitTag(classification: Classification): string {
  return `rsit:${classification.taxonomy}="${classification.type}"`;
}
