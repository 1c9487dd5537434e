import {
  sourceView,
  type AlertStatus,
  type AttributedSource,
  type Classification,
  type Issue,
  type Severity,
  type SourceFormat,
  type SourceView,
  type SourceViewer,
  type TlpLabel,
} from '@tocsin/domain';
import type { AlertRecord } from './alert.repository';

/** An alert as the REST API shows it. Recipients, status reasons and unsupported parts go to the submitter only. */
export interface AlertView {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly confidence: number | null;
  readonly tlp: TlpLabel;
  readonly tlpDefaulted: boolean;
  readonly classification: Classification | null;
  readonly sectors: readonly string[];
  readonly countries: readonly string[];
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly validUntil: string | null;
  readonly references: readonly string[];
  readonly status: AlertStatus;
  readonly statusReason: string | null;
  /** Present only when this viewer may know the org (always for a named alert; see sourceView). */
  readonly sourceOrgId?: string;
  /** Who sent it, as this viewer may see it: country and trust band, and the org unless anonymous to this viewer. */
  readonly source: SourceView;
  readonly recipients?: readonly string[];
  readonly unsupported?: readonly Issue[];
  /** The reviewer's decision and reason, shown to the submitter and the reviewing org. */
  readonly review?: { readonly decision: 'approve' | 'reject'; readonly reason: string; readonly at: string } | null;
  readonly sourceFormat: SourceFormat;
  readonly indicatorCount: number;
  readonly rejectedCount: number;
  readonly warningCount: number;
  readonly seq: number | null;
  readonly revision: number;
  readonly sightingCount: number;
  readonly falsePositiveCount: number;
  readonly revokedAt: string | null;
  readonly revokeReason: string | null;
  readonly submittedAt: string;
  readonly updatedAt: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The canonical model's alert-level fields, as every outward view (REST, socket events) spells them. */
export function canonicalFields(a: AlertRecord) {
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    severity: a.severity,
    confidence: a.confidence,
    tlp: a.tlp,
    tlpDefaulted: a.tlpDefaulted,
    classification: a.classification,
    sectors: a.sectors,
    countries: a.countries,
    firstSeen: iso(a.firstSeen),
    lastSeen: iso(a.lastSeen),
    validUntil: iso(a.validUntil),
    references: a.references,
  };
}

/** The alert's submitter as sourceView takes it (the org's facts must have been loaded with the record). */
export function attributedSource(a: AlertRecord): AttributedSource {
  return {
    sourceOrgId: a.sourceOrgId,
    attribution: a.attribution,
    sourceOrgName: a.sourceOrg?.name ?? null,
    sourceCountry: a.sourceOrg?.country ?? null,
    sourceTrustLevel: a.sourceOrg?.trustLevel ?? 0,
  };
}

/**
 * The REST view of an alert for `viewer` (an org id means a plain member of that org: no hub admin, not reviewing).
 * The source goes through sourceView, so an anonymous alert names its org only to whom sourceView allows.
 */
export function toAlertView(a: AlertRecord, viewer: string | SourceViewer): AlertView {
  const v: SourceViewer = typeof viewer === 'string' ? { orgId: viewer } : viewer;
  const viewerOrgId = v.orgId;
  const own = viewerOrgId === a.sourceOrgId;
  const source = sourceView(attributedSource(a), v);
  return {
    ...canonicalFields(a),
    status: a.status,
    // Why a pending alert was held is the reviewer's first question (the review queue shows it); else the submitter's.
    statusReason: own || (v.reviewing === true && a.status === 'pending_review') ? a.statusReason : null,
    ...(source.org ? { sourceOrgId: a.sourceOrgId } : {}),
    source,
    ...(own ? { recipients: a.recipients, unsupported: a.unsupported } : {}),
    ...(own || a.review?.byOrgId === viewerOrgId
      ? {
          review: a.review
            ? { decision: a.review.decision, reason: a.review.reason, at: a.review.at.toISOString() }
            : null,
        }
      : {}),
    sourceFormat: a.sourceFormat as SourceFormat,
    indicatorCount: a.indicatorCount,
    rejectedCount: a.rejectedCount,
    warningCount: a.warningCount,
    seq: a.publishedSeq === null ? null : Number(a.publishedSeq),
    revision: a.revision,
    sightingCount: a.sightingCount,
    falsePositiveCount: a.falsePositiveCount,
    revokedAt: iso(a.revokedAt),
    revokeReason: a.revokeReason,
    submittedAt: a.submittedAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
