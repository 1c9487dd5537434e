import { Client } from 'pg';

/** Statements prepared on one connection at most (the hot path's are a few dozen). */
export const PREPARED_PER_CONNECTION = 100;

/**
 * A pg client that sends every parameterised statement as a named prepared statement of its connection: PostgreSQL
 * parses and analyses its text once per connection, and may keep a generic plan (its `plan_cache_mode`), instead of
 * doing both on every call. On the small-alert path this took a quarter of PostgreSQL's CPU time (bench/README.md).
 * The first PREPARED_PER_CONNECTION distinct texts are prepared; later new texts go unnamed, as without it, so the
 * server's memory stays bounded whatever the statements. Statements without parameters (BEGIN, COMMIT, DDL, a
 * simple-protocol BEGIN with its first statement) are left alone. The pool's `Client` when
 * TOCSIN_DB_PREPARED_STATEMENTS is on (the default); turn it off behind a pooler that cannot hold prepared
 * statements (PgBouncer in transaction mode before 1.21).
 */
export class PreparingClient extends Client {
  private readonly names = new Map<string, string>();

  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    const call = super.query.bind(this) as (...a: unknown[]) => never;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      let name = this.names.get(text);
      if (name === undefined && this.names.size < PREPARED_PER_CONNECTION) {
        name = `tocsin_${this.names.size + 1}`;
        this.names.set(text, name);
      }
      if (name !== undefined) {
        return callback === undefined ? call({ name, text, values }) : call({ name, text, values }, callback);
      }
    }
    return call(...args);
  }
}
