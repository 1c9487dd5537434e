import { randomBytes } from 'node:crypto';
import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { DbModule } from '@tocsin/db';
import { PlatformModule } from '@tocsin/platform';
import { QueuesModule } from '@tocsin/queues';
import { testConfig } from './config';
import { deleteRedisPrefix } from './hub';
import { REDIS_TEST_URL } from './pg';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface IntContext {
  readonly app: INestApplicationContext;
  readonly db: TestDatabase;
  readonly prefix: string;
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** One context module with the real platform, PostgreSQL (own database) and Redis (own prefix). */
export async function createIntContext(imports: NonNullable<ModuleMetadata['imports']>): Promise<IntContext> {
  const db = await createTestDatabase();
  const prefix = `i${randomBytes(5).toString('hex')}`;
  const config = testConfig({
    DATABASE_URL: db.url,
    REDIS_URL: REDIS_TEST_URL,
    TOCSIN_REDIS_PREFIX: prefix,
    LOG_LEVEL: process.env.TOCSIN_TEST_LOG_LEVEL ?? 'silent',
    TOCSIN_METRICS: 'false',
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({ config, redisUrl: REDIS_TEST_URL }),
      DbModule.forRoot({ url: db.url, poolSize: 20, applicationName: 'tocsin-int', migrate: false }),
      QueuesModule,
      ...imports,
    ],
  }).compile();
  const app = await moduleRef.init();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  return {
    app,
    db,
    prefix,
    sql: async (text, params) => (await client.query(text, params as unknown[])).rows,
    async close() {
      await client.end();
      await app.close();
      await db.drop();
      await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
    },
  };
}
