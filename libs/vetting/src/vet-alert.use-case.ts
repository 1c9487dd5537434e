import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertStore, alertSteps, type AlertRecord, type PathStep } from '@tocsin/alerts';
import { Db, Outbox, type Tx } from '@tocsin/db';
import { decideVetting, type TrustLevel } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { OrgDirectory, type Org } from '@tocsin/orgs';
import { alertJob, type AlertJobPayload } from '@tocsin/queues';
import { Corroboration, releaseReason } from '@tocsin/coordination';

/**
 * normalized → approved (a publish job) or pending_review, by the submitter's trust at vetting time; an alert the
 * trust policy would hold is published when enough trusted organisations have already published the same
 * indicators (corroboration). Links to other organisations' alerts are made here, before the decision.
 */
@Injectable()
export class VetAlertUseCase {
  private readonly log = new Logger(VetAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly orgs: OrgDirectory,
    private readonly outbox: Outbox,
    private readonly corroboration: Corroboration,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(job: AlertJobPayload): Promise<'publish' | 'review' | 'skipped'> {
    return this.db.transaction(async (tx) => {
      // The correlation lock before the alert's row lock: see AlertLinkRepository.lockForLinking.
      const linkable = await this.corroboration.lockForLinking(job.alertId, tx);
      const a = await this.alerts.lock(job.alertId, tx);
      if (!a || a.status !== 'normalized' || a.approved) {
        return 'skipped';
      }
      const v = await this.vetLocked(a, job.requestId, tx, { linkable });
      if (v.outcome === 'publish') {
        await this.outbox.enqueue(tx, alertJob('alert.publish', { alertId: a.id, requestId: job.requestId }));
      }
      return v.outcome;
    });
  }

  /**
   * The step itself, in the caller's transaction on a `normalized`, not yet approved alert it holds locked: links
   * (under the correlation lock: `linkable` says the caller took it first, or knows nothing can link; when not given,
   * the step takes it now, after the row lock), corroboration, then the decision. `org`: the submitter's org as the
   * caller already read it in this transaction. 'publish' leaves
   * the alert approved (the caller publishes it or enqueues its publication); 'review' leaves it `pending_review`.
   * Returns the alert as it now stands, its submitter's org as read, and how many alerts it is linked to. Its own
   * job and the one-hop job (alert.process) both run it. `defer` (the one-hop group): the decision (approve or
   * holdForReview) is not written but returned as `step`, for the caller's one statement for the group, the alert
   * returned as it will then stand; `vettedBefore`: the group's alerts vetted before this one in this transaction,
   * whose status is not written yet (linking sees them as vetted, as it would had each been written at once).
   */
  async vetLocked(
    a: AlertRecord,
    requestId: string | null,
    tx: Tx,
    known: {
      readonly linkable?: boolean;
      readonly org?: Org | null;
      readonly defer?: boolean;
      readonly vettedBefore?: readonly string[];
    } = {},
  ): Promise<{ outcome: 'publish' | 'review'; alert: AlertRecord; org: Org | null; linked: number; step?: PathStep }> {
    const mayLink = known.linkable ?? (await this.corroboration.lockForLinking(a.id, tx));
    const org = known.org !== undefined ? known.org : await this.orgs.find(a.sourceOrgId, tx);
    const trust: TrustLevel = org?.trustLevel ?? 0;
    // Nothing linked now means nothing corroborates it yet (a report linked to it earlier is found again here).
    const linked = mayLink ? await this.corroboration.link(a, new Date(), tx, known.vettedBefore) : 0;
    // Not yet published: a raised confidence is the one it is published with (no revision: nobody has seen it).
    const { counting, alert } = linked > 0 ? await this.corroboration.apply(a, trust, tx) : { counting: [], alert: a };
    const low = this.config.TOCSIN_PUBLISH_TRUST_LOW as TrustLevel;
    const high = this.config.TOCSIN_PUBLISH_TRUST_HIGH as TrustLevel;
    const decision = decideVetting(
      { severity: alert.severity },
      { trustLevel: trust },
      {
        directPublish: { low, medium: low, high, critical: high },
      },
    );
    const take = async (step: PathStep, write: () => Promise<AlertRecord>) =>
      known.defer ? { alert: this.alerts.preview(alert, [step]), step } : { alert: await write() };
    if (decision.outcome === 'review') {
      if (this.corroboration.releases(trust, counting)) {
        const reason = releaseReason(counting);
        const released = await take(alertSteps.approve(reason), () => this.alerts.approve(alert, reason, tx));
        this.log.log({ alertId: a.id, requestId }, 'alert released by corroboration');
        return { outcome: 'publish', ...released, org, linked };
      }
      const held = await take(alertSteps.holdForReview(decision.reason), () =>
        this.alerts.holdForReview(alert, decision.reason, tx),
      );
      this.log.log({ alertId: a.id, requestId }, 'alert held for review');
      return { outcome: 'review', ...held, org, linked };
    }
    return {
      outcome: 'publish',
      ...(await take(alertSteps.approve(null), () => this.alerts.approve(alert, null, tx))),
      org,
      linked,
    };
  }
}
