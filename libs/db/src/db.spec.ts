import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { Db } from './db';

const qb = (sql: string, params: unknown[]) =>
  ({ getQueryAndParameters: () => [sql, params] }) as unknown as SelectQueryBuilder<ObjectLiteral>;
const db = new Db({} as DataSource);

describe('Db.inlined (the statement sent with BEGIN, without parameters)', () => {
  it('writes in safe integers and UUIDs, $10 not mistaken for $1', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`);
    const sql = `SELECT 1 WHERE x IN (${ids.map((_, i) => `$${i + 1}`).join(', ')}) AND n <= $11`;
    expect(db.inlined(qb(sql, [...ids, 1000]))).toBe(
      `SELECT 1 WHERE x IN (${ids.map((id) => `'${id}'`).join(', ')}) AND n <= 1000`,
    );
  });

  it('refuses any other value: a string that is not a UUID, a fraction, an unsafe integer', () => {
    for (const bad of ["x'; DROP TABLE alerts; --", '00000000-0000-4000-8000-00000000000', 1.5, 2 ** 60, null]) {
      expect(() => db.inlined(qb('SELECT $1', [bad]))).toThrow(/neither a safe integer nor a UUID/);
    }
  });
});
