import type { RedisOptions } from 'ioredis';

/**
 * Options for the long-lived connections (BullMQ workers, socket.io adapter): retry for ever with a capped
 * back-off, so a Redis restart is survived without a process restart.
 */
export function durableRedisOptions(): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
  };
}

/**
 * Options for producer-side connections that must not hang while Redis is away: a command gets an answer
 * or an error within 3 s (the outbox and the gateways' poll retry what failed).
 */
export function failFastRedisOptions(): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    commandTimeout: 3_000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
  };
}

/**
 * Options for checks that must never wait for Redis (rate limits): no offline queue, so a command fails at once
 * while Redis is away, and a short timeout; the caller decides what a failure means.
 */
export function immediateRedisOptions(): RedisOptions {
  return {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: 500,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
  };
}
