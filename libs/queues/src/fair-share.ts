import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig, RedisFactory } from '@tocsin/platform';
import type { QueueName } from './queue-names';

/** BullMQ's highest priority number (2^21); priority 1 runs first. */
export const MAX_PRIORITY = 2 ** 21;

/**
 * How long a job counts in its org's backlog at most: a count left behind by a crash between enqueue and
 * completion (or a job removed by hand) stops weighing on the org's priorities after this.
 */
export const FAIR_SHARE_HORIZON_MS = 15 * 60_000;

/**
 * For each (key, job id) pair: drop members older than the horizon, add the job (NX: a re-sent job keeps its
 * place), and answer its 1-based rank among the org's pending jobs in the queue. The clock is Redis's own.
 * KEYS: one org key per job; ARGV: horizon ms, then the job ids in KEYS' order.
 */
const ASSIGN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local horizon = tonumber(ARGV[1])
local out = {}
local pruned = {}
for i, key in ipairs(KEYS) do
  if not pruned[key] then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - horizon)
    pruned[key] = true
  end
  local id = ARGV[i + 1]
  if redis.call('ZADD', key, 'NX', now, id) == 1 then
    out[i] = redis.call('ZCARD', key)
  else
    out[i] = redis.call('ZRANK', key, id) + 1
  end
  redis.call('PEXPIRE', key, horizon)
end
return out
`;

type FairShareRedis = Redis & {
  tocsinFairAssign(numKeys: number, ...args: string[]): Promise<number[]>;
};

export interface FairJob {
  readonly jobId: string;
  /** The org whose backlog the job counts in (the alert's source org). */
  readonly orgId: string;
}

/**
 * Fair scheduling across organisations: each queue keeps, per org, the set of its pending jobs
 * (`<prefix>:fair:<queue>:<orgId>`, a sorted set by enqueue time). A job's BullMQ priority is its rank in its
 * org's set when it is enqueued, so an org's k-th pending job gets priority k: a quiet org's first job runs
 * before a flooding org's second, and orgs with backlogs take turns. A job leaves the set when it completes or
 * fails for good; members older than the horizon are dropped, so a count that drifted heals by itself.
 */
@Injectable()
export class FairShare {
  private redis: FairShareRedis | null = null;

  constructor(
    private readonly factory: RedisFactory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  key(queue: QueueName, orgId: string): string {
    return `${this.config.TOCSIN_REDIS_PREFIX}:fair:${queue}:${orgId}`;
  }

  /** Counts the jobs in their orgs' backlogs and answers each one's priority (1..MAX_PRIORITY), in order. */
  async assign(queue: QueueName, jobs: readonly FairJob[]): Promise<number[]> {
    if (jobs.length === 0) {
      return [];
    }
    const ranks = await this.connection().tocsinFairAssign(
      jobs.length,
      ...jobs.map((j) => this.key(queue, j.orgId)),
      String(FAIR_SHARE_HORIZON_MS),
      ...jobs.map((j) => j.jobId),
    );
    return ranks.map((r) => Math.min(MAX_PRIORITY, Math.max(1, Number(r))));
  }

  /** Takes a finished job (completed, or failed for good) out of its org's backlog. */
  async release(queue: QueueName, job: FairJob): Promise<void> {
    await this.connection().zrem(this.key(queue, job.orgId), job.jobId);
  }

  /** The number of jobs an org has pending in a queue (as counted for fairness). */
  async backlog(queue: QueueName, orgId: string): Promise<number> {
    return this.connection().zcard(this.key(queue, orgId));
  }

  private connection(): FairShareRedis {
    if (!this.redis) {
      const r = this.factory.failFast('fair-share');
      r.defineCommand('tocsinFairAssign', { lua: ASSIGN });
      this.redis = r as FairShareRedis;
    }
    return this.redis;
  }
}
