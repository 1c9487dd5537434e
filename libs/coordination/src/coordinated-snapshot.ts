import type { AppConfig } from '@tocsin/platform';
import {
  COORDINATED_ALERT_STATUSES,
  partsAt,
  TLP_LABELS,
  isTrustLevel,
  type CoordinatedAlertStatus,
  type CoordinatedSnapshot,
  type CoordinatedView,
  type CoordinationThresholds,
  type SnapshotPart,
  type TlpLabel,
} from '@tocsin/domain';

/** A snapshot as stored (coordinated_alerts.snapshot, publish_log.payload): dates as ISO strings. */
export function snapshotToJson(s: CoordinatedSnapshot): Record<string, unknown> {
  return {
    id: s.id,
    version: s.version,
    status: s.status,
    previousStatus: s.previousStatus,
    parts: s.parts.map((p) => ({
      alertId: p.alertId,
      orgId: p.orgId,
      country: p.country,
      trustLevel: p.trustLevel,
      tlp: p.tlp,
      recipients: p.recipients,
      reportedAt: p.reportedAt.toISOString(),
      indicatorKeys: p.indicatorKeys,
      joinedVersion: p.joinedVersion,
      ...(p.leftVersion === undefined ? {} : { leftVersion: p.leftVersion }),
      ...(p.attribution === 'anonymous' ? { attribution: 'anonymous' } : {}),
    })),
  };
}

const isStatus = (v: unknown): v is CoordinatedAlertStatus =>
  typeof v === 'string' && (COORDINATED_ALERT_STATUSES as readonly string[]).includes(v);
const isTlp = (v: unknown): v is TlpLabel => typeof v === 'string' && (TLP_LABELS as readonly string[]).includes(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Reads a stored snapshot back. It is our own write, but it is read on the delivery path: anything malformed is
 * refused (null) rather than guessed, and a part whose audience cannot be read is dropped, never shown.
 */
export function snapshotFromJson(json: unknown): CoordinatedSnapshot | null {
  if (typeof json !== 'object' || json === null) {
    return null;
  }
  const o = json as Record<string, unknown>;
  if (typeof o.id !== 'string' || typeof o.version !== 'number' || !isStatus(o.status) || !isStatus(o.previousStatus)) {
    return null;
  }
  const parts: SnapshotPart[] = [];
  for (const raw of Array.isArray(o.parts) ? (o.parts as unknown[]) : []) {
    const p = raw as Record<string, unknown>;
    const reportedAt = typeof p.reportedAt === 'string' ? new Date(p.reportedAt) : new Date(NaN);
    if (
      typeof p.alertId !== 'string' ||
      typeof p.orgId !== 'string' ||
      !isTlp(p.tlp) ||
      !isTrustLevel(p.trustLevel) ||
      typeof p.joinedVersion !== 'number' ||
      Number.isNaN(reportedAt.getTime())
    ) {
      continue;
    }
    parts.push({
      alertId: p.alertId,
      orgId: p.orgId,
      sourceOrgId: p.orgId,
      country: typeof p.country === 'string' ? p.country : null,
      trustLevel: p.trustLevel,
      tlp: p.tlp,
      recipients: strings(p.recipients),
      reportedAt,
      indicatorKeys: strings(p.indicatorKeys),
      cves: [],
      joinedVersion: p.joinedVersion,
      ...(typeof p.leftVersion === 'number' ? { leftVersion: p.leftVersion } : {}),
      // Anything but an explicit `named` is read as anonymous: a malformed value must never reveal an org.
      ...(p.attribution === undefined || p.attribution === 'named' ? {} : { attribution: 'anonymous' as const }),
    });
  }
  return { id: o.id, version: o.version, status: o.status, previousStatus: o.previousStatus, parts };
}

/** A view as the API and the socket events spell it. */
export function viewToJson(v: CoordinatedView) {
  return {
    id: v.id,
    status: v.status,
    tlp: v.tlp,
    orgCount: v.orgCount,
    countries: v.countries,
    reportCount: v.reports.length,
    reports: v.reports.map((r) => ({
      alertId: r.alertId,
      ...(r.orgId === undefined ? {} : { orgId: r.orgId }),
      country: r.country,
      source: r.source,
      reportedAt: r.reportedAt.toISOString(),
    })),
    sharedIndicators: v.sharedIndicators,
    firstReport: v.firstReport.toISOString(),
    lastReport: v.lastReport.toISOString(),
  };
}

/**
 * Earliest and latest report of the reports a coordinated alert holds now (all it ever held, when none stands any
 * more: a withdrawn alert keeps its dates).
 */
export function reportSpan(snapshot: CoordinatedSnapshot): { firstReport: Date; lastReport: Date } {
  const standing = partsAt(snapshot, snapshot.version);
  let first = Infinity;
  let last = -Infinity;
  for (const p of standing.length > 0 ? standing : snapshot.parts) {
    first = Math.min(first, p.reportedAt.getTime());
    last = Math.max(last, p.reportedAt.getTime());
  }
  return { firstReport: new Date(first), lastReport: new Date(last) };
}

const HOUR = 60 * 60 * 1000;

/** The thresholds in force (issue 5 §5: 3 orgs, 2 countries, 72 h by default). */
export function coordinationThresholds(config: AppConfig): CoordinationThresholds {
  return {
    minOrgs: config.TOCSIN_COORDINATION_MIN_ORGS,
    minCountries: config.TOCSIN_COORDINATION_MIN_COUNTRIES,
    windowMs: config.TOCSIN_COORDINATION_WINDOW_HOURS * HOUR,
  };
}
