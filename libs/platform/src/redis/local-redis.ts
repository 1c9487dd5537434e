import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { effectiveRedisUrl } from '../config/app-config';

export interface RedisEndpoint {
  readonly url: string;
  /** Stops the private redis-server child, if this process started one. */
  stop(): Promise<void>;
  readonly private: boolean;
}

export class RedisUnavailableError extends Error {}

export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

function onPath(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Finds Redis: REDIS_URL when given; else the default address when something answers there; else a private
 * `redis-server` child (data under TOCSIN_DATA_DIR/redis, noeviction); else a clear error.
 */
export async function ensureRedis(
  config: AppConfig,
  defaultUrl = effectiveRedisUrl(config),
  redisServer = 'redis-server',
): Promise<RedisEndpoint> {
  const url = config.REDIS_URL ?? defaultUrl;
  if (config.redisUrlGiven || (await redisAnswers(url))) {
    return { url, stop: () => Promise.resolve(), private: false };
  }
  if (!onPath(redisServer)) {
    throw new RedisUnavailableError(
      `Tocsin needs Redis: nothing answers at ${url} and no redis-server is on the PATH. ` +
        'Install Redis (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL to a running server.',
    );
  }
  const dir = resolve(config.TOCSIN_DATA_DIR, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    redisServer,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  const privateUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) {
      break;
    }
    if (await redisAnswers(privateUrl, 500)) {
      return {
        url: privateUrl,
        private: true,
        stop: () =>
          new Promise<void>((res) => {
            if (child.exitCode !== null) {
              res();
              return;
            }
            child.once('exit', () => res());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`Tocsin could not start a private redis-server; set REDIS_URL to a running Redis.`);
}

/** BullMQ and the outbox need every key kept: warn when Redis may evict. */
export async function evictionPolicy(redis: Redis): Promise<string | null> {
  try {
    const r: unknown = await redis.config('GET', 'maxmemory-policy');
    return Array.isArray(r) && typeof r[1] === 'string' ? r[1] : null;
  } catch {
    return null;
  }
}
