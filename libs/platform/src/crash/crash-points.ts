import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { CrashPoint } from './crash-point-names';

/** Where a test may have the process die (see crash-point-names.ts). */
@Injectable()
export class CrashPoints {
  private readonly armed: ReadonlySet<CrashPoint>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.armed = new Set(config.TOCSIN_CRASH_POINTS);
  }

  /** Dies here with SIGKILL when the point is armed; otherwise does nothing. */
  reach(point: CrashPoint): void {
    if (this.armed.size === 0 || !this.armed.has(point)) {
      return;
    }
    process.kill(process.pid, 'SIGKILL');
    // The signal is delivered at once; should it take a moment, run nothing more meanwhile.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  }
}
