import { Client } from 'pg';

type Db = typeof import('@tocsin/db');

/** The server tests create their databases on (trust auth on loopback in CI). */
export const ADMIN_URL = process.env.TOCSIN_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_TEST_URL = process.env.TOCSIN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The URL of `database` on the server of `adminUrl`. */
export function urlFor(database: string, adminUrl = ADMIN_URL): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (c: Client) => Promise<T>, adminUrl = ADMIN_URL): Promise<T> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function dropDatabase(name: string, adminUrl = ADMIN_URL): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), adminUrl);
}

/**
 * Creates `name` and runs every migration on it, with the given build of libs/db (the sources under vitest, dist/
 * in a bench). Resolves with its URL.
 */
export async function createMigratedDatabase(
  name: string,
  db: Pick<Db, 'createDataSource' | 'migrate'>,
  applicationName: string,
  adminUrl = ADMIN_URL,
): Promise<string> {
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`), adminUrl);
  const url = urlFor(name, adminUrl);
  const ds = db.createDataSource(url, 2, applicationName);
  await ds.initialize();
  try {
    await db.migrate(ds);
  } finally {
    await ds.destroy();
  }
  return url;
}
