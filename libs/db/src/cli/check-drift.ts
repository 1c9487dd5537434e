/*
 * Drift check: migrate a fresh database, then ask TypeORM what it would change to match the entities.
 * Any pending change means an entity was edited without a migration: the build fails.
 */
import { Client } from 'pg';
import { createDataSource, migrate } from '../data-source';

async function main(): Promise<void> {
  const admin = process.env.TOCSIN_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `tocsin_drift_${process.pid}_${Date.now()}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  let failed = false;
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const ds = createDataSource(url.toString());
    await ds.initialize();
    await migrate(ds);
    const sql = await ds.driver.createSchemaBuilder().log();
    await ds.destroy();
    if (sql.upQueries.length > 0) {
      failed = true;
      console.error('schema drift: the entities differ from the migrations; run npm run db:migration:generate');
      for (const q of sql.upQueries) {
        console.error(`  ${q.query}`);
      }
    } else {
      console.log('no schema drift');
    }
  } finally {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
  process.exit(failed ? 1 : 0);
}

void main();
