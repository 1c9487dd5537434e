import { type DynamicModule, type INestApplication, Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DbModule, type Engines } from '@tocsin/db';
import { BootstrapHubUseCase } from '@tocsin/orgs';
import { type AppConfig, PlatformModule, RedisFactory, evictionPolicy } from '@tocsin/platform';
import { QueuesModule } from '@tocsin/queues';
import { Logger } from 'nestjs-pino';
// The hub is the composition root: it alone may assemble the other apps' edge modules in one process.
import { ApiModule } from '../../api/src/api.module';
import { HealthController } from '../../api/src/health/health.controller';
import { configureHttp } from '../../api/src/http/configure-http';
import { GatewayModule } from '../../gateway/src/gateway.module';
import { RedisIoAdapter } from '../../gateway/src/redis-io.adapter';
import { WorkerModule } from '../../worker/src/worker.module';

export type Role = 'api' | 'worker' | 'gateway';

@Module({})
class TocsinModule {
  static forRoot(config: AppConfig, engines: Engines, roles: readonly Role[]): DynamicModule {
    return {
      module: TocsinModule,
      // Every process (api, worker, gateway) answers /api/v1/health and /metrics on its port.
      controllers: [HealthController],
      imports: [
        PlatformModule.forRoot({ config, redisUrl: engines.redisUrl }),
        DbModule.forRoot({
          url: engines.databaseUrl,
          poolSize: config.TOCSIN_DB_POOL_SIZE,
          applicationName: `tocsin-${roles.join('+')}`,
          migrate: true,
        }),
        QueuesModule,
        ...(roles.includes('api') ? [ApiModule] : []),
        ...(roles.includes('worker') ? [WorkerModule] : []),
        ...(roles.includes('gateway') ? [GatewayModule] : []),
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
export async function startTocsin(config: AppConfig, engines: Engines, roles: readonly Role[]): Promise<RunningTocsin> {
  const app = await NestFactory.create(TocsinModule.forRoot(config, engines, roles), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const log = new NestLogger('Tocsin');
  if (roles.includes('api')) {
    configureHttp(app, config);
    const doc = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle('Tocsin').setVersion('1').addBearerAuth().build(),
    );
    SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json' });
  }
  if (roles.includes('gateway')) {
    app.useWebSocketAdapter(new RedisIoAdapter(app, app.get(RedisFactory)));
  }
  await app.init();
  let generatedAdminKey: string | null = null;
  if (roles.includes('api')) {
    const outcome = await app.get(BootstrapHubUseCase).execute();
    if (outcome.created) {
      generatedAdminKey = outcome.generatedKey;
      log.log({ orgId: outcome.orgId }, 'hub organisation created');
    }
  }
  const policy = await evictionPolicy(app.get(RedisFactory).failFast('startup-check'));
  if (policy !== null && policy !== 'noeviction') {
    log.warn({ policy }, 'redis maxmemory-policy is not noeviction: queued jobs may be evicted under memory pressure');
  }
  await app.listen(config.PORT, config.HOST);
  const server = app.getHttpServer() as { address(): { port: number } | string | null };
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  log.log({ port, roles, ...engines.started }, 'tocsin started');
  return { app, port, generatedAdminKey, close: () => app.close() };
}
