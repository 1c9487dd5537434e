import type { AlertStatus, Severity, TlpLabel } from '@tocsin/domain';
import type { AlertRecord } from './alert.repository';

/** An alert as the REST API shows it. Recipients are shown to the submitter only. */
export interface AlertView {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly tlp: TlpLabel;
  readonly status: AlertStatus;
  readonly statusReason: string | null;
  readonly sourceOrgId: string;
  readonly recipients?: readonly string[];
  readonly sourceFormat: string;
  readonly indicatorCount: number;
  readonly rejectedCount: number;
  readonly seq: number | null;
  readonly submittedAt: string;
  readonly updatedAt: string;
}

export function toAlertView(a: AlertRecord, viewerOrgId: string): AlertView {
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    severity: a.severity,
    tlp: a.tlp,
    status: a.status,
    statusReason: viewerOrgId === a.sourceOrgId ? a.statusReason : null,
    sourceOrgId: a.sourceOrgId,
    ...(viewerOrgId === a.sourceOrgId ? { recipients: a.recipients } : {}),
    sourceFormat: a.sourceFormat,
    indicatorCount: a.indicatorCount,
    rejectedCount: a.rejectedCount,
    seq: a.publishedSeq === null ? null : Number(a.publishedSeq),
    submittedAt: a.submittedAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
