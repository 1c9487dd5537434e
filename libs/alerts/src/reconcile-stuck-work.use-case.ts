import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db, Outbox } from '@tocsin/db';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { nextJob } from '@tocsin/domain';
import { JOBS, Queues, alertJob, type JobName } from '@tocsin/queues';
import { AlertRepository } from './alert.repository';

/**
 * PostgreSQL is the source of truth; Redis only carries work. An alert that sits in a lifecycle stage whose job is
 * due (ALERT_LIFECYCLE) with no live job for it (Redis restarted without persistence, a job exhausted its retries) gets its job
 * again through the outbox. Handlers are idempotent, so a spurious re-enqueue is harmless.
 */
@Injectable()
export class ReconcileStuckWorkUseCase {
  private readonly log = new Logger(ReconcileStuckWorkUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertRepository,
    private readonly outbox: Outbox,
    private readonly queues: Queues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(limit = 500): Promise<number> {
    const stale = await this.alerts.findStale(this.config.TOCSIN_RECONCILE_STALE_MS, limit);
    const requeue: { name: JobName; alertId: string; requestId: string | null }[] = [];
    for (const a of stale) {
      // The lifecycle says what moves it on; findStale returned only stages that have a job due.
      const name = nextJob(a, this.config.TOCSIN_ONE_HOP_MAX_INDICATORS);
      if (name === null) {
        continue;
      }
      const job = alertJob(name, { alertId: a.id, requestId: a.requestId });
      const existing = await this.queues.get(JOBS[name]).getJob(job.jobId);
      const state = existing ? await existing.getState() : 'missing';
      if (
        state === 'waiting' ||
        state === 'active' ||
        state === 'delayed' ||
        state === 'prioritized' ||
        state === 'waiting-children'
      ) {
        continue;
      }
      if (existing) {
        await existing.remove().catch(() => undefined);
      }
      requeue.push({ name, alertId: a.id, requestId: a.requestId });
    }
    if (requeue.length > 0) {
      await this.db.transaction((tx) =>
        this.outbox.enqueue(
          tx,
          requeue.map((r) => alertJob(r.name, { alertId: r.alertId, requestId: r.requestId })),
        ),
      );
      await this.alerts.touch(requeue.map((r) => r.alertId));
      this.log.warn({ count: requeue.length }, 're-enqueued stuck alerts');
    }
    return requeue.length;
  }
}
