import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertStore, canonicalFields, type AlertRecord, type IndicatorRow } from '@tocsin/alerts';
import { Db } from '@tocsin/db';
import { isActionable, seesSourceOrg, sourceView, type SourceView, type SourceViewer } from '@tocsin/domain';
import { OrgDirectory, type Org } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Metrics, SocketBroadcaster } from '@tocsin/platform';
import type { AlertJobPayload } from '@tocsin/queues';
import { PublishLogRepository } from '@tocsin/db';

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

/** An approved alert joins the publish log (its seq), then every gateway is woken to push it. */
@Injectable()
export class PublishAlertUseCase {
  private readonly log = new Logger(PublishAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly orgs: OrgDirectory,
    private readonly publishLog: PublishLogRepository,
    private readonly sockets: SocketBroadcaster,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(job: AlertJobPayload): Promise<'published' | 'skipped'> {
    const seq = await this.db.transaction(async (tx) => {
      const a = await this.alerts.lock(job.alertId, tx);
      if (!a || !a.approved || (a.status !== 'normalized' && a.status !== 'pending_review')) {
        return null;
      }
      const source = await this.orgs.find(a.sourceOrgId, tx);
      const size = this.config.TOCSIN_PUSH_CHUNK_SIZE;
      const first = await this.alerts.indicators(a.id, -1, size, tx, true);
      const publishedAt = new Date();
      const payload = alertPayload(a, source, first, size, publishedAt.toISOString());
      const s = await this.publishLog.append(
        { event: 'alert', alertId: a.id, tlp: a.tlp, sourceOrgId: a.sourceOrgId, recipients: a.recipients, payload },
        tx,
      );
      await this.alerts.publish(a, { seq: s, at: publishedAt }, tx);

      return s;
    });
    if (seq === null) {
      return 'skipped';
    }
    this.metrics.alertsPublished.inc();
    this.sockets.published(String(seq));
    this.log.log({ alertId: job.alertId, seq, requestId: job.requestId }, 'alert published');
    return 'published';
  }
}

/**
 * An anonymous alert's `alert` event as one recipient gets it: the shared payload (which names no org), plus
 * `source.org` (id and name) and `sourceOrg`, as a named alert's payload has them, for the viewers sourceView lets
 * see the org (its submitter, a hub admin). Every other recipient, a named alert and every other event are
 * returned unchanged.
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
