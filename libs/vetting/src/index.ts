export * from './vetting.module';
export * from './vet-alert.use-case';
export * from './review-alert.use-case';
export * from './list-pending-alerts.use-case';
