import 'reflect-metadata';
import { run } from '@tocsin/runtime';
import { workerRole } from './worker.role';

// One role of the scale-out topology, on engines it is given (DATABASE_URL, REDIS_URL).
void run([workerRole], false);
