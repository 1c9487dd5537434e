import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertStore } from '@tocsin/alerts';
import { Db } from '@tocsin/db';
import { OrgDirectory } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Metrics, SocketBroadcaster } from '@tocsin/platform';
import type { AlertJobPayload } from '@tocsin/queues';
import { PublishLogRepository } from './publish-log.repository';

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
      if (!a || !a.approved || a.status === 'published' || a.status === 'rejected') {
        return null;
      }
      const source = await this.orgs.find(a.sourceOrgId, tx);
      const max = this.config.TOCSIN_PUSH_MAX_INDICATORS;
      const rows = max > 0 ? await this.alerts.indicators(a.id, -1, max + a.rejectedCount, tx) : [];
      const indicators = rows
        .filter((r) => r.canonicalValue !== null)
        .slice(0, max)
        .map((r) => ({ type: r.type, value: r.canonicalValue }));
      const publishedAt = new Date().toISOString();
      const payload = {
        id: a.id,
        title: a.title,
        description: a.description,
        severity: a.severity,
        tlp: a.tlp,
        sourceOrg: { id: a.sourceOrgId, name: source?.name ?? null, country: source?.country ?? null },
        indicators,
        indicatorCount: a.indicatorCount,
        indicatorsTruncated: a.indicatorCount > indicators.length,
        submittedAt: a.submittedAt.toISOString(),
        publishedAt,
      };
      const s = await this.publishLog.append(
        { event: 'alert', alertId: a.id, tlp: a.tlp, sourceOrgId: a.sourceOrgId, recipients: a.recipients, payload },
        tx,
      );
      await this.alerts.update(a.id, { status: 'published', statusReason: null, publishedSeq: String(s) }, tx);
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
