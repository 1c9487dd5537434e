import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

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

export interface RoleProcess {
  readonly role: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `node dist/apps/<role>/src/main.js` in `root` (this repository by default) with the given environment. */
export function startRole(
  role: 'api' | 'worker' | 'gateway' | 'hub',
  env: Record<string, string>,
  root: string = ROOT,
): RoleProcess {
  const child = spawn(process.execPath, [resolve(root, `dist/apps/${role}/src/main.js`)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    role,
    child,
    output: () => out,
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          res(child.exitCode);
          return;
        }
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', (code) => {
          clearTimeout(t);
          res(code);
        });
        child.kill('SIGTERM');
      }),
  };
}
