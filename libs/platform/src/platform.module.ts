import { type DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { CrashPoints } from './crash/crash-points';
import { loggerParams } from './logging/logging';
import { Metrics } from './metrics/metrics';
import { REDIS_URL, RedisFactory } from './redis/redis.factory';
import { SocketBroadcaster } from './sockets/socket-broadcaster';
import { SocketPresence } from './sockets/socket-presence';

export interface PlatformOptions {
  readonly config: AppConfig;
  readonly redisUrl: string;
}

/** Configuration, logging, metrics and Redis connections: what every app needs. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [LoggerModule.forRoot(loggerParams(options.config))],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: REDIS_URL, useValue: options.redisUrl },
        { provide: Metrics, useFactory: () => new Metrics(options.config.TOCSIN_METRICS) },
        RedisFactory,
        SocketBroadcaster,
        SocketPresence,
        CrashPoints,
      ],
      exports: [APP_CONFIG, REDIS_URL, Metrics, RedisFactory, SocketBroadcaster, SocketPresence, CrashPoints],
    };
  }
}
