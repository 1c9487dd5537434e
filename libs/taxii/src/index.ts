export * from './taxii.module';
export * from './collections';
export * from './collections.use-case';
