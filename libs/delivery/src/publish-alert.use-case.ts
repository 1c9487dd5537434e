import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AlertStore,
  alertSteps,
  canonicalFields,
  type AlertPath,
  type AlertRecord,
  type IndicatorRow,
  type PathStep,
} from '@tocsin/alerts';
import { appendManyStatement, Db, Outbox, PublishLogRepository, type AppendEntry, type Tx } from '@tocsin/db';
import { isActionable, seesSourceOrg, sourceView, type SourceView, type SourceViewer } from '@tocsin/domain';
import { OrgDirectory, type Org } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Metrics, SocketBroadcaster } from '@tocsin/platform';
import { alertJob, type AlertJobPayload } from '@tocsin/queues';
import { wakeEntries, type WakeEntry } from './wake-entries';

/** An indicator as recipients receive it: canonical, with flags (a warning-listed one says why). */
export interface PushedIndicator {
  readonly type: string;
  readonly value: string;
  readonly flags: readonly string[];
  /** isActionable (docs/model.md) when the event was made. */
  readonly actionable: boolean;
  readonly warning?: { readonly list: string; readonly reason: string };
}

export function toPushed(r: IndicatorRow): PushedIndicator {
  return {
    type: r.type ?? 'unknown',
    value: r.canonicalValue ?? '',
    flags: r.flags,
    actionable: isActionable(r),
    ...(r.warning ? { warning: r.warning } : {}),
  };
}

/**
 * The `alert` event's body, stored in the publish log so replay sends exactly what live sent. One payload serves
 * every recipient, so its source is sourceView's "any recipient" form: an anonymous alert's payload holds no org
 * id or name (its submitter and hub admins are told the org by AlertFeed.eventFor, see withSourceFor). A named alert keeps `sourceOrg` as before.
 */
export function alertPayload(
  a: AlertRecord,
  source: Org | null,
  first: IndicatorRow[],
  chunkSize: number,
  publishedAt: string,
) {
  const view: SourceView = sourceView(
    {
      sourceOrgId: a.sourceOrgId,
      attribution: a.attribution,
      sourceOrgName: source?.name ?? null,
      sourceCountry: source?.country ?? null,
      sourceTrustLevel: source?.trustLevel ?? 0,
    },
    null,
  );
  return {
    ...canonicalFields(a),
    source: view,
    ...(view.org
      ? { sourceOrg: { id: a.sourceOrgId, name: source?.name ?? null, country: source?.country ?? null } }
      : {}),
    sourceFormat: a.sourceFormat,
    indicatorCount: a.indicatorCount,
    warningCount: a.warningCount,
    indicators: first.map(toPushed),
    // The first chunk travels inline; chunks 1..count-1 follow as `alert-indicators` events, in order.
    indicatorChunks: { size: chunkSize, count: Math.max(1, Math.ceil(a.indicatorCount / chunkSize)) },
    submittedAt: a.submittedAt.toISOString(),
    publishedAt,
  };
}

/** An approved alert, locked by the caller, ready to publish. */
export interface Publishable {
  readonly alert: AlertRecord;
  /** Its submitter's org as the caller read it in this transaction. */
  readonly source: Org | null;
  /** True when the caller knows it is linked to no other alert (it was just vetted in this transaction). */
  readonly unlinked?: boolean;
  /** Its first accepted indicators (up to TOCSIN_PUSH_CHUNK_SIZE) as stored, when the caller holds them. */
  readonly first?: readonly IndicatorRow[];
  /**
   * The transitions the caller took in memory but has not written (a one-hop group): `alert` above is where they
   * lead, `pending.alert` the row as locked. They are written with publish's own, in the group's one statement.
   */
  readonly pending?: AlertPath;
}

export interface Published {
  readonly alertId: string;
  readonly seq: number;
  readonly requestId: string | null;
  /** Its log entry as committed, for the gateways' wake-up (see wake-entries.ts). */
  readonly entry: WakeEntry;
}

/**
 * An approved alert joins the publish log (its seq), then every gateway is woken to push it. The publishing
 * transaction also settles what follows: an alert linked to nothing is marked correlated at once, any other gets
 * its `alert.correlate` job through the outbox.
 */
