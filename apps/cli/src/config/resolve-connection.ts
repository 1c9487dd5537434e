import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CliUsageError } from '../errors';
import type { CliEnv } from './cli-env';
import type { ConfigFile } from './config-file';

/** The global flags that choose a hub. */
export interface ConnectionFlags {
  readonly url?: string;
  readonly keyFile?: string;
  readonly profile?: string;
}

/** Where the CLI will connect, and with which key (never printed). */
export interface Connection {
  readonly url: string;
  readonly key: string;
  /** The profile used, or undefined when only flags and environment gave the settings. */
  readonly profile?: string;
  /** Where each setting came from, for `config show` and error messages. */
  readonly from: { readonly url: string; readonly key: string };
}

const SETUP_HINT = 'set TOCSIN_URL and TOCSIN_KEY, or run `tocsin config set-profile NAME --url URL --key-file FILE`';
const MAX_KEY_BYTES = 4096;

/** The profile chosen: `--profile`, else `TOCSIN_PROFILE`, else the file's default; undefined when none is. */
export function chooseProfile(
  flags: ConnectionFlags,
  env: CliEnv,
  file: ConfigFile,
): { name: string; via: string } | undefined {
  const named = flags.profile !== undefined ? { name: flags.profile, via: '--profile' } : undefined;
  const fromEnv = env.TOCSIN_PROFILE !== undefined ? { name: env.TOCSIN_PROFILE, via: 'TOCSIN_PROFILE' } : undefined;
  const chosen = named ?? fromEnv;
  if (chosen) {
    if (!(chosen.name in file.profiles)) {
      const known = Object.keys(file.profiles);
      throw new CliUsageError(
        `no profile "${chosen.name}" (from ${chosen.via}) in the config file`,
        known.length > 0
          ? `known profiles: ${known.join(', ')}`
          : 'create it with `tocsin config set-profile NAME --url URL --key-file FILE`',
      );
    }
    return chosen;
  }
  if (file.defaultProfile !== undefined) {
    return { name: file.defaultProfile, via: 'the default profile' };
  }
  return undefined;
}

/** An http(s) URL without a trailing slash; a usage error naming where it came from otherwise. */
export function checkUrl(url: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliUsageError(
      `${from} is not a URL: "${url.slice(0, 200)}"`,
      'give the hub’s base URL, e.g. http://127.0.0.1:3000',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliUsageError(`${from} must be an http:// or https:// URL`);
  }
  return url.replace(/\/+$/, '');
}

/** Reads a key from a file: the first line, trimmed; errors name the file and never quote its content. */
export async function readKeyFile(path: string, from: string): Promise<string> {
  try {
    const s = await stat(path);
    if (s.size > MAX_KEY_BYTES) {
      throw new CliUsageError(`the key file ${path} (${from}) is larger than 4 KiB: is it the right file?`);
    }
    const key = (await readFile(path, 'utf8')).split(/\r?\n/)[0]?.trim() ?? '';
    if (key === '') {
      throw new CliUsageError(`the key file ${path} (${from}) is empty`);
    }
    return key;
  } catch (e) {
    if (e instanceof CliUsageError) {
      throw e;
    }
    throw new CliUsageError(
      `cannot read the key file ${path} (${from}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/**
 * The hub and key to use. Each setting: flag, else environment, else the chosen profile of the config file.
 * Missing settings are a usage error that says which variable or flag to set.
 */
export async function resolveConnection(
  flags: ConnectionFlags,
  env: CliEnv,
  file: ConfigFile,
  configPath: string,
): Promise<Connection> {
  const chosen = chooseProfile(flags, env, file);
  const profile = chosen ? file.profiles[chosen.name] : undefined;
  const profileFrom = chosen ? `profile "${chosen.name}" of ${configPath}` : '';

  let url: { value: string; from: string } | undefined;
  if (flags.url !== undefined) {
    url = { value: flags.url, from: '--url' };
  } else if (env.TOCSIN_URL !== undefined) {
    url = { value: env.TOCSIN_URL, from: 'TOCSIN_URL' };
  } else if (profile) {
    url = { value: profile.url, from: profileFrom };
  }
  if (!url) {
    throw new CliUsageError('no hub URL configured', SETUP_HINT);
  }

  let key: { value: string; from: string } | undefined;
  if (flags.keyFile !== undefined) {
    key = { value: await readKeyFile(flags.keyFile, '--key-file'), from: `--key-file ${flags.keyFile}` };
  } else if (env.TOCSIN_KEY !== undefined) {
    key = { value: env.TOCSIN_KEY.trim(), from: 'TOCSIN_KEY' };
  } else if (profile?.keyFile !== undefined) {
    const path = isAbsolute(profile.keyFile) ? profile.keyFile : resolve(configPath, '..', profile.keyFile);
    key = { value: await readKeyFile(path, profileFrom), from: `${profileFrom} (key file ${path})` };
  } else if (profile?.key !== undefined) {
    key = { value: profile.key, from: profileFrom };
  }
  if (!key) {
    throw new CliUsageError('no API key configured', SETUP_HINT);
  }
  return {
    url: checkUrl(url.value, url.from),
    key: key.value,
    ...(chosen ? { profile: chosen.name } : {}),
    from: { url: url.from, key: key.from },
  };
}
