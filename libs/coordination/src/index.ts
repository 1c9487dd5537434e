export * from './coordination.module';
export * from './corroboration';
export * from './corroborate-linked.use-case';
export * from './coordinate-alert.use-case';
export * from './coordinated-alerts.use-case';
export { coordinationThresholds, snapshotFromJson, viewToJson } from './coordinated-snapshot';
export * from './withdraw-report.use-case';
export type { LinkedAlert } from './alert-link.repository';
export * from './get-alert-with-links.use-case';