@Injectable()
export class PublishAlertUseCase {
  private readonly log = new Logger(PublishAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly orgs: OrgDirectory,
    private readonly publishLog: PublishLogRepository,
    private readonly outbox: Outbox,
    private readonly sockets: SocketBroadcaster,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(job: AlertJobPayload): Promise<'published' | 'skipped'> {
    const done = await this.db.transaction(async (tx) => {
      const a = await this.alerts.lock(job.alertId, tx);
      if (!a || !mayPublish(a)) {
        return [];
      }
      const source = await this.orgs.find(a.sourceOrgId, tx);
      return this.publishLocked([{ alert: a, source }], tx);
    });
    if (done.length === 0) {
      return 'skipped';
    }
    this.announce(done);
    return 'published';
  }

  /**
   * The step itself, in the caller's transaction, for approved alerts it holds locked (`mayPublish`): consecutive
   * seqs in the given order (group commit: one publish-lock wait, one insert), each alert `published`, and its
   * correlation settled or enqueued. After the commit the caller calls `announce` once for the group. Its own job
   * and the one-hop job (alert.process) both run it. Every alert's status (its `pending` steps, publish, and
   * markCorrelated when it is unlinked), and `alongside` (the caller's other locked alerts' paths: a one-hop group's
   * held ones), are written in ONE statement with the group's log entries (AlertStore.transitionManyPublishing: the
   * INSERT's seqs become the alerts' `published_seq` in that statement). `publishLockHeld`: the caller took the
   * publish lock (`PUBLISH_LOCK`) in an earlier statement of `tx` (the one-hop group does, with its indicator write).
   */
  async publishLocked(
    items: readonly Publishable[],
    tx: Tx,
    alongside: readonly AlertPath[] = [],
    publishLockHeld = false,
  ): Promise<Published[]> {
    if (items.length === 0) {
      await this.alerts.transitionMany(alongside, tx);
      return [];
    }
    const size = this.config.TOCSIN_PUSH_CHUNK_SIZE;
    const publishedAt = new Date();
    const entries: AppendEntry[] = [];
    for (const { alert: a, source, first: known } of items) {
      const first = known ? [...known] : await this.alerts.indicators(a.id, -1, size, tx, true);
      const payloadJson = JSON.stringify(alertPayload(a, source, first, size, publishedAt.toISOString()));
      entries.push({ alertId: a.id, tlp: a.tlp, sourceOrgId: a.sourceOrgId, recipients: a.recipients, payloadJson });
    }
    if (!publishLockHeld) {
      await this.publishLog.lockForAppend(tx);
    }
    // Every status (each publish step's seq a placeholder) and the log entries, in ONE statement: the entries' seqs
    // are given by the INSERT, under the publish lock, and written to the alerts by the same statement.
    const paths: AlertPath[] = items.map(({ alert: a, unlinked, pending }) => {
      const steps: PathStep[] = [...(pending?.steps ?? []), alertSteps.publish(a, { seq: 0, at: publishedAt })];
      if (unlinked === true) {
        // Linked to nothing: nothing to corroborate or coordinate (a later link is the other report's to follow).
        steps.push(alertSteps.markCorrelated(publishedAt));
      }
      return { alert: pending?.alert ?? a, steps };
    });
    const { logged } = await this.alerts.transitionManyPublishing([...paths, ...alongside], tx, (from) =>
      appendManyStatement(entries, from),
    );
    const out: Published[] = items.map(({ alert: a, source }, i) => {
      const stored = logged.get(a.id);
      if (!stored) {
        throw new Error(`publish: no log entry came back for alert ${a.id}`); // a bug: the INSERT appends every entry
      }
      return {
        alertId: a.id,
        seq: stored.seq,
        requestId: a.requestId,
        entry: {
          seq: stored.seq,
          alertId: a.id,
          tlp: a.tlp,
          sourceOrgId: a.sourceOrgId,
          recipients: [...a.recipients],
          payload: entries[i]!.payloadJson,
          publishedAt: stored.publishedAt.toISOString(),
          sourceOrgName: source?.name ?? null,
        },
      };
    });
    const correlate = [];
    for (const { alert: a, unlinked } of items) {
      if (unlinked !== true && !(await this.alerts.markCorrelated(a.id, true, tx))) {
        correlate.push(alertJob('alert.correlate', { alertId: a.id, requestId: a.requestId }));
      }
    }
    await this.outbox.enqueue(tx, correlate);
    return out;
  }

  /**
   * After the commit: counts the group and wakes every gateway once, for its highest seq, carrying the group's
   * entries when they are small enough (a gateway that has reached them sends them without reading the log back).
   */
  announce(done: readonly Published[]): void {
    if (done.length === 0) {
      return;
    }
    this.metrics.alertsPublished.inc(done.length);
    this.sockets.published(String(Math.max(...done.map((d) => d.seq))), wakeEntries(done.map((d) => d.entry)));
    for (const d of done) {
      this.log.log({ alertId: d.alertId, seq: d.seq, requestId: d.requestId }, 'alert published');
    }
  }
}

/** An alert the publish step may take: approved and not yet published (nor rejected, nor revoked). */
export function mayPublish(a: AlertRecord): boolean {
  return a.approved && (a.status === 'normalized' || a.status === 'pending_review');
}

/**
 * An anonymous alert's `alert` event as one recipient gets it: the shared payload (which names no org), plus
 * `source.org` (id and name) and `sourceOrg`, as a named alert's payload has them, for the viewers sourceView lets
 * see the org (its submitter, a hub admin). A named alert's event names the org by its current name (renamed since:
 * `PATCH /api/v1/orgs/:id`). Every other recipient and every other event are returned unchanged.
 */
export function withSourceFor<E extends { readonly name: string; readonly body: Record<string, unknown> }>(
  ev: E | null,
  e: { readonly event: string; readonly sourceOrgId: string; readonly sourceOrgName: string | null },
  viewer: SourceViewer,
): E | null {
  if (ev === null || e.event !== 'alert') {
    return ev;
  }
  const alert = ev.body.alert as Record<string, unknown> | undefined;
  const source = alert?.source as SourceView | undefined;
  if (alert && source?.org && e.sourceOrgName !== null && source.org.name !== e.sourceOrgName) {
    // A named alert's payload holds the org's name at publication: it is sent with the name the org has now, as
    // REST and the exports show it.
    const org = { ...source.org, name: e.sourceOrgName };
    const sourceOrg = { ...(alert.sourceOrg as Record<string, unknown> | undefined), name: e.sourceOrgName };
    return { ...ev, body: { ...ev.body, alert: { ...alert, source: { ...source, org }, sourceOrg } } };
  }
  if (
    !alert ||
    !source ||
    source.org ||
    !seesSourceOrg({ sourceOrgId: e.sourceOrgId, attribution: source.attribution }, viewer)
  ) {
    return ev;
  }
  const org = { id: e.sourceOrgId, name: e.sourceOrgName };
  const sourceOrg = { ...org, country: source.country };
  return { ...ev, body: { ...ev.body, alert: { ...alert, source: { ...source, org }, sourceOrg } } };
}
