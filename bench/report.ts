import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { ROOT } from '../test/harness/processes';

/** Nearest-rank percentile of an ascending array (p in 0..100); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) {
    return Number.NaN;
  }
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }).trim();
  } catch {
    return 'unknown';
  }
}

export function commandLine(): string {
  const args = process.argv.slice(2).join(' ');
  return process.env.npm_lifecycle_event === 'bench'
    ? `npm run bench -- ${args}`.trimEnd()
    : `tsx bench/run.ts ${args}`;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The lines every topic prints first (STYLE.md §10): command, commit, node, cores, memory. */
export function environmentLines(): string[] {
  return [
    `command: ${commandLine()}`,
    `commit:  ${commit()}`,
    `node:    ${process.version}`,
    `cores:   ${cpus().length}`,
    `memory:  ${(totalmem() / 1024 ** 3).toFixed(1)} GiB total`,
  ];
}

/** Peak resident set size of this process so far (kernel's maxrss, reported in KiB). */
export function peakRss(): string {
  return mib(process.resourceUsage().maxRSS * 1024);
}

export const ms = (v: number): string => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(1)} ms`);
