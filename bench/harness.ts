import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/**
 * Boots the hub for a benchmark from the compiled build (dist/), never from the TypeScript sources: NestJS
 * injection needs emitDecoratorMetadata, which tsx (esbuild) does not emit. `npm run bench` builds first.
 * Only types are taken from the sources.
 */
type HubModule = typeof import('../apps/hub/src/tocsin-app');
type PlatformModule = typeof import('../libs/platform/src');
type DbModule = typeof import('../libs/db/src');
type DomainModule = typeof import('../libs/domain/src');
type RunningTocsin = import('../apps/hub/src/tocsin-app').RunningTocsin;

export const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');
const ADMIN_URL = process.env.TOCSIN_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TOCSIN_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A stalled hub (say, a deadlocked pool) must not keep the bench from dropping its database and stopping. */
const CLOSE_TIMEOUT_MS = 20_000;

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

interface Compiled {
  readonly hub: HubModule;
  readonly platform: PlatformModule;
  readonly db: DbModule;
  readonly domain: DomainModule;
}

function loadCompiled(): Compiled {
  const entry = join(DIST, 'apps/hub/src/tocsin-app.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  const load = createRequire(entry);
  return {
    hub: load(entry) as HubModule,
    platform: load(join(DIST, 'libs/platform/src/index.js')) as PlatformModule,
    db: load(join(DIST, 'libs/db/src/index.js')) as DbModule,
    domain: load(join(DIST, 'libs/domain/src/index.js')) as DomainModule,
  };
}

export interface HttpResult {
  readonly status: number;
  readonly body: any;
}

export interface BenchHub {
  readonly url: string;
  readonly adminKey: string;
  http(method: string, path: string, key: string, body?: unknown): Promise<HttpResult>;
  close(): Promise<void>;
}

/** Cleanups still owed, run on SIGINT/SIGTERM so an interrupted bench leaves no database or keys behind. */
const pending = new Set<() => Promise<void>>();
let interrupted = false;
export const wasInterrupted = (): boolean => interrupted;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (interrupted) {
      return;
    }
    interrupted = true;
    process.stderr.write(`bench: ${signal}, cleaning up\n`);
    void within(Promise.allSettled([...pending].map((f) => f())), CLOSE_TIMEOUT_MS + 10_000, 'cleanup')
      .catch(() => undefined)
      .finally(() => process.exit(130));
  });
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) {
        await r.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/**
 * Starts the whole hub (api + worker + gateway) in this process on loopback, on its own freshly migrated
 * database and Redis key prefix; close() stops it, drops the database and deletes the keys.
 */
export async function startBenchHub(env: Record<string, string> = {}): Promise<BenchHub> {
  const compiled = loadCompiled();
  const suffix = randomBytes(5).toString('hex');
  const database = `tocsin_bench_${suffix}`;
  const prefix = `bench${suffix}`;
  const databaseUrl = urlFor(database);
  const adminKey = compiled.domain.generateApiKey((n) => randomBytes(n)).key;
  let running: RunningTocsin | null = null;
  let closing: Promise<void> | null = null;

  /** Idempotent: a second caller (the topic's finally after a signal, say) waits for the first to finish. */
  const cleanup = (): Promise<void> => (closing ??= teardown());
  const teardown = async (): Promise<void> => {
    const problems: string[] = [];
    if (running) {
      await within(running.close(), CLOSE_TIMEOUT_MS, 'hub close').catch((e: Error) =>
        problems.push(`${e.message} (the database is dropped WITH (FORCE) anyway)`),
      );
    }
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)).catch((e: Error) =>
      problems.push(`drop ${database}: ${e.message}`),
    );
    await deleteRedisPrefix(prefix).catch((e: Error) => problems.push(`redis ${prefix}:*: ${e.message}`));
    pending.delete(cleanup);
    if (problems.length > 0) {
      process.stderr.write(`bench: cleanup problems:\n  ${problems.join('\n  ')}\n`);
    }
  };
  pending.add(cleanup);

  try {
    await withAdmin((c) => c.query(`CREATE DATABASE "${database}"`));
    const ds = compiled.db.createDataSource(databaseUrl, 2, 'tocsin-bench-migrate');
    await ds.initialize();
    try {
      await compiled.db.migrate(ds);
    } finally {
      await ds.destroy();
    }
    const parsed = compiled.platform.parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      TOCSIN_REDIS_PREFIX: prefix,
      TOCSIN_BOOTSTRAP_ADMIN_KEY: adminKey,
      TOCSIN_DB_POOL_SIZE: '10',
      TOCSIN_OUTBOX_POLL_MS: '200',
      TOCSIN_GATEWAY_POLL_MS: '200',
      TOCSIN_METRICS: 'false',
      ...env,
    });
    if (!parsed.ok) {
      throw new Error(`bench config: ${parsed.problems.join('; ')}`);
    }
    const engines = {
      databaseUrl,
      redisUrl: REDIS_URL,
      started: { embeddedPostgres: false, privateRedis: false },
      stop: () => Promise.resolve(),
    };
    running = await compiled.hub.startTocsin(parsed.config, engines, ['api', 'worker', 'gateway']);
  } catch (e) {
    await cleanup();
    throw e;
  }

  const url = `http://127.0.0.1:${running.port}`;
  return {
    url,
    adminKey,
    async http(method, path, key, body) {
      const res = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsedBody: unknown = text;
      try {
        parsedBody = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsedBody };
    },
    close: cleanup,
  };
}

/** Creates an org at the given trust level and one key per requested role, through the API as the hub admin. */
export async function seedOrg(
  hub: BenchHub,
  name: string,
  trustLevel: number,
  roles: readonly string[],
): Promise<{ id: string; keys: Record<string, string> }> {
  const org = await hub.http('POST', '/api/v1/orgs', hub.adminKey, { name, country: 'FR', trustLevel });
  if (org.status !== 201) {
    throw new Error(`seed org: ${org.status} ${JSON.stringify(org.body)}`);
  }
  const keys: Record<string, string> = {};
  for (const role of roles) {
    const k = await hub.http('POST', `/api/v1/orgs/${org.body.id}/keys`, hub.adminKey, { role });
    if (k.status !== 201) {
      throw new Error(`seed ${role} key: ${k.status} ${JSON.stringify(k.body)}`);
    }
    keys[role] = k.body.key;
  }
  return { id: org.body.id, keys };
}
