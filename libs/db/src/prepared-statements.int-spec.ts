import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness/test-database';
import { createDataSource } from './data-source';
import { PREPARED_PER_CONNECTION } from './prepared-statements';

/** TOCSIN_DB_PREPARED_STATEMENTS: what a connection of the pool prepares, and what it leaves alone. */
describe('prepared statements', () => {
  let db: TestDatabase;
  let on: DataSource;
  let off: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection each, so every statement below runs on the connection whose prepared statements are listed.
    on = createDataSource(db.url, 1, 'tocsin-prepared', undefined, true);
    off = createDataSource(db.url, 1, 'tocsin-unprepared', undefined, false);
    await Promise.all([on.initialize(), off.initialize()]);
  });

  afterAll(async () => {
    await Promise.all([on?.destroy(), off?.destroy()]);
    await db?.drop();
  });

  const prepared = async (ds: DataSource) =>
    (await ds.query<{ statement: string }[]>('SELECT statement FROM pg_prepared_statements')).map((r) => r.statement);

  it('prepares a parameterised statement once per connection and answers as an unnamed one does', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    for (const ds of [on, off]) {
      expect(await ds.query(text, [1])).toEqual([{ n: 2 }]);
      expect(await ds.query(text, [41])).toEqual([{ n: 42 }]);
    }
    expect((await prepared(on)).filter((s) => s === text)).toHaveLength(1);
    expect(await prepared(off)).toEqual([]);
  });

  it('leaves statements without parameters alone, and a failed one fails as it would unnamed', async () => {
    await on.query('SELECT 1');
    expect(await prepared(on)).not.toContain('SELECT 1');
    const bad = 'SELECT $1::int AS n FROM no_such_table';
    for (let i = 0; i < 2; i++) {
      await expect(on.query(bad, [1])).rejects.toMatchObject({ code: '42P01' });
    }
    expect(await on.query('SELECT $1::text AS t', ['still usable'])).toEqual([{ t: 'still usable' }]);
  });

  it(`prepares at most ${PREPARED_PER_CONNECTION} texts on a connection; later ones still run, unnamed`, async () => {
    for (let i = 0; i < PREPARED_PER_CONNECTION + 20; i++) {
      expect(await on.query(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
    }
    const names = await prepared(on);
    // The slots went to the first texts (the one that failed above took one without a statement behind it).
    expect(names.length).toBeLessThanOrEqual(PREPARED_PER_CONNECTION);
    expect(names).toContain('SELECT $1::int + 0 AS n');
    expect(names).not.toContain(`SELECT $1::int + ${PREPARED_PER_CONNECTION + 19} AS n`);
  });
});
