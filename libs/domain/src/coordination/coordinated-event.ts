import type { AudienceOrg } from '../delivery/audience';
import type { CoordinationThresholds, ReportPart } from './correlation';
import type { SourceViewer } from '../alerts/attribution';
import { buildCoordinatedView, type CoordinatedAlertStatus, type CoordinatedView } from './coordinated-view';

/**
 * A linked report as a coordinated alert stores it: the part, the version it joined at, and the version it left at
 * when it was withdrawn (revoked by its submitter).
 */
export interface SnapshotPart extends ReportPart {
  readonly joinedVersion: number;
  readonly leftVersion?: number;
}

/**
 * A coordinated alert at one version, as the publish log carries it. Version 1 is its creation; each later version
 * adds reports (`joinedVersion === version`), withdraws one (`leftVersion === version`) or changes its status
 * (`previousStatus` says from what).
 */
export interface CoordinatedSnapshot {
  readonly id: string;
  readonly version: number;
  readonly status: CoordinatedAlertStatus;
  readonly previousStatus: CoordinatedAlertStatus;
  readonly parts: readonly SnapshotPart[];
}

export type CoordinatedEventName = 'coordinated-alert' | 'coordinated-alert-updated' | 'coordinated-alert-withdrawn';

export type CoordinatedEvent =
  | { readonly name: 'coordinated-alert' | 'coordinated-alert-updated'; readonly view: CoordinatedView }
  | { readonly name: 'coordinated-alert-withdrawn'; readonly id: string };

/** The reports a coordinated alert held at `version`: joined by then, not withdrawn by then. */
export function partsAt(snapshot: CoordinatedSnapshot, version: number): SnapshotPart[] {
  return snapshot.parts.filter(
    (p) => p.joinedVersion <= version && (p.leftVersion === undefined || p.leftVersion > version),
  );
}

/** The view `viewer` has of the snapshot's own version (null: it must not learn the alert exists). */
export function currentCoordinatedView(
  snapshot: CoordinatedSnapshot,
  viewer: AudienceOrg,
  thresholds: Pick<CoordinationThresholds, 'minOrgs' | 'minCountries'>,
  sourceViewer?: SourceViewer,
): CoordinatedView | null {
  return buildCoordinatedView(
    { id: snapshot.id, status: snapshot.status, parts: partsAt(snapshot, snapshot.version) },
    viewer,
    thresholds,
    sourceViewer,
  );
}

const sameView = (a: CoordinatedView, b: CoordinatedView): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What one recipient is sent for a version of a coordinated alert, judged only from the reports it may see:
 * - `coordinated-alert` when it has a view of this version and had none of the previous one (news to it);
 * - `coordinated-alert-updated` when its view changed;
 * - `coordinated-alert-withdrawn` when it had a view and has none now (reports it could see were withdrawn);
 * - nothing otherwise: not when its view is null and was null (it must not learn the alert exists), and not when its
 *   view did not change (a report it may not see joined or left: even the timing of an update would tell).
 */
export function coordinatedEventFor(
  snapshot: CoordinatedSnapshot,
  viewer: AudienceOrg,
  thresholds: Pick<CoordinationThresholds, 'minOrgs' | 'minCountries'>,
  sourceViewer?: SourceViewer,
): CoordinatedEvent | null {
  const now = currentCoordinatedView(snapshot, viewer, thresholds, sourceViewer);
  const before =
    snapshot.version <= 1
      ? null
      : buildCoordinatedView(
          { id: snapshot.id, status: snapshot.previousStatus, parts: partsAt(snapshot, snapshot.version - 1) },
          viewer,
          thresholds,
          sourceViewer,
        );
  if (now === null) {
    return before === null ? null : { name: 'coordinated-alert-withdrawn', id: snapshot.id };
  }
  if (before === null) {
    return { name: 'coordinated-alert', view: now };
  }
  return sameView(before, now) ? null : { name: 'coordinated-alert-updated', view: now };
}
