import { spawn, type ChildProcess } from 'node:child_process';
import { redisAnswers } from '@tocsin/platform';
import { eventually } from './eventually';
import { freePort } from './processes';

/** A redis-server of the test's own, on a free loopback port, that the test may stop and start again. */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.up();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await eventually(async () => {
      if (!(await redisAnswers(this.url, 300))) {
        throw new Error('redis not up yet');
      }
    }, 10_000);
  }

  async down(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (c && c.exitCode === null) {
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    }
  }
}
