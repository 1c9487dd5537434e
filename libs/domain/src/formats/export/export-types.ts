import type { Severity, TlpLabel } from '../../alerts/tlp';
import type { CanonicalIndicator, Classification } from '../../model/canonical';

/** The organisation that sent an alert, as exports name it. */
export interface ExportableOrg {
  readonly id: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2, when known. */
  readonly country: string | null;
}

/**
 * An alert as the exporters (STIX 2.1, MISP) take it. Everything an export holds comes from here: no clock, no
 * random ids, so the same alert always exports to the same bytes.
 *
 * What is exported of `indicators`:
 * - rejected ones (`canonicalValue` null) never;
 * - STIX: only actionable ones, as `indicator` objects; warning-listed and not-actionable ones are left out,
 *   since a STIX consumer turns every indicator into a detection. CVEs are context, not detections: each is a
 *   `vulnerability` object whatever its flags (if in the form the STIX `cve` reference accepts);
 * - MISP: all accepted ones; `to_ids` is true exactly for those the STIX export makes indicators, so false for
 *   warning-listed and not-actionable ones (the reason in `comment`) and for CVEs, as MISP itself marks
 *   attributes that must not feed detection.
 */
export interface ExportableAlert {
  /** The alert's UUID: the MISP event uuid, and the seed of every derived STIX id. */
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  /** 0–100 (rounded and clamped on export). */
  readonly confidence: number | null;
  readonly tlp: TlpLabel;
  readonly classification: Classification | null;
  readonly sourceOrg: ExportableOrg;
  readonly submittedAt: Date;
  readonly publishedAt: Date | null;
  readonly validUntil: Date | null;
  readonly firstSeen: Date | null;
  readonly lastSeen: Date | null;
  /** URLs of reports and advisories about the alert. */
  readonly references: readonly string[];
  readonly indicators: readonly CanonicalIndicator[];
}
