export * from './fair-share';
export * from './job-dispatcher';
export * from './queue-names';
export * from './queues';
export * from './queues.module';
