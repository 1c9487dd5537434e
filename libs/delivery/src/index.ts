export * from './delivery.module';
export * from './publish-alert.use-case';
export * from './alert-feed';
export type { LogEntry, LogEvent } from './publish-log.repository';
export * from './lifecycle.use-case';
export * from './report-feedback.use-case';
export * from './coordinate-alert.use-case';
export * from './coordinated-alerts.use-case';
export { viewToJson } from './coordinated-snapshot';
