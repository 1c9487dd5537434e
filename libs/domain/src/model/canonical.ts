import type { IndicatorType } from '../alerts/indicator-types';
import type { Attribution } from '../alerts/attribution';
import type { Severity, TlpLabel } from '../alerts/tlp';
import type { Issue } from '../shared/result';

/**
 * The canonical alert model (docs/model.md): whatever format a member sent, every recipient gets this shape.
 */
export const SOURCE_FORMATS = ['native', 'stix', 'misp', 'csv', 'intelmq'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** An RSIT classification: a taxonomy class and one of its types (values from the RSIT machine-tag data). */
export interface Classification {
  readonly taxonomy: string;
  readonly type: string;
}

/** The alert-level fields an importer extracts; what a format cannot carry is left undefined. */
export interface ImportedAlertFields {
  readonly title?: string;
  readonly description?: string | null;
  readonly severity?: Severity;
  readonly confidence?: number | null;
  readonly tlp?: TlpLabel;
  /** Native JSON only (other formats take the `attribution` query parameter). */
  readonly attribution?: Attribution;
  readonly classification?: Classification | null;
  readonly sectors?: readonly string[];
  readonly countries?: readonly string[];
  readonly firstSeen?: string | null;
  readonly lastSeen?: string | null;
  readonly validUntil?: string | null;
  readonly references?: readonly string[];
  readonly recipients?: readonly string[];
}

/**
 * One indicator as the sender gave it. `type` is absent when the format did not say (it is then inferred);
 * `source` locates it in the original document: a JSON pointer, or `line N` for CSV and JSON lines.
 */
export interface RawIndicator {
  readonly type?: IndicatorType;
  readonly value: string;
  readonly source: string;
  readonly comment?: string | null;
  /** false when the sender marked it as not for detection (MISP to_ids=false, STIX observed-data). */
  readonly actionable?: boolean;
}

/** What an importer returns: the alert fields, the indicators, and what it could not use (never dropped silently). */
export interface ImportedAlert {
  readonly format: SourceFormat;
  readonly fields: ImportedAlertFields;
  readonly indicators: readonly RawIndicator[];
  /** Parts the hub could not turn into indicators, reported to the submitter (pointer + why). */
  readonly unsupported: readonly Issue[];
}

/**
 * Flags a canonical indicator may carry. New flags go at the end: the order defines bit positions
 * (normalize-indicators.ts) and the order flags are listed in.
 */
export const INDICATOR_FLAGS = [
  'refanged',
  'type-inferred',
  'warning-listed',
  'not-actionable',
  'idn',
  'false-positive',
  'unknown-suffix',
] as const;
export type IndicatorFlag = (typeof INDICATOR_FLAGS)[number];

/** An indicator after normalization: raw value kept, canonical value or the reason it was rejected. */
export interface CanonicalIndicator {
  readonly type: IndicatorType;
  readonly rawValue: string;
  readonly canonicalValue: string | null;
  readonly flags: readonly IndicatorFlag[];
  /** Why it was rejected (canonicalValue is null then). */
  readonly rejection: string | null;
  /** Which warning list matched, and why it must not be acted on. */
  readonly warning: { readonly list: string; readonly reason: string } | null;
}
