import { Injectable, Logger } from '@nestjs/common';
import { AlertStore } from '@tocsin/alerts';
import { Db, Outbox } from '@tocsin/db';
import { decideVetting } from '@tocsin/domain';
import { OrgDirectory } from '@tocsin/orgs';
import { alertJob, type AlertJobPayload } from '@tocsin/queues';

/** normalized → approved (a publish job) or pending_review, by the submitter's trust at vetting time. */
@Injectable()
export class VetAlertUseCase {
  private readonly log = new Logger(VetAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly orgs: OrgDirectory,
    private readonly outbox: Outbox,
  ) {}

  async execute(job: AlertJobPayload): Promise<'publish' | 'review' | 'skipped'> {
    return this.db.transaction(async (tx) => {
      const a = await this.alerts.lock(job.alertId, tx);
      if (!a || a.status !== 'normalized' || a.approved) {
        return 'skipped';
      }
      const org = await this.orgs.find(a.sourceOrgId, tx);
      const decision = decideVetting({ trustLevel: org?.trustLevel ?? 0 });
      if (decision.outcome === 'review') {
        await this.alerts.update(a.id, { status: 'pending_review', statusReason: decision.reason }, tx);
        this.log.log({ alertId: a.id, requestId: job.requestId }, 'alert held for review');
        return 'review';
      }
      await this.alerts.update(a.id, { approved: true }, tx);
      await this.outbox.enqueue(tx, alertJob('alert.publish', { alertId: a.id, requestId: job.requestId }));
      return 'publish';
    });
  }
}
