import { sourceView, type SourceView, type SourceViewer } from '../alerts/attribution';
import { mostRestrictiveTlp, type TlpLabel } from '../alerts/tlp';
import { mayReceive, type AudienceOrg } from '../delivery/audience';
import type { CoordinationThresholds, ReportPart } from './correlation';
import {
  componentKeys,
  components,
  indexKeys,
  linkingKeys,
  summarize,
  uniqueParts,
  type GroupSummary,
} from './part-graph';

export const COORDINATED_ALERT_STATUSES = ['active', 'closed'] as const;
export type CoordinatedAlertStatus = (typeof COORDINATED_ALERT_STATUSES)[number];

/** A stored coordinated alert: its own id, every linked report, its status. */
export interface CoordinatedAlert {
  readonly id: string;
  readonly parts: readonly ReportPart[];
  readonly status: CoordinatedAlertStatus;
}

/** One report as a recipient sees it inside a coordinated alert. */
export interface CoordinatedReport {
  readonly alertId: string;
  /** Present only when the report is named to the viewer (sourceView): never an anonymous report's org. */
  readonly orgId?: string;
  readonly country: string | null;
  readonly source: SourceView;
  readonly reportedAt: Date;
}

/** What ONE recipient gets of a coordinated alert: built only from reports it may see on their own. */
export interface CoordinatedView {
  readonly id: string;
  readonly status: CoordinatedAlertStatus;
  /** Sorted by report time, then alert id. */
  readonly reports: readonly CoordinatedReport[];
  readonly orgCount: number;
  /** Sorted. */
  readonly countries: readonly string[];
  /** Keys held by ≥ 2 distinct orgs among the reports shown, sorted. */
  readonly sharedIndicators: readonly string[];
  readonly firstReport: Date;
  readonly lastReport: Date;
  /** The most restrictive TLP of the reports shown. */
  readonly tlp: TlpLabel;
}

interface Candidate {
  readonly parts: readonly ReportPart[];
  readonly summary: GroupSummary;
}

/** Larger first: more orgs, then more countries, then more reports, then earlier, then lower first alert id. */
function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    b.summary.orgs.length - a.summary.orgs.length ||
    b.summary.countries.length - a.summary.countries.length ||
    b.parts.length - a.parts.length ||
    a.summary.firstReport.getTime() - b.summary.firstReport.getTime() ||
    ((a.summary.alertIds[0] ?? '') < (b.summary.alertIds[0] ?? '') ? -1 : 1)
  );
}

/**
 * The view `viewer` gets of a coordinated alert, or null when it must not learn that the alert exists.
 *
 * Only the parts `viewer` may receive on their own (`mayReceive`, the one visibility policy) are used; a part it
 * may not see contributes nothing: not its id, org, country, indicators, time or TLP. Among the visible parts,
 * keys held by ≥ 2 distinct visible orgs link them into connected components (as detection does); a hidden part
 * never bridges two visible ones, since showing them together would reveal that something links them. The view is
 * the component with the most orgs (then countries, reports, earliest report, lowest alert id) among those that meet
 * the thresholds by themselves: ≥ minOrgs distinct orgs, ≥ minCountries distinct countries, ≥ 1 shared key. None
 * meets them → null. The time window is not applied again: a coordinated alert grows as reports join over time.
 * So the view equals what it would be if the hidden parts did not exist, and a suspended viewer gets null.
 */
export function buildCoordinatedView(
  coordinated: CoordinatedAlert,
  viewer: AudienceOrg,
  thresholds: Pick<CoordinationThresholds, 'minOrgs' | 'minCountries'>,
  sourceViewer: SourceViewer = { orgId: viewer.id },
): CoordinatedView | null {
  if (viewer.trustLevel === 0) {
    return null;
  }
  const visible = uniqueParts(coordinated.parts).filter((part) => mayReceive(part, viewer));
  const index = indexKeys(visible);
  const every = (): boolean => true;
  const linking = linkingKeys(visible, index, every, Infinity);
  const roots = components(visible.length, index, linking, every);
  const keysByRoot = componentKeys(index, linking, roots, every);

  const groups = new Map<number, ReportPart[]>();
  visible.forEach((part, i) => {
    const root = roots[i]!;
    const group = groups.get(root);
    if (group === undefined) {
      groups.set(root, [part]);
    } else {
      group.push(part);
    }
  });
  // Only components with a shared key: a part no other visible org confirms is never shown.
  const best = [...keysByRoot]
    .map(([root, keys]): Candidate => {
      const parts = groups.get(root) ?? [];
      return { parts, summary: summarize(parts, keys) };
    })
    .filter(
      ({ summary }) =>
        summary.sharedKeys.length > 0 &&
        summary.orgs.length >= thresholds.minOrgs &&
        summary.countries.length >= thresholds.minCountries,
    )
    .sort(compareCandidates)[0];
  if (best === undefined) {
    return null;
  }

  const { parts, summary } = best;
  return {
    id: coordinated.id,
    status: coordinated.status,
    reports: [...parts]
      .sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || (a.alertId < b.alertId ? -1 : 1))
      .map((part): CoordinatedReport => {
        const source = sourceView(
          {
            sourceOrgId: part.orgId,
            attribution: part.attribution ?? 'named',
            sourceOrgName: null,
            sourceCountry: part.country,
            sourceTrustLevel: part.trustLevel,
          },
          sourceViewer,
        );
        return {
          alertId: part.alertId,
          ...(source.org ? { orgId: part.orgId } : {}),
          country: part.country,
          source,
          reportedAt: new Date(part.reportedAt.getTime()),
        };
      }),
    orgCount: summary.orgs.length,
    countries: summary.countries,
    sharedIndicators: summary.sharedKeys,
    firstReport: summary.firstReport,
    lastReport: summary.lastReport,
    // parts is non-empty, so there is a most restrictive label.
    tlp: mostRestrictiveTlp(parts.map((part) => part.tlp)) ?? 'RED',
  };
}
