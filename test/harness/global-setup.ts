import type { TestProject } from 'vitest/node';
import { createDataSource, migrate } from '@tocsin/db';
import { createMigratedDatabase, dropDatabase } from './pg';

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
  await createMigratedDatabase(name, { createDataSource, migrate }, 'tocsin-test-template');
  project.provide('templateDatabase', name);
  return async () => {
    await dropDatabase(name);
  };
}
