import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Memory of another process, read from Linux's /proc/<pid>/status: VmRSS (resident now) and VmHWM (the
 * resident peak, "high water mark"). Values in bytes; NaN when the process or the field is gone.
 */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: Number.NaN, hwm: Number.NaN };
  }
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : Number.NaN;
  };
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/**
 * Resets the process's VmHWM to its current VmRSS (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0), so the
 * next VmHWM read is the peak since now. False when the kernel or permissions refuse it.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS of some processes every `everyMs`, keeping each one's highest value. */
export class RssSampler {
  readonly peak = new Map<number, number>();
  samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: readonly number[],
    everyMs: number,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    this.samples += 1;
    for (const pid of this.pids) {
      const { rss } = memoryOf(pid);
      if (!Number.isNaN(rss) && rss > (this.peak.get(pid) ?? 0)) {
        this.peak.set(pid, rss);
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

/** Bytes as decimal megabytes (1 MB = 10^6 bytes), the unit of the targets. */
export const mb = (bytes: number): string => (Number.isNaN(bytes) ? 'n/a' : `${(bytes / 1e6).toFixed(1)} MB`);
