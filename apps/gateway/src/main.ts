import 'reflect-metadata';
import { run } from '@tocsin/runtime';
import { gatewayRole } from './gateway.role';

// One role of the scale-out topology, on engines it is given (DATABASE_URL, REDIS_URL).
void run([gatewayRole], false);
