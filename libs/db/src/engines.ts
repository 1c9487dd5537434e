import { type AppConfig, ensureRedis, effectiveRedisUrl } from '@tocsin/platform';
import { startEmbeddedPostgres, type PostgresEndpoint } from './embedded-postgres';

export interface Engines {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** What was started for this process, for the start-up log. */
  readonly started: {
    readonly embeddedPostgres: boolean;
    readonly privateRedis: boolean;
    /** The embedded cluster's folder, and the data folder it stands for when the postgres user could not reach it. */
    readonly embeddedPostgresDir?: string;
    readonly embeddedPostgresRelocatedFrom?: string;
  };
  stop(): Promise<void>;
}

export class EngineUnavailableError extends Error {}

/**
 * Finds PostgreSQL and Redis. The all-in-one hub (`selfContained`) may start an embedded PostgreSQL when
 * DATABASE_URL is unset and a private redis-server when nothing answers at the default address; the
 * scale-out processes (api, worker, gateway) share engines and so must be told where they are.
 */
export async function startEngines(config: AppConfig, opts: { selfContained: boolean }): Promise<Engines> {
  if (!opts.selfContained && !config.DATABASE_URL) {
    throw new EngineUnavailableError(
      'DATABASE_URL is required for the api, worker and gateway processes (only the hub embeds PostgreSQL)',
    );
  }
  let pg: PostgresEndpoint;
  if (config.DATABASE_URL) {
    pg = { url: config.DATABASE_URL, stop: () => Promise.resolve(), embedded: false };
  } else {
    try {
      pg = await startEmbeddedPostgres({
        dataDir: config.TOCSIN_DATA_DIR,
        dataDirGiven: config.dataDirGiven,
        port: config.TOCSIN_EMBEDDED_PG_PORT,
      });
    } catch (e) {
      throw new EngineUnavailableError(
        `could not start the embedded PostgreSQL (${(e as Error).message}); set DATABASE_URL to a running server`,
      );
    }
  }
  try {
    const redis = opts.selfContained
      ? await ensureRedis(config)
      : { url: effectiveRedisUrl(config), stop: () => Promise.resolve(), private: false };
    return {
      databaseUrl: pg.url,
      redisUrl: redis.url,
      started: {
        embeddedPostgres: pg.embedded,
        privateRedis: redis.private,
        ...(pg.dataDir ? { embeddedPostgresDir: pg.dataDir } : {}),
        ...(pg.relocatedFrom ? { embeddedPostgresRelocatedFrom: pg.relocatedFrom } : {}),
      },
      stop: async () => {
        await redis.stop();
        await pg.stop();
      },
    };
  } catch (e) {
    await pg.stop();
    throw new EngineUnavailableError((e as Error).message);
  }
}
