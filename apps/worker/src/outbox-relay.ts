import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReconcileStuckWorkUseCase } from '@tocsin/alerts';
import { DATABASE_URL, OUTBOX_CHANNEL, Outbox, PgListener, type PendingOutboxRow } from '@tocsin/db';
import { APP_CONFIG, type AppConfig, CrashPoints, Metrics, errorFacts } from '@tocsin/platform';
import { JobDispatcher, type QueueName } from '@tocsin/queues';

/**
 * Moves committed, due outbox rows into BullMQ (the job id is the row's, so a re-sent row is a no-op), woken by
 * NOTIFY at commit and by a poll; while Redis is away rows simply wait. A small alert's one-hop job is handed to
 * BullMQ by the api itself and its row is due only after a grace period (TOCSIN_OUTBOX_DIRECT_GRACE_MS): the relay
 * sends it only when that did not happen in time. Also runs the stuck-work reconciler. Every job gets a priority
 * from its org's backlog in its queue (FairShare, through JobDispatcher), so one org's backlog never delays another
 * org's alerts; a job that names no alert runs at the top priority.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelay.name);
  private listener: PgListener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private redisDown = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly dispatcher: JobDispatcher,
    private readonly reconcile: ReconcileStuckWorkUseCase,
    private readonly metrics: Metrics,
    private readonly crash: CrashPoints,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new PgListener(this.databaseUrl, OUTBOX_CHANNEL, () => this.wake());
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), this.config.TOCSIN_OUTBOX_POLL_MS);
    this.reconcileTimer = setInterval(() => {
      this.reconcile.execute().catch((e: Error) => this.log.warn({ error: errorFacts(e) }, 'reconcile failed'));
    }, this.config.TOCSIN_RECONCILE_INTERVAL_MS);
    this.wake();
  }

  /** Runs a relay pass now, or right after the one in progress. */
  wake(): void {
    if (this.stopped) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const n = await this.outbox.relay(this.config.TOCSIN_OUTBOX_BATCH, (rows) => this.dispatch(rows));
        if (n < this.config.TOCSIN_OUTBOX_BATCH || this.stopped) {
          return;
        }
      }
    } catch (e) {
      this.log.warn({ error: errorFacts(e) }, 'outbox relay pass failed');
    }
  }

  private async dispatch(rows: PendingOutboxRow[]): Promise<Set<string>> {
    const done = new Set<string>();
    const byQueue = new Map<string, PendingOutboxRow[]>();
    for (const r of rows) {
      byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
    }
    for (const [queue, list] of byQueue) {
      try {
        await this.dispatcher.add(queue as QueueName, list);
        list.forEach((r) => done.add(r.id));
        this.metrics.outboxDispatched.inc(list.length);
        if (this.redisDown) {
          this.redisDown = false;
          this.log.log({ queue }, 'outbox relay resumed');
        }
      } catch (e) {
        this.metrics.outboxErrors.inc();
        if (!this.redisDown) {
          this.redisDown = true;
          this.log.warn(
            { queue, pending: list.length, error: errorFacts(e) },
            'outbox relay could not enqueue; rows wait',
          );
        }
      }
    }
    // The jobs are in BullMQ, their outbox rows not yet deleted: a crash here re-sends them (same job ids).
    this.crash.reach('relay.after-enqueue');
    return done;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearInterval(this.timer);
    }
    if (this.reconcileTimer) {
      clearInterval(this.reconcileTimer);
    }
    await this.listener?.stop();
    await this.running;
  }
}
