export * from './normalization.module';
export * from './normalize-alert.use-case';
