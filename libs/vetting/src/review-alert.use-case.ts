import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertStore, type AlertView } from '@tocsin/alerts';
import { Db, Outbox } from '@tocsin/db';
import {
  decideReview,
  isReviewer,
  mayReceive,
  parseReview,
  sourceViewerOf,
  type Actor,
  type TrustLevel,
  auditActor,
} from '@tocsin/domain';
import { AuditTrail } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Conflict, Forbidden, Invalid, NotFound } from '@tocsin/platform';
import { alertJob } from '@tocsin/queues';

/**
 * A vetter of a coordinator (trust 4) or of the hub approves or rejects a pending alert, with a reason. Approval
 * publishes (a publish job in the same transaction); rejection is final and its reason is shown to the submitter.
 * Nobody reviews their own organisation's alert (four eyes). Each decision is written to the audit trail, in the same
 * transaction, under the submitting organisation (`alert.reviewed`).
 */
@Injectable()
export class ReviewAlertUseCase {
  private readonly log = new Logger(ReviewAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, alertId: string, body: unknown, requestId: string | null): Promise<AlertView> {
    const minTrust = this.config.TOCSIN_REVIEWER_MIN_TRUST as TrustLevel;
    if (!isReviewer(actor, minTrust)) {
      throw new Forbidden(`only vetters of the hub or of organisations of trust ${minTrust} and up review alerts`);
    }
    const input = parseReview(body);
    if (!input.ok) {
      throw new Invalid(input.error);
    }
    const view = await this.db.transaction(async (tx) => {
      const a = await this.alerts.lock(alertId, tx);
      // An alert the reviewer could not see answers 404, exactly like one that does not exist.
      const decision = a ? decideReview(actor, a, minTrust) : 'not-found';
      if (!a || decision === 'not-found') {
        throw new NotFound('alert');
      }
      if (decision === 'own-alert') {
        throw new Forbidden('four eyes: nobody reviews an alert of their own organisation');
      }
      if (decision === 'forbidden') {
        throw new Forbidden();
      }
      if (a.status !== 'pending_review') {
        const visible =
          a.review?.byOrgId === actor.orgId ||
          (a.status === 'published' && mayReceive(a, { id: actor.orgId, trustLevel: actor.trustLevel }));
        if (!visible) {
          throw new NotFound('alert');
        }
        throw new Conflict('alert-not-pending', `the alert is ${a.status}, not pending_review`);
      }
      const review = { reason: input.value.reason, byOrgId: actor.orgId, byKeyId: actor.keyId };
      if (input.value.decision === 'approve') {
        await this.alerts.approveInReview(a, review, tx);
      } else {
        await this.alerts.reject(a, review, tx);
      }
      if (input.value.decision === 'approve') {
        await this.outbox.enqueue(tx, alertJob('alert.publish', { alertId: a.id, requestId }));
      }
      await this.audit.record(
        {
          action: 'alert.reviewed',
          ...auditActor(actor),
          subjectOrgId: a.sourceOrgId,
          oldValue: { alertId: a.id, status: 'pending_review' },
          newValue: { alertId: a.id, decision: input.value.decision },
          reason: input.value.reason,
        },
        tx,
      );
      return a;
    });
    this.log.log({ alertId, decision: input.value.decision, by: actor.keyId, requestId }, 'alert reviewed');
    // The vetter who just reviewed it reads it as the review queue did: with the org.
    return this.alerts.view(view.id, sourceViewerOf(actor, true));
  }
}
