import { type DynamicModule, Global, Module } from '@nestjs/common';
import { createDataSource, migrate } from './data-source';
import { DATA_SOURCE, Db } from './db';
import { Outbox } from './outbox';
import { PublishLogRepository } from './publish-log.repository';

export const DATABASE_URL = Symbol('DATABASE_URL');

export interface DbOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly applicationName: string;
  /** Run pending migrations at start (under an advisory lock). */
  readonly migrate: boolean;
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
          useFactory: async () => {
            const ds = createDataSource(options.url, options.poolSize, options.applicationName);
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
