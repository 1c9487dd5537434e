import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

// No vitest here: the benches start their processes through this module too.

export const ROOT = resolve(__dirname, '../..');

/** How long a process has to stop on SIGTERM before SIGKILL, and to answer its health check once started. */
const STOP_TIMEOUT_MS = 15_000;
const START_TIMEOUT_MS = 60_000;

export function freePort(): Promise<number> {
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

/** Builds dist/ (the same build the images run), so the topology test starts real processes. */
export function buildOnce(): void {
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`build failed: ${r.stdout}\n${r.stderr}`);
  }
  if (!existsSync(resolve(ROOT, 'dist/apps/api/src/main.js'))) {
    throw new Error('build produced no dist/apps/api/src/main.js');
  }
}

export type ProcessRole = 'api' | 'worker' | 'gateway' | 'hub';

/** A role running as `node dist/apps/<role>/src/main.js`. */
export interface RoleProcess {
  readonly role: ProcessRole;
  readonly child: ChildProcess;
  readonly pid: number;
  /** http://127.0.0.1:<its PORT>. */
  readonly url: string;
  /** The last 20,000 characters of its stdout and stderr. */
  output(): string;
  /** How it ended ("exit code 1", "signal SIGKILL"), or null while it runs. */
  ended(): string | null;
  /** Resolves with how it ended, when it does. */
  readonly exited: Promise<string>;
  /** SIGTERM, then SIGKILL after 15 s; resolves with its exit code (null when a signal ended it). */
  stop(): Promise<number | null>;
}

/** Processes still running, stopped by an exit hook should their starter end without stopping them. */
const running = new Set<RoleProcess>();
process.on('exit', () => {
  for (const p of running) {
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

/**
 * Starts `node [nodeArgs] dist/apps/<role>/src/main.js` in `root` (this repository by default) with the given
 * environment (and PATH and HOME), from the build: `npm run build` first.
 */
export function startRole(
  role: ProcessRole,
  env: Record<string, string>,
  root: string = ROOT,
  nodeArgs: readonly string[] = [],
): RoleProcess {
  const entry = resolve(root, `dist/apps/${role}/src/main.js`);
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` first`);
  }
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    throw new Error(`could not start the ${role} process`);
  }
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let how: string | null = null;
  const exited = new Promise<string>((res) => {
    child.once('exit', (code, signal) => {
      how = signal ? `signal ${signal}` : `exit code ${code}`;
      running.delete(proc);
      res(how);
    });
  });
  const proc: RoleProcess = {
    role,
    child,
    pid: child.pid,
    url: `http://127.0.0.1:${env.PORT ?? 3000}`,
    output: () => out,
    ended: () => how,
    exited,
    stop: async () => {
      if (how === null) {
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        child.kill('SIGTERM');
        await exited.finally(() => clearTimeout(timer));
      }
      return child.exitCode;
    },
  };
  running.add(proc);
  return proc;
}

/** The last `n` lines of a process's output, indented under a message. */
/**
 * The environment of a worker child for a test that kills workers: the test's database, Redis prefix and admin key,
 * a free port on loopback, warnings only, a 200 ms outbox poll, a small pool, no metrics, plus `extra`.
 */
export async function testWorkerEnv(
  opts: { databaseUrl: string; redisUrl: string; prefix: string; adminKey: string },
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    TOCSIN_REDIS_PREFIX: opts.prefix,
    TOCSIN_BOOTSTRAP_ADMIN_KEY: opts.adminKey,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TOCSIN_OUTBOX_POLL_MS: '200',
    TOCSIN_DB_POOL_SIZE: '4',
    TOCSIN_METRICS: 'false',
    ...extra,
  };
}

export const lastLines = (p: RoleProcess, n: number): string =>
  p.output().trimEnd().split('\n').slice(-n).join('\n    ');

