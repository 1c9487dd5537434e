export * from './delivery.module';
export * from './publish-alert.use-case';
export * from './alert-feed';
export type { LogEntry, LogEvent } from './publish-log.repository';
export * from './lifecycle.use-case';
export * from './report-feedback.use-case';
