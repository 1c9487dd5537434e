import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RedisFactory } from '../redis/redis.factory';

/** What a limiter said about one request: allowed or not, and the figures behind the `RateLimit-*` headers. */
export interface RateDecision {
  readonly allowed: boolean;
  /** The bucket's size (the burst): requests allowed at once, and per window. */
  readonly limit: number;
  /** Seconds an empty bucket takes to fill again (a minute unless the burst is smaller than the per-minute rate). */
  readonly windowSeconds: number;
  /** Requests still allowed at once after this one. */
  readonly remaining: number;
  /** Seconds until a refused request would be allowed (0 when allowed), rounded up for `Retry-After`. */
  readonly retryAfterSeconds: number;
  /** The same in milliseconds, unrounded: how long a refusal really stands (0 when allowed). */
  readonly retryAfterMs: number;
  /** Seconds until the bucket is full again. */
  readonly resetSeconds: number;
  /** True when Redis did not answer and the request was let through (fail open). */
  readonly degraded: boolean;
}

/**
 * GCRA (a token bucket of `limit` tokens, one refilled every `emission` ms, so full again after `window` ms) on one key, in one round trip. The clock is
 * Redis's own, so every api process agrees. ARGV: emission interval ms, window ms, 'take' or 'peek'.
 * Returns { allowed (0|1), remaining, retry-after ms, reset ms }.
 */
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local emission = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local next_tat = tat + emission
local ahead = next_tat - now
if ahead > window then
  return {0, 0, math.ceil(ahead - window), math.ceil(tat - now)}
end
if ARGV[3] == 'take' then
  redis.call('SET', KEYS[1], tostring(next_tat), 'PX', math.ceil(ahead) + 1000)
  return {1, math.floor((window - ahead) / emission), 0, math.ceil(ahead)}
end
return {1, math.floor((window - ahead) / emission) + 1, 0, math.ceil(tat - now)}
`;

type GcraRedis = Redis & {
  tocsinGcra(key: string, emissionMs: string, windowMs: string, mode: 'take' | 'peek'): Promise<number[]>;
};

const WINDOW_MS = 60_000;
const WARN_EVERY_MS = 60_000;

/**
 * Rate limits shared by every process on one Redis (keys `<prefix>:ratelimit:<bucket>:<id>`). When Redis does
 * not answer at once the request is allowed and a warning is logged (at most once a minute): a Redis outage must
 * not take the API down (accepted submissions are committed to PostgreSQL and relayed later).
 */
@Injectable()
export class RateLimiter implements OnModuleInit {
  private readonly log = new Logger(RateLimiter.name);
  private redis: GcraRedis | null = null;
  private lastWarn = 0;

  constructor(
    private readonly factory: RedisFactory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Connects at start (waiting at most 1 s for Redis), so the first requests are counted too. */
  async onModuleInit(): Promise<void> {
    const r = this.connection();
    if (r.status === 'ready') {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => r.once('ready', () => resolve())),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000))),
    ]);
    clearTimeout(timer);
  }

  /**
   * Takes one token from `bucket:id`: `perMinute` refilled evenly (0 disables the bucket), at most `burst` at once
   * (0, or more than `perMinute`, means a whole minute's worth).
   */
  take(bucket: string, id: string, perMinute: number, burst = 0): Promise<RateDecision> {
    return this.run(bucket, id, perMinute, burst, 'take');
  }

  /** Says whether `bucket:id` has a token left, without taking it. */
  peek(bucket: string, id: string, perMinute: number, burst = 0): Promise<RateDecision> {
    return this.run(bucket, id, perMinute, burst, 'peek');
  }

  /**
   * Takes one token from `bucket:id`, a bucket of `limit` tokens refilled evenly over `windowMs` (so `limit` at once,
   * then one every `windowMs / limit`); 0 disables it. For slow buckets, such as failed sign-ins per account.
   */
  takeWithin(
    bucket: string,
    id: string,
    limit: number,
    windowMs: number,
    mode: 'take' | 'peek' = 'take',
  ): Promise<RateDecision> {
    return this.gcra(bucket, id, limit, limit > 0 ? windowMs / limit : 0, mode);
  }

  private run(
    bucket: string,
    id: string,
    perMinute: number,
    burst: number,
    mode: 'take' | 'peek',
  ): Promise<RateDecision> {
    const size = burst > 0 ? Math.min(burst, perMinute) : perMinute;
    return this.gcra(bucket, id, size, perMinute > 0 ? WINDOW_MS / perMinute : 0, mode);
  }

  /** GCRA on `bucket:id`: `size` tokens, one refilled every `emissionMs` (size 0: no limit). */
  private async gcra(
    bucket: string,
    id: string,
    size: number,
    emissionMs: number,
    mode: 'take' | 'peek',
  ): Promise<RateDecision> {
    const enabled = size > 0 && emissionMs > 0;
    const windowMs = enabled ? emissionMs * size : WINDOW_MS;
    const windowSeconds = Math.ceil(windowMs / 1000);
    const open = (degraded: boolean): RateDecision => ({
      allowed: true,
      limit: size,
      windowSeconds,
      remaining: size,
      retryAfterSeconds: 0,
      retryAfterMs: 0,
      resetSeconds: 0,
      degraded,
    });
    if (!enabled) {
      return open(false);
    }
    const key = `${this.config.TOCSIN_REDIS_PREFIX}:ratelimit:${bucket}:${id}`;
    try {
      const [allowed, remaining, retryMs, resetMs] = await this.connection().tocsinGcra(
        key,
        String(emissionMs),
        String(windowMs),
        mode,
      );
      return {
        allowed: allowed === 1,
        limit: size,
        windowSeconds,
        remaining: Math.max(0, remaining ?? 0),
        retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil((retryMs ?? 0) / 1000)),
        retryAfterMs: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryMs ?? 0)),
        resetSeconds: Math.ceil((resetMs ?? 0) / 1000),
        degraded: false,
      };
    } catch (e) {
      const now = Date.now();
      if (now - this.lastWarn >= WARN_EVERY_MS) {
        this.lastWarn = now;
        this.log.warn({ bucket, err: (e as Error).message }, 'rate limit unavailable, allowing requests');
      }
      return open(true);
    }
  }

  private connection(): GcraRedis {
    if (!this.redis) {
      const r = this.factory.immediate('ratelimit');
      r.defineCommand('tocsinGcra', { numberOfKeys: 1, lua: GCRA });
      this.redis = r as GcraRedis;
    }
    return this.redis;
  }
}
