export * from './orgs.module';
export * from './authenticate-key.use-case';
export * from './bootstrap-hub.use-case';
export * from './create-org.use-case';
export * from './read-orgs.use-case';
export * from './manage-keys.use-case';
export * from './org-directory';
export type { Org } from './org.repository';
export type { KeySummary } from './api-key.repository';
