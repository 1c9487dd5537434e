import type { IndicatorType } from '../alerts/indicator-types';
import { INDICATOR_FLAGS, type CanonicalIndicator, type IndicatorFlag, type RawIndicator } from '../model/canonical';
import { normalizeIndicator, type IndicatorNormalization } from './normalize-indicator';

/** Looks an accepted indicator up in the warning lists: the list and why it must not be acted on, or null. */
export type WarningLookup = (
  type: IndicatorType,
  canonical: string,
) => { readonly list: string; readonly reason: string } | null;

interface Entry {
  readonly type: IndicatorType;
  readonly rawValue: string;
  readonly canonicalValue: string | null;
  readonly rejection: string | null;
  readonly warning: { readonly list: string; readonly reason: string } | null;
  /** Flags other than not-actionable, as a bit set in INDICATOR_FLAGS order. */
  flags: number;
  /** Every occurrence was marked not actionable. */
  notActionable: boolean;
}

function entry(n: IndicatorNormalization, warning: Entry['warning'], flags: number, notActionable: boolean): Entry {
  return {
    type: n.type,
    rawValue: n.rawValue,
    canonicalValue: n.canonicalValue,
    rejection: n.rejection,
    warning,
    flags,
    notActionable,
  };
}

const bit = (flag: IndicatorFlag): number => 1 << INDICATOR_FLAGS.indexOf(flag);
const NOT_ACTIONABLE = bit('not-actionable');
const WARNING_LISTED = bit('warning-listed');

function toBits(flags: readonly IndicatorFlag[]): number {
  let bits = 0;
  for (const flag of flags) {
    bits |= bit(flag);
  }
  return bits;
}

function fromBits(bits: number): IndicatorFlag[] {
  return INDICATOR_FLAGS.filter((flag) => (bits & bit(flag)) !== 0);
}

/**
 * Normalizes the indicators of one alert, in order, in one pass (a hash map for duplicates).
 * - `not-actionable` when the sender marked it so (`actionable: false`);
 * - `warn` is called once per distinct accepted (type, canonical value); a match sets `warning` and `warning-listed`;
 * - duplicates (same type and canonical value) are merged into the first occurrence, which keeps its raw value;
 *   flags are merged, except `not-actionable`, which stays only if every occurrence was marked not actionable
 *   (one actionable mention makes the indicator actionable, as MISP's to_ids does);
 * - rejected indicators are all kept, each with its reason, and never merged.
 */
export function normalizeIndicators(raws: readonly RawIndicator[], warn?: WarningLookup): CanonicalIndicator[] {
  const entries: Entry[] = [];
  const byKey = new Map<string, Entry>();
  for (const raw of raws) {
    const n = normalizeIndicator(raw);
    const notActionable = raw.actionable === false;
    if (n.canonicalValue === null) {
      entries.push(entry(n, null, toBits(n.flags), notActionable));
      continue;
    }
    const key = `${n.type}\u0000${n.canonicalValue}`;
    const seen = byKey.get(key);
    if (seen !== undefined) {
      seen.flags |= toBits(n.flags);
      seen.notActionable &&= notActionable;
      continue;
    }
    const warning = warn?.(n.type, n.canonicalValue) ?? null;
    const first = entry(n, warning, toBits(n.flags) | (warning === null ? 0 : WARNING_LISTED), notActionable);
    byKey.set(key, first);
    entries.push(first);
  }
  return entries.map((e) => ({
    type: e.type,
    rawValue: e.rawValue,
    canonicalValue: e.canonicalValue,
    flags: fromBits(e.flags | (e.notActionable ? NOT_ACTIONABLE : 0)),
    rejection: e.rejection,
    warning: e.warning,
  }));
}
