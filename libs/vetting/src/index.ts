export * from './vetting.module';
export * from './vet-alert.use-case';
