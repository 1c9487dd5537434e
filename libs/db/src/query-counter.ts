import type { Logger } from 'typeorm';

/**
 * A TypeORM logger that logs nothing and counts every statement sent to PostgreSQL (each is one round trip,
 * transaction control included: TypeORM sends BEGIN and COMMIT as statements of their own). The count feeds
 * `tocsin_db_queries_total`; no query text or parameter ever leaves it.
 */
export class QueryCounter implements Logger {
  constructor(private readonly onQuery: () => void) {}

  logQuery(): void {
    this.onQuery();
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
