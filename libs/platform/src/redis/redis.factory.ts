import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { durableRedisOptions, failFastRedisOptions, immediateRedisOptions } from './redis-options';

export const REDIS_URL = Symbol('REDIS_URL');

/** Hands out ioredis connections to the resolved Redis and closes them all at shutdown. */
@Injectable()
export class RedisFactory implements OnApplicationShutdown {
  private readonly log = new Logger(RedisFactory.name);
  private readonly connections = new Set<Redis>();

  constructor(
    @Inject(REDIS_URL) readonly url: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get prefix(): string {
    return this.config.TOCSIN_REDIS_PREFIX;
  }

  durable(name: string): Redis {
    return this.track(name, durableRedisOptions());
  }

  failFast(name: string): Redis {
    return this.track(name, failFastRedisOptions());
  }

  immediate(name: string): Redis {
    return this.track(name, immediateRedisOptions());
  }

  private track(name: string, options: RedisOptions): Redis {
    const r = new Redis(this.url, { ...options, connectionName: `tocsin:${name}` });
    let down = false;
    r.on('error', (e: Error) => {
      if (!down) {
        down = true;
        this.log.warn({ connection: name, err: e.message }, 'redis connection error');
      }
    });
    r.on('ready', () => {
      if (down) {
        down = false;
        this.log.log({ connection: name }, 'redis connection restored');
      }
    });
    this.connections.add(r);
    return r;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.connections].map(async (r) => {
        try {
          await r.quit();
        } catch {
          r.disconnect();
        }
      }),
    );
    this.connections.clear();
  }
}