/** Waits for `GET /api/v1/health` to answer 200 (every role serves it), failing fast if the process ends. */
export async function waitHealthy(p: RoleProcess, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const how = p.ended();
    if (how !== null) {
      throw new Error(`the ${p.role} process ended while starting (${how}):\n    ${lastLines(p, 15)}`);
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
      throw new Error(`the ${p.role} process was not healthy within ${timeoutMs / 1000} s:\n    ${lastLines(p, 15)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface TopologyOptions {
  /** The database every process shares (created and migrated by the caller). */
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** The Redis key prefix every process shares. */
  readonly prefix: string;
  readonly adminKey: string;
  readonly workers: number;
  readonly gateways: number;
  /** More settings for every process (over HOST=127.0.0.1 and LOG_LEVEL=warn). */
  readonly env?: Record<string, string>;
  /** Node arguments for every process (`--cpu-prof`, say). */
  readonly nodeArgs?: readonly string[];
  /** One `hub` process (api + worker + gateway, what `npm start` runs) instead of separate roles. */
  readonly oneProcess?: boolean;
}

/** How one process of a topology stopped: `before` is how it had ended before stop(), if it had. */
export interface Stopped {
  readonly process: RoleProcess;
  readonly before: string | null;
  readonly how: string;
  readonly code: number | null;
}

/** The docker/compose.yaml topology as plain processes from dist/: one api, workers and gateways on one database. */
export interface Topology {
  readonly api: RoleProcess;
  readonly workers: readonly RoleProcess[];
  readonly gateways: readonly RoleProcess[];
  /** The settings every process was given (before its PORT). */
  readonly env: Readonly<Record<string, string>>;
  /** Rejects as soon as a process ends before stop(): race it against waits so they fail fast. */
  readonly failure: Promise<never>;
  /** Stops every process (SIGTERM, then SIGKILL); the database and the Redis keys are the caller's. */
  stop(): Promise<Stopped[]>;
}

/**
 * Starts one api, `workers` workers and `gateways` gateways as separate processes, each on a free loopback port,
 * and waits until each answers its health check. Should one not start, all are stopped and the error thrown.
 */
export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  const env = {
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    TOCSIN_REDIS_PREFIX: opts.prefix,
    TOCSIN_BOOTSTRAP_ADMIN_KEY: opts.adminKey,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const roles: ProcessRole[] = opts.oneProcess
    ? ['hub']
    : [
        'api',
        ...Array.from({ length: opts.workers }, (): ProcessRole => 'worker'),
        ...Array.from({ length: opts.gateways }, (): ProcessRole => 'gateway'),
      ];
  const ports = await Promise.all(roles.map(() => freePort()));
  const all: RoleProcess[] = [];
  let stopping: Promise<Stopped[]> | null = null;
  const stop = (): Promise<Stopped[]> =>
    (stopping ??= Promise.all(
      all.map(async (p) => {
        const before = p.ended();
        const code = await p.stop();
        return { process: p, before, how: p.ended() ?? 'unknown', code };
      }),
    ));
  try {
    for (const [i, role] of roles.entries()) {
      all.push(startRole(role, { ...env, PORT: String(ports[i]) }, ROOT, opts.nodeArgs));
    }
    await Promise.all(all.map((p) => waitHealthy(p)));
  } catch (e) {
    await stop();
    throw e;
  }
  const failure = Promise.race(
    all.map((p) =>
      p.exited.then((how) => {
        if (stopping !== null) {
          return new Promise<never>(() => undefined); // stopped on purpose
        }
        throw new Error(`the ${p.role} process ended (${how}):\n    ${lastLines(p, 15)}`);
      }),
    ),
  );
  failure.catch(() => undefined); // observed by whoever races it; never an unhandled rejection
  return {
    api: all[0]!,
    workers: all.filter((p) => p.role === 'worker' || p.role === 'hub'),
    gateways: all.filter((p) => p.role === 'gateway' || p.role === 'hub'),
    env,
    failure,
    stop,
  };
}
