import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db, Outbox } from '@tocsin/db';
import { mayPerform, parseNativeSubmission, type Actor, type Issue } from '@tocsin/domain';
import { OrgDirectory } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid, Metrics } from '@tocsin/platform';
import { alertJob } from '@tocsin/queues';
import { AlertRepository } from './alert.repository';

export interface SubmissionAccepted {
  readonly id: string;
  readonly status: 'queued';
}

/**
 * Accepts a native JSON submission: the alert, its indicators and its first job commit in one transaction
 * (the transactional outbox), so an accepted alert is never lost, even while Redis is away.
 */
@Injectable()
export class SubmitAlertUseCase {
  private readonly log = new Logger(SubmitAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertRepository,
    private readonly outbox: Outbox,
    private readonly orgs: OrgDirectory,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, body: unknown, requestId: string | null): Promise<SubmissionAccepted> {
    if (!mayPerform(actor, 'alert.submit')) {
      throw new Forbidden('this key may not submit alerts (role operator required)');
    }
    const parsed = parseNativeSubmission(body, {
      maxIndicators: this.config.TOCSIN_MAX_INDICATORS,
      maxRecipients: this.config.TOCSIN_MAX_RECIPIENTS,
    });
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    const s = parsed.value;
    if (s.recipients.length > 0) {
      const found = new Set((await this.orgs.findMany(s.recipients)).map((o) => o.id));
      const issues: Issue[] = s.recipients.flatMap((r, i) =>
        found.has(r) ? [] : [{ pointer: `/recipients/${i}`, detail: 'no such organisation' }],
      );
      if (issues.length > 0) {
        throw new Invalid(issues);
      }
    }
    const alert = await this.db.transaction(async (tx) => {
      const a = await this.alerts.insert(
        {
          sourceOrgId: actor.orgId,
          title: s.title,
          description: s.description,
          severity: s.severity,
          tlp: s.tlp,
          recipients: s.recipients,
          sourceFormat: 'native',
          requestId,
          indicatorCount: s.indicators.length,
        },
        tx,
      );
      await this.alerts.insertIndicators(
        a.id,
        s.indicators.map((ind, i) => ({
          position: i,
          type: ind.type,
          rawValue: ind.value,
          canonicalValue: null,
          rejection: null,
        })),
        tx,
      );
      await this.outbox.enqueue(tx, alertJob('alert.normalize', { alertId: a.id, requestId }));
      return a;
    });
    this.metrics.alertsSubmitted.inc();
    this.log.log(
      { alertId: alert.id, orgId: actor.orgId, indicators: s.indicators.length, requestId },
      'alert accepted',
    );
    return { id: alert.id, status: 'queued' };
  }
}
