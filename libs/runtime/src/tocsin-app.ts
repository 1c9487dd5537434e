import { type DynamicModule, type INestApplication, Logger as NestLogger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DbModule, type Engines } from '@tocsin/db';
import { type AppConfig, PlatformModule, RedisFactory, evictionPolicy } from '@tocsin/platform';
import { QueuesModule } from '@tocsin/queues';
import { Logger } from 'nestjs-pino';
import { HealthController } from './health.controller';

/**
 * One role of a Tocsin process (api, worker or gateway): its edge module and the set-up it needs around the app.
 * Each app declares its own (`apps/<role>/src/<role>.role.ts`); a process runs one role or, for the hub, all three.
 */
export interface TocsinRole {
  /** Its name in the logs and in the database connections' application_name. */
  readonly name: string;
  /** The edge module: controllers, queue processors or socket gateways. */
  readonly module: Type<unknown>;
  /** Before the app initialises: the HTTP pipeline, a socket adapter. */
  configure?(app: INestApplication, config: AppConfig): void;
  /** Once the app is initialised, before it listens; returns the hub's first admin key when it created one. */
  afterInit?(app: INestApplication): Promise<{ generatedAdminKey: string } | null>;
}

@Module({})
class TocsinModule {
  static forRoot(config: AppConfig, engines: Engines, roles: readonly TocsinRole[]): DynamicModule {
    return {
      module: TocsinModule,
      // Every process (api, worker, gateway) answers /api/v1/health and /metrics on its port.
      controllers: [HealthController],
      imports: [
        PlatformModule.forRoot({ config, redisUrl: engines.redisUrl }),
        DbModule.forRoot({
          url: engines.databaseUrl,
          poolSize: config.TOCSIN_DB_POOL_SIZE,
          applicationName: `tocsin-${roles.map((r) => r.name).join('+')}`,
          migrate: true,
          preparedStatements: config.TOCSIN_DB_PREPARED_STATEMENTS,
        }),
        QueuesModule,
        ...roles.map((r) => r.module),
      ],
    };
  }
}

export interface RunningTocsin {
  readonly app: INestApplication;
  readonly port: number;
  readonly generatedAdminKey: string | null;
  close(): Promise<void>;
}

/**
 * Builds and starts Tocsin with the given roles on already-found engines: the hub runs all three, the
 * scale-out processes one each. Tests boot the hub in-process through this same function.
 */
export async function startTocsin(
  config: AppConfig,
  engines: Engines,
  roles: readonly TocsinRole[],
): Promise<RunningTocsin> {
  const app = await NestFactory.create(TocsinModule.forRoot(config, engines, roles), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const log = new NestLogger('Tocsin');
  for (const role of roles) {
    role.configure?.(app, config);
  }
  await app.init();
  let generatedAdminKey: string | null = null;
  for (const role of roles) {
    const outcome = await role.afterInit?.(app);
    generatedAdminKey ??= outcome?.generatedAdminKey ?? null;
  }
  const policy = await evictionPolicy(app.get(RedisFactory).failFast('startup-check'));
  if (policy !== null && policy !== 'noeviction') {
    log.warn({ policy }, 'redis maxmemory-policy is not noeviction: queued jobs may be evicted under memory pressure');
  }
  await app.listen(config.PORT, config.HOST);
  const server = app.getHttpServer() as { address(): { port: number } | string | null };
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  log.log({ port, roles: roles.map((r) => r.name), ...engines.started }, 'tocsin started');
  return { app, port, generatedAdminKey, close: () => app.close() };
}
