import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliUsageError } from '../errors';

/** One hub: its URL and where its key is (a file the user keeps, or the key itself in this 0600 file). */
export interface Profile {
  readonly url: string;
  readonly keyFile?: string;
  readonly key?: string;
}

export interface ConfigFile {
  readonly defaultProfile?: string;
  readonly profiles: Readonly<Record<string, Profile>>;
}

export const EMPTY_CONFIG: ConfigFile = { profiles: {} };

/** The most a config file may weigh (it holds a few profiles). */
const MAX_CONFIG_BYTES = 1024 * 1024;
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Reads the config file; a missing one is empty, a broken one is a usage error naming the file and the field. */
export async function loadConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    const s = await stat(path);
    if (s.size > MAX_CONFIG_BYTES) {
      throw new CliUsageError(`config file ${path} is larger than 1 MiB`);
    }
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return EMPTY_CONFIG;
    }
    throw e instanceof CliUsageError
      ? e
      : new CliUsageError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliUsageError(`config file ${path} is not JSON: ${(e as Error).message}`, 'fix or delete it');
  }
  return parseConfig(raw, path);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the shape of a parsed config file; every problem names the file and the field. */
export function parseConfig(raw: unknown, path: string): ConfigFile {
  const bad = (field: string, why: string) => new CliUsageError(`config file ${path}: ${field} ${why}`);
  if (!isRecord(raw)) {
    throw bad('the document', 'must be a JSON object');
  }
  const profiles: Record<string, Profile> = {};
  const rawProfiles = raw.profiles ?? {};
  if (!isRecord(rawProfiles)) {
    throw bad('/profiles', 'must be an object of profiles');
  }
  for (const [name, p] of Object.entries(rawProfiles)) {
    const at = `/profiles/${name}`;
    if (!PROFILE_NAME.test(name)) {
      throw bad(at, 'is not a valid profile name (letters, digits, . _ -, at most 64)');
    }
    if (!isRecord(p)) {
      throw bad(at, 'must be an object');
    }
    if (typeof p.url !== 'string') {
      throw bad(`${at}/url`, 'must be a string');
    }
    if (p.keyFile !== undefined && typeof p.keyFile !== 'string') {
      throw bad(`${at}/keyFile`, 'must be a string');
    }
    if (p.key !== undefined && typeof p.key !== 'string') {
      throw bad(`${at}/key`, 'must be a string');
    }
    profiles[name] = {
      url: p.url,
      ...(p.keyFile === undefined ? {} : { keyFile: p.keyFile }),
      ...(p.key === undefined ? {} : { key: p.key }),
    };
  }
  const def = raw.defaultProfile;
  if (def !== undefined && (typeof def !== 'string' || !(def in profiles))) {
    throw bad('/defaultProfile', 'must name one of the profiles');
  }
  return { ...(def === undefined ? {} : { defaultProfile: def }), profiles };
}

/** Writes the config file atomically, readable by its owner only (0600, in a 0700 folder when created). */
export async function saveConfigFile(path: string, config: ConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** True when the file exists and group or others may read it. */
export async function readableByOthers(path: string): Promise<boolean> {
  try {
    return ((await stat(path)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}
