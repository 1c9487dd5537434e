import 'reflect-metadata';
// One role of the scale-out topology; the shared entry lives with the composition root.
import { run } from '../../hub/src/run';

void run(['gateway'], false);
