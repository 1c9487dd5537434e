import type { TestProject } from 'vitest/node';
import { createDataSource, migrate } from '@tocsin/db';
import { dropDatabase, urlFor, withAdmin } from './pg';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/**
 * Migrates one template database per run; each test file clones its own from it (CREATE DATABASE …
 * TEMPLATE), so runs and files never collide. The template is dropped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `tocsin_tpl_${process.pid}_${Date.now().toString(36)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const ds = createDataSource(urlFor(name), 2, 'tocsin-test-template');
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  project.provide('templateDatabase', name);
  return async () => {
    await dropDatabase(name);
  };
}
