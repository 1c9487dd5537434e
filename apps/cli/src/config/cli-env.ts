import { homedir } from 'node:os';
import { join } from 'node:path';

/** The environment variables the CLI reads; this file is the only one that reads `process.env`. */
export interface CliEnv {
  readonly TOCSIN_URL?: string;
  readonly TOCSIN_KEY?: string;
  readonly TOCSIN_PROFILE?: string;
  readonly TOCSIN_CONFIG?: string;
  readonly XDG_CONFIG_HOME?: string;
  readonly XDG_STATE_HOME?: string;
  readonly HOME?: string;
  readonly NO_COLOR?: string;
  readonly FORCE_COLOR?: string;
}

const NAMES = [
  'TOCSIN_URL',
  'TOCSIN_KEY',
  'TOCSIN_PROFILE',
  'TOCSIN_CONFIG',
  'XDG_CONFIG_HOME',
  'XDG_STATE_HOME',
  'HOME',
  'NO_COLOR',
  'FORCE_COLOR',
] as const;

/** The CLI's variables from `env` (the process's by default); empty values count as unset. */
export function readCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const out: Record<string, string> = {};
  for (const name of NAMES) {
    const v = env[name];
    if (v !== undefined && v !== '') {
      out[name] = v;
    }
  }
  return out;
}

function home(env: CliEnv): string {
  return env.HOME ?? homedir();
}

/** `$TOCSIN_CONFIG`, else `$XDG_CONFIG_HOME/tocsin/config.json`, else `~/.config/tocsin/config.json`. */
export function configFilePath(env: CliEnv): string {
  if (env.TOCSIN_CONFIG) {
    return env.TOCSIN_CONFIG;
  }
  return join(env.XDG_CONFIG_HOME ?? join(home(env), '.config'), 'tocsin', 'config.json');
}

/** `$XDG_STATE_HOME/tocsin`, else `~/.local/state/tocsin`: where `watch` keeps its cursors. */
export function stateDir(env: CliEnv): string {
  return join(env.XDG_STATE_HOME ?? join(home(env), '.local', 'state'), 'tocsin');
}

/** Colour on a stream: FORCE_COLOR (not "0") forces it, NO_COLOR turns it off, else only on a terminal. */
export function colorEnabled(env: CliEnv, isTTY: boolean): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') {
    return true;
  }
  if (env.NO_COLOR !== undefined) {
    return false;
  }
  return isTTY;
}
