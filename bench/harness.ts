import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/**
 * Boots the hub for a benchmark from the compiled build (dist/), never from the TypeScript sources: NestJS
 * injection needs emitDecoratorMetadata, which tsx (esbuild) does not emit. `npm run bench` builds first.
 * Only types are taken from the sources.
 */
type RuntimeModule = typeof import('@tocsin/runtime');
type RolesModule = typeof import('../apps/hub/src/roles');
type PlatformModule = typeof import('@tocsin/platform');
type DbModule = typeof import('@tocsin/db');
type DomainModule = typeof import('@tocsin/domain');
type RunningTocsin = import('@tocsin/runtime').RunningTocsin;

export const ROOT = resolve(__dirname, '..');
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

interface Compiled {
  readonly runtime: RuntimeModule;
  readonly roles: RolesModule;
  readonly platform: PlatformModule;
  readonly db: DbModule;
  readonly domain: DomainModule;
}

function loadCompiled(): Compiled {
  const entry = join(DIST, 'libs/runtime/src/index.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  const load = createRequire(entry);
  return {
    runtime: load(entry) as RuntimeModule,
    roles: load(join(DIST, 'apps/hub/src/roles.js')) as RolesModule,
    platform: load(join(DIST, 'libs/platform/src/index.js')) as PlatformModule,
    db: load(join(DIST, 'libs/db/src/index.js')) as DbModule,
    domain: load(join(DIST, 'libs/domain/src/index.js')) as DomainModule,
  };
}

export interface HttpResult {
  readonly status: number;
  readonly body: any;
}

/** What a hub's HTTP side offers a bench: seeding and requests. */
export type HttpHub = Pick<BenchHub, 'url' | 'adminKey' | 'http' | 'close'>;

export interface BenchHub {
  readonly url: string;
  readonly adminKey: string;
  /** The hub's own database (the bench may seed it directly). */
  readonly databaseUrl: string;
  http(method: string, path: string, key: string, body?: unknown): Promise<HttpResult>;
  /** A provider of the running hub, by its class as loaded from dist/ (see `loadDist`). */
  get<T>(cls: abstract new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/** A compiled module of dist/, by its path there (`libs/alerts/src/index.js`): its classes are the hub's own. */
export function loadDist<T>(path: string): T {
  const entry = join(DIST, path);
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  return createRequire(entry)(entry) as T;
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

async function createMigratedDatabase(compiled: Compiled, database: string, databaseUrl: string): Promise<void> {
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}"`));
  const ds = compiled.db.createDataSource(databaseUrl, 2, 'tocsin-bench-migrate');
  await ds.initialize();
  try {
    await compiled.db.migrate(ds);
  } finally {
    await ds.destroy();
  }
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
    await createMigratedDatabase(compiled, database, databaseUrl);
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
      // The benchmarks measure throughput: no rate limit (the defaults would throttle --n 5000 --runs 5).
      TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
      TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0',
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
    running = await compiled.runtime.startTocsin(parsed.config, engines, compiled.roles.rolesNamed(roles));
  } catch (e) {
    await cleanup();
    throw e;
  }

  const url = `http://127.0.0.1:${running.port}`;
  const app = running.app;
  return { url, adminKey, databaseUrl, http: httpClient(url), get: (cls) => app.get(cls), close: cleanup };
}

/** JSON requests with a bearer key to `url`; the answer's body parsed when it is JSON, else its text. */
function httpClient(url: string): BenchHub['http'] {
  return async (method, path, key, body) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsedBody: unknown = text;
    try {
      parsedBody = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsedBody };
  };
}

export type Role = 'api' | 'worker' | 'gateway';

/** One role of the scale-out topology, running as `node dist/apps/<role>/src/main.js`. */
export interface RoleProcess {
  readonly role: Role;
  readonly pid: number;
  readonly url: string;
  /** The last 20,000 characters of its stdout and stderr. */
  output(): string;
  /** How it ended ("exit code 1", "signal SIGKILL"), or null while it runs. */
  ended(): string | null;
  /** Resolves with how it ended, when it does. */
  readonly exited: Promise<string>;
  /** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves with how it ended. */
  stop(): Promise<string>;
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
  /** Settings given to every process (secrets left out), for the report. */
  readonly settings: Readonly<Record<string, string>>;
  /** Rejects as soon as any role process ends before close(): race it against waits so they fail fast. */
  readonly failure: Promise<never>;
  close(): Promise<void>;
}

const STOP_TIMEOUT_MS = 15_000;
const START_TIMEOUT_MS = 60_000;
/** Processes still running, stopped by an exit hook should the bench end without closing its topology. */
const children = new Set<RoleProcess>();
process.on('exit', () => {
  for (const c of children) {
    try {
      process.kill(c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

function spawnRole(role: Role, port: number, env: Record<string, string>): RoleProcess {
  const entry = join(DIST, `apps/${role}/src/main.js`);
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  // To profile the roles: TOCSIN_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=<dir>' (each writes its profile as it ends).
  const nodeArgs = (process.env.TOCSIN_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    throw new Error(`could not start the ${role} process`);
  }
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let how: string | null = null;
  const exited = new Promise<string>((res) => {
    child.once('exit', (code, signal) => {
      how = signal ? `signal ${signal}` : `exit code ${code}`;
      res(how);
    });
  });
  const proc: RoleProcess = {
    role,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    ended: () => how,
    exited,
    stop: async () => {
      if (how === null) {
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        child.kill('SIGTERM');
        await exited.finally(() => clearTimeout(timer));
      }
      children.delete(proc);
      return how ?? 'unknown';
    },
  };
  children.add(proc);
  return proc;
}

const lastLines = (text: string, n: number): string => text.trimEnd().split('\n').slice(-n).join('\n    ');

/** Waits for `GET /api/v1/health` to answer 200 (every role serves it), failing fast if the process ends. */
async function waitHealthy(p: RoleProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const how = p.ended();
    if (how !== null) {
      throw new Error(`the ${p.role} process ended while starting (${how}):\n    ${lastLines(p.output(), 15)}`);
    }
    try {
      const r = await fetch(`${p.url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      await r.arrayBuffer();
      if (r.status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the ${p.role} process was not healthy within ${START_TIMEOUT_MS / 1000} s:\n    ${lastLines(p.output(), 15)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts the scale-out topology from the build: one api, one worker and one gateway (or `gateways` of them), each its own
 * `node dist/apps/<role>/src/main.js` on loopback, sharing a freshly created and migrated database and a
 * Redis key prefix of their own. close() stops the processes (SIGTERM), drops the database and deletes the
 * keys; it also runs on failure and on Ctrl-C.
 */
export async function startBenchTopology(
  env: Record<string, string> = {},
  opts: { gateways?: number } = {},
): Promise<BenchTopology> {
  const compiled = loadCompiled();
  const suffix = randomBytes(5).toString('hex');
  const database = `tocsin_bench_${suffix}`;
  const prefix = `bench${suffix}`;
  const databaseUrl = urlFor(database);
  const adminKey = compiled.domain.generateApiKey((n) => randomBytes(n)).key;
  const started: RoleProcess[] = [];
  let closing: Promise<void> | null = null;

  const cleanup = (): Promise<void> => (closing ??= teardown());
  const teardown = async (): Promise<void> => {
    const problems: string[] = [];
    const ends = await Promise.all(started.map(async (p) => ({ p, was: p.ended(), how: await p.stop() })));
    for (const { p, was, how } of ends) {
      if (was !== null) {
        problems.push(`the ${p.role} process had ended before the cleanup (${was})`);
      } else if (how !== 'exit code 0') {
        problems.push(`the ${p.role} process stopped with ${how}:\n    ${lastLines(p.output(), 10)}`);
      }
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

  const settings = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    TOCSIN_REDIS_PREFIX: prefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...env,
  };
  try {
    await createMigratedDatabase(compiled, database, databaseUrl);
    const roles: Role[] = ['api', 'worker', ...Array.from({ length: opts.gateways ?? 1 }, (): Role => 'gateway')];
    const ports = await Promise.all(roles.map(() => freePort()));
    for (const [i, role] of roles.entries()) {
      started.push(spawnRole(role, ports[i]!, { ...settings, TOCSIN_BOOTSTRAP_ADMIN_KEY: adminKey }));
    }
    await Promise.all(started.map(waitHealthy));
  } catch (e) {
    await cleanup();
    throw e;
  }
  const [api, worker, gateway, ...moreGateways] = started as [RoleProcess, RoleProcess, RoleProcess];
  const failure = Promise.race(
    started.map((p) =>
      p.exited.then((how) => {
        if (closing !== null) {
          return new Promise<never>(() => undefined); // stopped on purpose
        }
        throw new Error(`the ${p.role} process ended (${how}):\n    ${lastLines(p.output(), 15)}`);
      }),
    ),
  );
  failure.catch(() => undefined); // observed by whoever races it; never an unhandled rejection
  return {
    api: { url: api.url, adminKey, http: httpClient(api.url), close: cleanup },
    gatewayUrl: gateway.url,
    gatewayUrls: [gateway, ...moreGateways].map((g) => g.url),
    databaseUrl,
    processes: { api, worker, gateway },
    gateways: [gateway, ...moreGateways],
    settings: { ...settings, DATABASE_URL: `${databaseUrl} (created and migrated by the bench)` },
    failure,
    close: cleanup,
  };
}

/** Creates an org at the given trust level and one key per requested role, through the API as the hub admin. */
export async function seedOrg(
  hub: HttpHub,
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
