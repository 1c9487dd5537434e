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
 * What is exported of `indicators` (actionable = `isActionable`, the one meaning every path shares):
 * - rejected ones (`canonicalValue` null) never;
 * - STIX: actionable ones as `indicator` objects; the others (warning-listed, false positive, marked not for
 *   detection by the sender) as bare SCOs, observations a STIX consumer does not turn into detections, so a round
 *   trip keeps them, not actionable; CVEs as `vulnerability` objects, their actionability in the Tocsin extension;
 * - MISP: all accepted ones, `to_ids` = actionable (the reason it is not in `comment`).
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
