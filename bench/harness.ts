import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Client } from 'pg';
import { createOrgWithKeys } from '../test/factories/orgs';
import { httpClient, type HttpHub } from '../test/harness/http';
import { startInProcessHub, type HubCode } from '../test/harness/in-process-hub';
import { createMigratedDatabase, dropDatabase } from '../test/harness/pg';
import { lastLines, ROOT, startTopology, type RoleProcess } from '../test/harness/processes';
import { deleteRedisPrefix } from '../test/harness/redis';

/**
 * The test harness (test/harness) run on the compiled build (dist/), never on the TypeScript sources: NestJS
 * injection needs emitDecoratorMetadata, which tsx (esbuild) does not emit. `npm run bench` builds first.
 * Only types are taken from the sources.
 */
type PlatformModule = typeof import('@tocsin/platform');
type DbModule = typeof import('@tocsin/db');
type DomainModule = typeof import('@tocsin/domain');
type RuntimeModule = typeof import('@tocsin/runtime');
type RolesModule = typeof import('../apps/hub/src/roles');

export type Role = import('../apps/hub/src/roles').RoleName;
export type { HttpHub, RoleProcess };

const DIST = join(ROOT, 'dist');
const ADMIN_URL = process.env.TOCSIN_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TOCSIN_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A stalled hub (say, a deadlocked pool) must not keep the bench from dropping its database and stopping. */
const CLOSE_TIMEOUT_MS = 20_000;
/** Bound on each request made through BenchHub.http (seeding, reads). */
const HTTP_TIMEOUT_MS = 30_000;

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A compiled module of dist/, by its path there (`libs/alerts/src/index.js`): its classes are the hub's own. */
export function loadDist<T>(path: string): T {
  const entry = join(DIST, path);
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  return createRequire(entry)(entry) as T;
}

interface Compiled extends HubCode {
  readonly db: DbModule;
  readonly domain: DomainModule;
}

function loadCompiled(): Compiled {
  const runtime = loadDist<RuntimeModule>('libs/runtime/src/index.js');
  return {
    parseConfig: loadDist<PlatformModule>('libs/platform/src/index.js').parseConfig,
    startTocsin: runtime.startTocsin,
    rolesNamed: loadDist<RolesModule>('apps/hub/src/roles.js').rolesNamed,
    db: loadDist<DbModule>('libs/db/src/index.js'),
    domain: loadDist<DomainModule>('libs/domain/src/index.js'),
  };
}

