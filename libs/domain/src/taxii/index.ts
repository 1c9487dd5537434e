export * from './media-type';
export * from './taxii-error';
export * from './taxii-credential';
export * from './taxii-timestamp';
export * from './taxii-query';
export * from './taxii-rows';
export * from './taxii-page';
