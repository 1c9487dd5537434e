export * from './taxii.module';
export * from './collections';
export * from './collections.use-case';
export * from './objects.use-case';
export * from './taxii-write.providers';
