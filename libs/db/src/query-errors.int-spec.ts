import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { errorFacts } from '@tocsin/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/harness/test-database';
import { createDataSource, dataSourceOptions } from './data-source';

/** Real failed queries through TypeORM: what a log line may say about them never holds the values sent. */
describe('errorFacts on database errors', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const SECRET = 'Operation Nightjar: CEO phishing wave';

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 2);
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function failure(sql: string, params: unknown[]): Promise<unknown> {
    try {
      await ds.query(sql, params);
    } catch (e) {
      return e;
    }
    throw new Error('expected the query to fail');
  }

  it.each([
    ['a value that is not a UUID', 'SELECT * FROM alerts WHERE id = $1', [SECRET], '22P02'],
    ['U+0000 in text', 'SELECT $1::text', [`${SECRET}\u0000`], '22021'],
    ['a missing table', 'INSERT INTO no_such_table (title) VALUES ($1)', [SECRET], '42P01'],
  ])(
    'names the class and SQLSTATE of %s, never the query, its parameters or the message',
    async (_l, sql, params, code) => {
      const e = await failure(sql, params);
      const raw = e as { query?: string; parameters?: unknown[] };
      // The error itself carries the values: this is what must not reach a log.
      expect(JSON.stringify(raw.parameters)).toContain('Nightjar');
      const facts = errorFacts(e, true);
      expect(facts.class).toBe('QueryFailedError');
      expect(facts.code).toBe(code);
      expect(facts.message).toBeUndefined();
      expect(JSON.stringify(facts)).not.toContain('Nightjar');
      expect(JSON.stringify(facts)).not.toContain(raw.query ?? 'SELECT');
    },
  );

  it('names the violated constraint and table of a unique violation, not the key value', async () => {
    await ds.query(`CREATE TABLE t_unique (name text CONSTRAINT t_unique_name UNIQUE)`);
    await ds.query(`INSERT INTO t_unique VALUES ($1)`, [SECRET]);
    const e = await failure(`INSERT INTO t_unique VALUES ($1)`, [SECRET]);
    expect(errorFacts(e)).toEqual({
      class: 'QueryFailedError',
      code: '23505',
      constraint: 't_unique_name',
      table: 't_unique',
    });
  });

  it('keeps the message of an error that is not a database error', () => {
    expect(errorFacts(new TypeError('x is not a function'))).toEqual({
      class: 'TypeError',
      message: 'x is not a function',
    });
    expect(errorFacts(new RangeError('boom'), true).stack).toMatch(/^\s+at /);
  });

  it('has TypeORM log nothing itself (no query, no parameters)', () => {
    const o = dataSourceOptions('postgres://x@127.0.0.1/x');
    expect(o.logging).toBe(false);
    expect(o.maxQueryExecutionTime).toBeUndefined();
  });
});
