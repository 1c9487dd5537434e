import type { TocsinRole } from '@tocsin/runtime';
import { WorkerModule } from './worker.module';

/** The queue role: processors, the outbox relay and the reconciler. */
export const workerRole: TocsinRole = { name: 'worker', module: WorkerModule };
