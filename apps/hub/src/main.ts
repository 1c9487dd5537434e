import 'reflect-metadata';
import { run } from '@tocsin/runtime';
import { rolesNamed } from './roles';

// api + worker + gateway in one process, self-contained (embedded PostgreSQL and a private Redis when none is given).
void run(rolesNamed(['api', 'worker', 'gateway']), true);
