import 'reflect-metadata';
import { run } from './run';

void run(['api', 'worker', 'gateway'], true);
