import type { AudienceOrg } from '../delivery/audience';
import type { CoordinationThresholds, ReportPart } from './correlation';
import { buildCoordinatedView, type CoordinatedAlertStatus, type CoordinatedView } from './coordinated-view';

/** A linked report as a coordinated alert stores it: the part, and the version of the alert it joined at. */
export interface SnapshotPart extends ReportPart {
  readonly joinedVersion: number;
}

/**
 * A coordinated alert at one version, as the publish log carries it. Version 1 is its creation; each later version
 * adds reports (those with `joinedVersion === version`) or changes its status (`previousStatus` says from what).
 */
export interface CoordinatedSnapshot {
  readonly id: string;
  readonly version: number;
  readonly status: CoordinatedAlertStatus;
  readonly previousStatus: CoordinatedAlertStatus;
  readonly parts: readonly SnapshotPart[];
}

export type CoordinatedEventName = 'coordinated-alert' | 'coordinated-alert-updated';

const sameView = (a: CoordinatedView, b: CoordinatedView): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What one recipient is sent for a version of a coordinated alert, judged only from the reports it may see:
 * - nothing when its view of this version is null (it must not learn the alert exists);
 * - `coordinated-alert` when its view of the previous version was null (news to it, whatever the hub's version);
 * - nothing when its view did not change (a report it may not see joined: even the timing of an update would tell);
 * - `coordinated-alert-updated` otherwise.
 */
export function coordinatedEventFor(
  snapshot: CoordinatedSnapshot,
  viewer: AudienceOrg,
  thresholds: Pick<CoordinationThresholds, 'minOrgs' | 'minCountries'>,
): { readonly name: CoordinatedEventName; readonly view: CoordinatedView } | null {
  const now = buildCoordinatedView(snapshot, viewer, thresholds);
  if (now === null) {
    return null;
  }
  const before =
    snapshot.version <= 1
      ? null
      : buildCoordinatedView(
          {
            id: snapshot.id,
            status: snapshot.previousStatus,
            parts: snapshot.parts.filter((p) => p.joinedVersion < snapshot.version),
          },
          viewer,
          thresholds,
        );
  if (before === null) {
    return { name: 'coordinated-alert', view: now };
  }
  return sameView(before, now) ? null : { name: 'coordinated-alert-updated', view: now };
}
