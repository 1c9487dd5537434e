import { Inject, Injectable, Logger } from '@nestjs/common';
import { firstJob } from '@tocsin/domain';
import { AlertStore, type AlertPath } from '@tocsin/alerts';
import { CORRELATION_LOCK, Outbox, PUBLISH_LOCK } from '@tocsin/db';
import { PublishAlertUseCase, type Publishable, type Published } from '@tocsin/delivery';
import { NormalizeAlertUseCase } from '@tocsin/normalization';
import { APP_CONFIG, type AppConfig, CrashPoints } from '@tocsin/platform';
import { alertJob, type AlertJobPayload } from '@tocsin/queues';
import { VetAlertUseCase } from '@tocsin/vetting';
import type { Org } from '@tocsin/orgs';

export type ProcessOutcome = 'published' | 'review' | 'chunked' | 'skipped';

/**
 * The one-hop job (`alert.process`) for a group of small alerts: each is normalized and vetted, and those approved
 * are published with consecutive seqs, all in ONE transaction; the gateways are woken once, after the commit. The
 * steps are the three use-cases' own in-transaction steps (normalizeLocked, vetLocked, publishLocked), so a held or
 * approved alert ends exactly as on the chunked path. Re-running it is a no-op: an alert no longer `queued` is
 * skipped under its row lock.
 */
@Injectable()
export class ProcessAlerts {
  private readonly log = new Logger(ProcessAlerts.name);

  constructor(
    private readonly alerts: AlertStore,
    private readonly outbox: Outbox,
    private readonly normalize: NormalizeAlertUseCase,
    private readonly vet: VetAlertUseCase,
    private readonly publish: PublishAlertUseCase,
    private readonly crash: CrashPoints,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Each job's outcome, by alert id (an alert that does not exist is `skipped`). */
  async execute(jobs: readonly AlertJobPayload[]): Promise<Map<string, ProcessOutcome>> {
    const requestIdOf = new Map(jobs.map((j) => [j.alertId, j.requestId]));
    const outcomes = new Map<string, ProcessOutcome>(jobs.map((j) => [j.alertId, 'skipped']));
    this.crash.reach('process.before-transaction');
    const max = this.config.TOCSIN_ONE_HOP_MAX_INDICATORS;
    // The transaction's first statement, sent with BEGIN: every row of the group locked, in id order (two groups
    // sharing an alert, a re-run, cannot deadlock), each with its submitter's org and, when queued and small, its raw
    // indicators (at most `max`).
    // The outbox rows of the jobs the api dispatched itself are deleted in that same round trip, so the relay has
    // nothing to send for them once this commits (and everything, should it roll back).
    const outboxDone = jobs.flatMap((j) => (j.outboxId ? [j.outboxId] : []));
    const ids = [...requestIdOf.keys()];
    const done: Published[] = await this.alerts.inGroupTransaction(ids, max, outboxDone, async (read, tx) => {
      const byId = new Map(read.map((r) => [r.alert.id, r.alert]));
      const raw = new Map(read.flatMap((r) => (r.indicators ? [[r.alert.id, r.indicators] as const] : [])));
      // The submitters' orgs as read with their alerts: vetting reads no org again.
      const orgs = new Map<string, Org | null>(read.map((r) => [r.alert.sourceOrgId, r.org]));
      // Then each in the jobs' order (the queue's fair order), which becomes the group's seq order.
      const locked = ids.flatMap((id) => byId.get(id) ?? []);
      const ready: Publishable[] = [];
      const chunk = this.config.TOCSIN_PUSH_CHUNK_SIZE;
      const small = new Set(
        locked.filter(
          (a) => a.status === 'queued' && firstJob(a.indicatorCount, max) === 'alert.process' && raw.has(a.id),
        ),
      );
      const normalized = [];
      for (const queued of locked) {
        const requestId = requestIdOf.get(queued.id) ?? null;
        if (queued.status !== 'queued') {
          continue;
        }
        if (!small.has(queued)) {
          // Grown past the limit since it was enqueued (config changed): the chunked path takes it.
          await this.outbox.enqueue(tx, alertJob('alert.normalize', { alertId: queued.id, requestId }));
          outcomes.set(queued.id, 'chunked');
          continue;
        }
        // Computed in memory; the group's indicators are written below in one statement, its statuses at the end.
        const n = await this.normalize.normalizeLocked(queued, requestId, tx, chunk, raw.get(queued.id) ?? [], true);
        this.crash.reach('process.after-normalize');
        normalized.push({ queued, requestId, n, pending: n.pending! });
      }
      // The correlation lock (hub-wide, to commit) once any alert may link, then the publish lock, both taken in the
      // statement that writes the group's indicators, in that order (the order every transaction takes them in):
      // the links are then read, and MAX(seq) then computed, by LATER statements, whose snapshots see everything
      // committed by the locks' previous holders. A group that may link holds the correlation lock to commit anyway,
      // so holding the publish lock from here costs it nothing more.
      const linkable = normalized.some(({ n }) => n.linkable);
      const locks = normalized.length > 0 ? [...(linkable ? [CORRELATION_LOCK] : []), PUBLISH_LOCK] : [];
      await this.alerts.applyNormalizationMany(
        normalized.map(({ queued, pending }) => ({
          alertId: queued.id,
          rows: pending.rows,
          mergedAway: pending.mergedAway,
        })),
        tx,
        locks,
      );
      // Every status of the group (normalized, then approved and published, or held) is written in ONE statement by
      // publishLocked: each alert's path of transitions, from the stage it was locked in.
      const held: AlertPath[] = [];
      const vetted: string[] = [];
      for (const { queued, requestId, n, pending } of normalized) {
        const v = await this.vet.vetLocked(n.alert, requestId, tx, {
          // The correlation lock comes after the group's row locks (the vet job takes it before its one row; a one-hop
          // alert is never the vet job's at the same time, and should both ever meet on one alert, PostgreSQL breaks
          // the deadlock and the job is retried).
          linkable: n.linkable,
          org: orgs.get(queued.sourceOrgId) ?? null,
          defer: true,
          // The group's alerts vetted before this one would be `normalized` or `pending_review` had each been written.
          vettedBefore: [...vetted],
        });
        vetted.push(queued.id);
        this.crash.reach('process.after-vet');
        const steps = [pending.step, v.step!];
        if (v.outcome === 'review') {
          held.push({ alert: queued, steps });
          outcomes.set(queued.id, 'review');
          continue;
        }
        // v.alert carries the confidence corroboration gave it, if any.
        ready.push({
          alert: v.alert,
          source: v.org,
          unlinked: v.linked === 0,
          first: n.first,
          pending: { alert: queued, steps },
        });
      }
      const published = await this.publish.publishLocked(ready, tx, held, locks.includes(PUBLISH_LOCK));
      this.crash.reach('process.after-publish');
      return published;
    });
    this.crash.reach('process.after-commit');
    this.publish.announce(done);
    this.crash.reach('process.after-wake');
    for (const d of done) {
      outcomes.set(d.alertId, 'published');
    }
    if (jobs.length > 1) {
      this.log.debug({ alerts: jobs.length, published: done.length }, 'one-hop group committed');
    }
    return outcomes;
  }
}
