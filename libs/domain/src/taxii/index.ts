export * from './media-type';
export * from './taxii-error';
export * from './taxii-credential';
