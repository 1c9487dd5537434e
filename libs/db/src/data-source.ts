import { DataSource, type DataSourceOptions, type Logger } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { PreparingClient } from './prepared-statements';

/** `prepared`: parameterised statements become named prepared statements of their connection (PreparingClient). */
export function dataSourceOptions(
  url: string,
  poolSize = 10,
  applicationName = 'tocsin',
  prepared = false,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, application_name: applicationName, ...(prepared ? { Client: PreparingClient } : {}) },
  };
}

/** `logger`, when given, sees every statement (the hub's is a QueryCounter, which logs nothing). */
export function createDataSource(
  url: string,
  poolSize = 10,
  applicationName = 'tocsin',
  logger?: Logger,
  prepared = false,
): DataSource {
  return new DataSource({
    ...dataSourceOptions(url, poolSize, applicationName, prepared),
    ...(logger ? { logger } : {}),
  });
}

/** Runs pending migrations under a session advisory lock, so several processes may start together. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await qr.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await qr.release();
  }
}

/** Advisory lock keys used by Tocsin (one namespace: 0x70c5_xxxx). */
export const MIGRATION_LOCK = 0x70c50001;
export const PUBLISH_LOCK = 0x70c50002;
export const BOOTSTRAP_LOCK = 0x70c50003;
/** Held by linking and coordinated-alert detection, so two reports of one threat never miss each other. */
export const CORRELATION_LOCK = 0x70c50004;
