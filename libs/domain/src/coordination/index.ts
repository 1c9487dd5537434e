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
