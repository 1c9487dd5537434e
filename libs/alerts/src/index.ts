export * from './alerts.module';
export * from './submit-alert.use-case';
export * from './get-alert.use-case';
export * from './list-indicators.use-case';
export * from './reconcile-stuck-work.use-case';
export * from './alert-store';
export * from './alert-view';
export type { AlertRecord, IndicatorRow } from './alert.repository';
