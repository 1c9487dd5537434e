export * from './delivery.module';
export * from './publish-alert.use-case';
export * from './alert-feed';
export type { LogEntry } from './publish-log.repository';
