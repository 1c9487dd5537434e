export * from './alerts.module';
export * from './submit-alert.use-case';
export * from './submit-misp-events.use-case';
export * from './get-alert.use-case';
export * from './list-indicators.use-case';
export * from './list-alerts.use-case';
export * from './get-alert-stats.use-case';
export * from './lookup-indicator.use-case';
export { visibilityFor, visibilitySql, type AlertVisibility, type StatusTlp } from './alert-visibility';
export * from './reconcile-stuck-work.use-case';
export * from './alert-store';
export * from './alert-revisions';
export * from './illegal-transition';
export * from './alert-view';
export * from './indicator-view';
export {
  toIndicatorRow,
  type AlertRecord,
  type IndicatorColumns,
  type IndicatorRow,
  type NormalizedRow,
} from './alert.repository';
export * from './taxonomies';
export * from './export-alert.use-case';
export * from './replay-submission.use-case';
export * from './lifecycle.use-case';
export * from './report-feedback.use-case';
export { IdempotentReplay } from './idempotency.repository';