export interface BenchHub extends HttpHub {
  /** The hub's own database (the bench may seed it directly). */
  readonly databaseUrl: string;
  /** A provider of the running hub, by its class as loaded from dist/ (see `loadDist`). */
  get<T>(cls: abstract new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/** Cleanups still owed, run on SIGINT/SIGTERM so an interrupted bench leaves no database or keys behind. */
const pending = new Set<() => Promise<void>>();
let interrupted = false;
export const wasInterrupted = (): boolean => interrupted;
// `on`, not `once`: a second signal (Ctrl-C twice, or tsx relaying the one the terminal already sent) must find a
// listener still there, or Node (and tsx's hidden handler) would end the process in the middle of its cleanup.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
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

/**
 * A bench's own database (`tocsin_bench_<random>`, created and migrated) and Redis key prefix, with the cleanup that
 * stops what runs on them (`stopFirst`), drops the one and deletes the other: idempotent, also run on Ctrl-C, and
 * reporting its problems on stderr rather than throwing.
 */
function benchResources(stopFirst: () => Promise<string[]>) {
  const suffix = randomBytes(5).toString('hex');
  const database = `tocsin_bench_${suffix}`;
  const prefix = `bench${suffix}`;
  let closing: Promise<void> | null = null;
  const teardown = async (): Promise<void> => {
    const problems = await stopFirst();
    await dropDatabase(database, ADMIN_URL).catch((e: Error) => problems.push(`drop ${database}: ${e.message}`));
    await deleteRedisPrefix(REDIS_URL, prefix).catch((e: Error) => problems.push(`redis ${prefix}:*: ${e.message}`));
    pending.delete(cleanup);
    if (problems.length > 0) {
      process.stderr.write(`bench: cleanup problems:\n  ${problems.join('\n  ')}\n`);
    }
  };
  /** Idempotent: a second caller (the topic's finally after a signal, say) waits for the first to finish. */
  const cleanup = (): Promise<void> => (closing ??= teardown());
  pending.add(cleanup);
  return {
    prefix,
    cleanup,
    closing: () => closing !== null,
    createDatabase: (db: DbModule) => createMigratedDatabase(database, db, 'tocsin-bench-migrate', ADMIN_URL),
  };
}

/**
 * Starts the whole hub (api + worker + gateway) in this process on loopback, on its own freshly migrated
 * database and Redis key prefix; close() stops it, drops the database and deletes the keys.
 */
export async function startBenchHub(
  env: Record<string, string> = {},
  roles: readonly Role[] = ['api', 'worker', 'gateway'],
): Promise<BenchHub> {
  const compiled = loadCompiled();
  const adminKey = compiled.domain.generateApiKey((n) => randomBytes(n)).key;
  let hub: Awaited<ReturnType<typeof startInProcessHub>> | null = null;
  const resources = benchResources(async () => {
    const problems: string[] = [];
    if (hub) {
      await within(hub.running.close(), CLOSE_TIMEOUT_MS, 'hub close').catch((e: Error) =>
        problems.push(`${e.message} (the database is dropped WITH (FORCE) anyway)`),
      );
    }
    return problems;
  });
  let databaseUrl: string;
  try {
    databaseUrl = await resources.createDatabase(compiled.db);
    hub = await startInProcessHub(compiled, {
      databaseUrl,
      redisUrl: REDIS_URL,
      prefix: resources.prefix,
      adminKey,
      roles,
      httpTimeoutMs: HTTP_TIMEOUT_MS,
      env: {
        TOCSIN_DB_POOL_SIZE: '10',
        // The benchmarks measure throughput: no rate limit (the defaults would throttle --n 5000 --runs 5).
        TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
        TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0',
        ...env,
      },
    });
  } catch (e) {
    await resources.cleanup();
    throw e;
  }
  const app = hub.running.app;
  return {
    url: hub.url,
    adminKey,
    databaseUrl,
    http: hub.http,
    get: (cls) => app.get(cls),
    close: resources.cleanup,
  };
}

export interface BenchTopology {
  /** The api process (seedOrg and http work on it). */
  readonly api: HttpHub;
  readonly gatewayUrl: string;
  /** Every gateway's URL (one unless `gateways` asked for more); gatewayUrl is the first. */
  readonly gatewayUrls: readonly string[];
  /** The topology's own database (the bench may seed it directly). */
  readonly databaseUrl: string;
  readonly processes: Readonly<Record<Role, RoleProcess>>;
  /** Every gateway process (`processes.gateway` is the first), when started with `gateways` > 1. */
  readonly gateways: readonly RoleProcess[];
  /** Every worker process (`processes.worker` is the first), when started with `workers` > 1. */
  readonly workers: readonly RoleProcess[];
  /** Settings given to every process (secrets left out), for the report. */
  readonly settings: Readonly<Record<string, string>>;
  /** Rejects as soon as any role process ends before close(): race it against waits so they fail fast. */
  readonly failure: Promise<never>;
  close(): Promise<void>;
}

/**
 * More settings for every role of a bench topology, for an A/B of one setting:
 * TOCSIN_BENCH_ROLE_ENV='TOCSIN_OUTBOX_DIRECT_GRACE_MS=0,TOCSIN_DB_PREPARED_STATEMENTS=false'. They win over the
 * bench's own, and the bench prints them when it starts the roles.
 */
export function settingsFromEnv(spec: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (spec ?? '').split(',').filter((p) => p.trim() !== '')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    if (eq < 1 || !/^[A-Z][A-Z0-9_]*$/.test(key)) {
      throw new Error(`TOCSIN_BENCH_ROLE_ENV: "${pair}" is not NAME=value`);
    }
    out[key] = pair.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Starts the scale-out topology from the build: one api, one worker (or `workers`) and one gateway (or `gateways`), each its own
 * `node dist/apps/<role>/src/main.js` on loopback, sharing a freshly created and migrated database and a
 * Redis key prefix of their own. close() stops the processes (SIGTERM), drops the database and deletes the
 * keys; it also runs on failure and on Ctrl-C.
 */
export async function startBenchTopology(
  env: Record<string, string> = {},
  opts: { gateways?: number; workers?: number; oneProcess?: boolean } = {},
): Promise<BenchTopology> {
  const compiled = loadCompiled();
  const adminKey = compiled.domain.generateApiKey((n) => randomBytes(n)).key;
  const overrides = settingsFromEnv(process.env.TOCSIN_BENCH_ROLE_ENV);
  if (Object.keys(overrides).length > 0) {
    process.stdout.write(`roles also run with (TOCSIN_BENCH_ROLE_ENV): ${JSON.stringify(overrides)}\n`);
  }
  let topology: Awaited<ReturnType<typeof startTopology>> | null = null;
  const resources = benchResources(async () => {
    const problems: string[] = [];
    for (const { process: p, before, how } of topology ? await topology.stop() : []) {
      if (before !== null) {
        problems.push(`the ${p.role} process had ended before the cleanup (${before})`);
      } else if (how !== 'exit code 0') {
        problems.push(`the ${p.role} process stopped with ${how}:\n    ${lastLines(p, 10)}`);
      }
    }
    return problems;
  });
  let databaseUrl: string;
  try {
    databaseUrl = await resources.createDatabase(compiled.db);
    topology = await startTopology({
      databaseUrl,
      redisUrl: REDIS_URL,
      prefix: resources.prefix,
      adminKey,
      workers: opts.workers ?? 1,
      gateways: opts.gateways ?? 1,
      oneProcess: opts.oneProcess,
      env: { ...env, ...overrides },
      // To profile the roles: TOCSIN_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=<dir>' (each writes its profile as it ends).
      nodeArgs: (process.env.TOCSIN_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
    });
  } catch (e) {
    await resources.cleanup();
    throw e;
  }
  const { api, workers, gateways, failure } = topology;
  const { TOCSIN_BOOTSTRAP_ADMIN_KEY: _secret, ...settings } = topology.env;
  return {
    api: { url: api.url, adminKey, http: httpClient(api.url, HTTP_TIMEOUT_MS) },
    gatewayUrl: gateways[0]!.url,
    gatewayUrls: gateways.map((g) => g.url),
    databaseUrl,
    processes: { api, worker: workers[0]!, gateway: gateways[0]! },
    gateways,
    workers,
    settings: { ...settings, DATABASE_URL: `${databaseUrl} (created and migrated by the bench)` },
    failure,
    close: resources.cleanup,
  };
}

/** Creates an org at the given trust level and one key per requested role, through the API as the hub admin. */
export async function seedOrg(
  hub: HttpHub,
  name: string,
  trustLevel: number,
  roles: readonly string[],
): Promise<{ id: string; keys: Record<string, string> }> {
  return createOrgWithKeys(hub, { name, country: 'FR', trustLevel }, roles);
}

/**
 * Stores `perAlert` distinct addresses of 20.0.0.0/8 as accepted ipv4 indicators in each of these (published) alerts,
 * by SQL in batches of 100 alerts: the stored side of the correlation and lookup benches.
 */
export async function seedStoredAddresses(pg: Client, alertIds: readonly string[], perAlert: number): Promise<void> {
  for (let from = 0; from < alertIds.length; from += 100) {
    await pg.query(
      `INSERT INTO indicators (alert_id, position, type, raw_value, canonical_value)
       SELECT a.id, p, 'ipv4', v, v
       FROM unnest($1::uuid[]) WITH ORDINALITY AS a(id, n),
            generate_series(0, ${perAlert - 1}) p,
            LATERAL (SELECT '20.' || (k >> 16 & 255) || '.' || (k >> 8 & 255) || '.' || (k & 255) AS v
                     FROM (SELECT (${from} + a.n - 1) * ${perAlert} + p AS k) x) y`,
      [alertIds.slice(from, from + 100)],
    );
  }
}
