export * from './normalization.module';
export * from './normalize-alert.use-case';
export { loadWarningLists } from './warning-lists';
