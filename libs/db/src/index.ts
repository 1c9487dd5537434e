export * from './db';
export * from './db.module';
export * from './outbox';
export * from './pg-listener';
export * from './data-source';
export * from './embedded-postgres';
export * from './entities';
export * from './engines';
