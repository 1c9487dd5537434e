export * from './tocsin-app';
export * from './run';
export type { HealthController, HealthView } from './health.controller';
