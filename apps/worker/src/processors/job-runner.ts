import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, Metrics, RedisFactory, errorFacts } from '@tocsin/platform';
import { FairShare, JOB_SCHEMAS, QueueName, type AlertJobPayload, type JobName } from '@tocsin/queues';
import { Worker, type Job } from 'bullmq';

export type JobHandler = (payload: AlertJobPayload) => Promise<string>;

/**
 * Runs BullMQ workers for the queues this process serves. Each job's payload is parsed with its schema
 * (a malformed one fails without retry), then handed to its processor. A job that completes or fails for good
 * leaves its org's backlog (FairShare).
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(JobRunner.name);
  private readonly handlers = new Map<JobName, JobHandler>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly redis: RedisFactory,
    private readonly metrics: Metrics,
    private readonly fairShare: FairShare,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  register(name: JobName, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  onApplicationBootstrap(): void {
    for (const queue of Object.values(QueueName)) {
      const worker = new Worker(queue, (job: Job) => this.run(queue, job), {
        connection: this.redis.durable(`worker-${queue}`),
        prefix: this.config.TOCSIN_REDIS_PREFIX,
        // The one-hop queue's jobs are committed in groups (GroupCommit): as many run at once as a group may hold.
        concurrency:
          queue === QueueName.Pipeline ? this.config.TOCSIN_GROUP_COMMIT_MAX : this.config.TOCSIN_WORKER_CONCURRENCY,
        // A worker killed with -9 stops renewing its jobs' locks: another worker takes them over within
        // about lock + stalled check (4 s by default) instead of BullMQ's 30 s + 30 s.
        lockDuration: this.config.TOCSIN_JOB_LOCK_MS,
        stalledInterval: this.config.TOCSIN_STALLED_CHECK_MS,
        autorun: true,
      });
      worker.on('error', (e) => this.log.warn({ queue, error: errorFacts(e) }, 'worker error'));
      worker.on('failed', (job, e) =>
        this.log.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, error: errorFacts(e) }, 'job failed'),
      );
      this.workers.push(worker);
    }
  }

  private async run(queue: QueueName, job: Job): Promise<string> {
    const name = job.name as JobName;
    const handler = this.handlers.get(name);
    const schema = JOB_SCHEMAS[name] as (typeof JOB_SCHEMAS)[JobName] | undefined;
    const parsed = schema?.safeParse(job.data);
    if (!handler || !parsed?.success) {
      this.metrics.jobs.inc({ queue, outcome: 'invalid' });
      this.log.error({ queue, jobId: job.id, jobName: job.name }, 'unknown job or malformed payload');
      job.discard();
      await this.release(queue, job);
      throw new Error('unknown job or malformed payload');
    }
    try {
      const outcome = await handler(parsed.data);
      this.metrics.jobs.inc({ queue, outcome });
      await this.release(queue, job);
      return outcome;
    } catch (e) {
      this.metrics.jobs.inc({ queue, outcome: 'error' });
      // attemptsMade counts the attempts before this one: this was the last, so the job fails for good.
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.release(queue, job);
      }
      throw e;
    }
  }

  /** Best effort: a count left behind (Redis away) ages out of the org's backlog by itself. */
  private async release(queue: QueueName, job: Job): Promise<void> {
    const orgId = (job.data as { orgId?: unknown } | null)?.orgId;
    if (typeof orgId !== 'string' || !job.id) {
      return;
    }
    await this.fairShare.release(queue, { jobId: job.id, orgId }).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close().catch(() => undefined)));
  }
}
