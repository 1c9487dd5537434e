export {
  DEFAULT_BASE_CONFIDENCE,
  CORROBORATION_POINTS_PER_TRUST,
  DEFAULT_COORDINATION_THRESHOLDS,
  corroborationConfidence,
  detectCoordination,
  findCorroborations,
  sharedKeys,
  type Coordination,
  type CoordinationThresholds,
  type Corroboration,
  type Corroborator,
  type ReportPart,
} from './correlation';
export {
  COORDINATED_ALERT_STATUSES,
  buildCoordinatedView,
  type CoordinatedAlert,
  type CoordinatedAlertStatus,
  type CoordinatedReport,
  type CoordinatedView,
} from './coordinated-view';
export {
  coordinatedEventFor,
  currentCoordinatedView,
  partsAt,
  type CoordinatedEvent,
  type CoordinatedEventName,
  type CoordinatedSnapshot,
  type SnapshotPart,
} from './coordinated-event';
export {
  DEFAULT_RELEASE_POLICY,
  countsAsCorroboration,
  releasedByCorroboration,
  type ReleasePolicy,
} from './corroboration-policy';
