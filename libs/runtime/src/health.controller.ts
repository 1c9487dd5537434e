import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Db } from '@tocsin/db';
import { Metrics, Public, RedisFactory } from '@tocsin/platform';
import type { Redis } from 'ioredis';
import type { Response } from 'express';

/** `GET /api/v1/health`: 200 with `ok` when PostgreSQL and Redis answer, 503 with `degraded` and the one `down`. */
export interface HealthView {
  readonly status: 'ok' | 'degraded';
  readonly postgres: 'up' | 'down';
  readonly redis: 'up' | 'down';
}

@ApiTags('health')
@Controller()
export class HealthController {
  private redis: Redis | null = null;

  constructor(
    private readonly db: Db,
    private readonly redisFactory: RedisFactory,
    private readonly metrics: Metrics,
  ) {}

  /** 200 when PostgreSQL and Redis answer, 503 otherwise; each component's state in the body. */
  @Public()
  @Get('api/v1/health')
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    this.redis ??= this.redisFactory.failFast('health');
    const [postgres, redis] = await Promise.all([
      this.db.ping(),
      this.redis
        .ping()
        .then((p) => p === 'PONG')
        .catch(() => false),
    ]);
    const ok = postgres && redis;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' };
  }

  @Public()
  @Get('metrics')
  async metricsText(@Res({ passthrough: true }) res: Response) {
    res.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
