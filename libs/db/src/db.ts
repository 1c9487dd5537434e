import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer.js';

/**
 * A transaction handle. Use-cases pass it along without knowing it is TypeORM's; only repositories open it.
 */
export interface Tx {
  readonly __brand: 'Tx';
}

export function managerOf(tx: Tx): EntityManager {
  return tx as unknown as EntityManager;
}

export const DATA_SOURCE = Symbol('DATA_SOURCE');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class Db implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) readonly dataSource: DataSource) {}

  /** Runs fn in one READ COMMITTED transaction; everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((m) => fn(m as unknown as Tx));
  }

  /**
   * As `transaction`, but BEGIN travels with the transaction's first statement, `first`: one round trip instead of
   * two. The two go as one multi-statement query, which PostgreSQL's simple protocol carries but without parameters:
   * `first` must inline only values the caller checked (integers, constants), never input. `fn` gets the rows of
   * `first`; COMMIT follows it, ROLLBACK any error. The statement is counted as one (`tocsin_db_queries_total`).
   * `first` may be several statements (same rules), run in order in the same round trip: `fn` gets the last one's rows.
   */
  async transactionFrom<R, T>(first: string | readonly string[], fn: (rows: R[], tx: Tx) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    try {
      const client = (await qr.connect()) as { query(text: string): Promise<{ rows: R[] }[]> };
      const text = ['BEGIN', ...(typeof first === 'string' ? [first] : first)].join('; ');
      this.dataSource.logger.logQuery(text, undefined, qr);
      try {
        const results = await client.query(text);
        // TypeORM did not send the BEGIN: tell its runner a transaction is open, as `transaction` would have (a
        // pessimistic lock requires one; a nested transaction becomes a savepoint).
        const state = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
        state.isTransactionActive = true;
        state.transactionDepth = 1;
        const value = await fn(results.at(-1)?.rows ?? [], qr.manager as unknown as Tx);
        await qr.commitTransaction();
        return value;
      } catch (e) {
        // BEGIN may have run while what followed failed: the connection goes back to the pool with no transaction.
        await qr.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        Object.assign(qr, { isTransactionActive: false, transactionDepth: 0 });
      }
    } finally {
      await qr.release();
    }
  }

  /**
   * A select query builder's statement with its parameters written in, for `transactionFrom`: only safe integers and
   * UUIDs are accepted (anything else throws), so nothing from input can change the statement.
   */
  inlined(qb: SelectQueryBuilder<ObjectLiteral>): string {
    const [sql, params] = qb.getQueryAndParameters();
    return sql.replace(/\$(\d+)\b/g, (_, n: string) => {
      const v: unknown = params[Number(n) - 1];
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        return String(v);
      }
      if (typeof v === 'string' && UUID.test(v)) {
        return `'${v}'`;
      }
      throw new Error(`Db.inlined: parameter $${n} is neither a safe integer nor a UUID`);
    });
  }

  /** The entities of `qb`'s main alias in rows it returned (run by `transactionFrom`), as `getRawAndEntities` maps them. */
  entitiesOf<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, rows: readonly unknown[]): E[] {
    const transformer = new RawSqlResultsToEntityTransformer(qb.expressionMap, this.dataSource.driver, [], []);
    return transformer.transform([...rows], qb.expressionMap.mainAlias!) as E[];
  }

  /** The manager to use: the transaction's when given, else the pool's. */
  manager(tx?: Tx): EntityManager {
    return tx ? managerOf(tx) : this.dataSource.manager;
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
