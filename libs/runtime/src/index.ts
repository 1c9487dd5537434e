export * from './tocsin-app';
export * from './run';
export type { HealthView } from './health.controller';
