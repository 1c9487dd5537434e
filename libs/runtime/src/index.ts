export * from './tocsin-app';
export * from './run';
