import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { dropDatabase, urlFor, withAdmin } from './pg';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const name = `tocsin_t_${randomBytes(6).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (e) {
      // Two clones of one template at the same instant can collide ("being accessed by other users").
      if (attempt >= 20 || !/being accessed/.test((e as Error).message)) {
        throw e;
      }
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  }
  return { name, url: urlFor(name), drop: () => dropDatabase(name) };
}
