import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './processes';

// No vitest here: benches may drive the CLI too.

/** The built CLI (the e2e global setup builds dist/). */
export const CLI_ENTRY = resolve(ROOT, 'dist/apps/cli/src/main.js');

/** A home of its own for CLI runs (HOME, XDG config and state), so runs never share a config or a cursor. */
export interface CliHome {
  readonly dir: string;
  readonly env: Record<string, string>;
  remove(): Promise<void>;
}

export async function makeCliHome(): Promise<CliHome> {
  const dir = await mkdtemp(join(tmpdir(), 'tocsin-cli-'));
  const env = {
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_STATE_HOME: join(dir, 'state'),
  };
  await Promise.all(Object.values(env).map((d) => mkdir(d, { recursive: true })));
  return { dir, env, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a CLI child: PATH, the home, no colour settings of the caller, then `env`. */
function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', ...env };
}

/** A running CLI (for `watch`): its output so far, line by line, and how to stop it. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Complete stdout lines so far. */
  lines(): string[];
  readonly exited: Promise<CliRun>;
  kill(signal: NodeJS.Signals): Promise<CliRun>;
}

/** Starts `node dist/apps/cli/src/main.js ...args` with `env`; stdin is `input` (then closed) or nothing. */
export function spawnCli(args: readonly string[], env: Record<string, string>, input?: string): CliProcess {
  if (!existsSync(CLI_ENTRY)) {
    throw new Error(`${CLI_ENTRY} is missing: run \`npm run build\` first`);
  }
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  child.stdin.end(input ?? '');
  const exited = new Promise<CliRun>((res) => {
    child.once('close', (code, signal) => res({ code, signal, stdout: out, stderr: err }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    lines: () => out.split('\n').slice(0, -1),
    exited,
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to its end (killed after `timeoutMs`) and answers its exit code and output. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const p = spawnCli(args, env, opts.input);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}
