import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Metrics } from '@tocsin/platform';
import { createDataSource, migrate } from './data-source';
import { DATA_SOURCE, Db } from './db';
import { Outbox } from './outbox';
import { PublishLogRepository } from './publish-log.repository';
import { QueryCounter } from './query-counter';

export const DATABASE_URL = Symbol('DATABASE_URL');

export interface DbOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly applicationName: string;
  /** Run pending migrations at start (under an advisory lock). */
  readonly migrate: boolean;
  /** Parameterised statements as named prepared statements (TOCSIN_DB_PREPARED_STATEMENTS; PreparingClient). */
  readonly preparedStatements?: boolean;
}

@Global()
@Module({})
export class DbModule {
  static forRoot(options: DbOptions): DynamicModule {
    return {
      module: DbModule,
      providers: [
        { provide: DATABASE_URL, useValue: options.url },
        {
          provide: DATA_SOURCE,
          // Every statement counts in tocsin_db_queries_total{role=<application name>} (round trips per alert).
          inject: [{ token: Metrics, optional: true }],
          useFactory: async (metrics?: Metrics) => {
            const queries = metrics?.dbQueries.labels({ role: options.applicationName });
            const counter = queries ? new QueryCounter(() => queries.inc()) : undefined;
            const ds = createDataSource(
              options.url,
              options.poolSize,
              options.applicationName,
              counter,
              options.preparedStatements ?? false,
            );
            await ds.initialize();
            if (options.migrate) {
              await migrate(ds);
            }
            return ds;
          },
        },
        Db,
        Outbox,
        PublishLogRepository,
      ],
      exports: [DATABASE_URL, DATA_SOURCE, Db, Outbox, PublishLogRepository],
    };
  }
}
