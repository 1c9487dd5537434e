export * from './normalization.module';
export * from './normalize-alert.use-case';
export { loadWarningLists } from './warning-lists';
export * from './preview-submission.use-case';
