import { Inject, Injectable } from '@nestjs/common';
import { decideReview, mayPerform, mayReceive, sourceViewerOf, type Actor, type TrustLevel } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, NotFound } from '@tocsin/platform';
import { AlertRepository, type AlertRecord } from './alert.repository';
import { toAlertView, type AlertView } from './alert-view';

/** The least trust of a reviewer, as configured (TOCSIN_REVIEWER_MIN_TRUST): what every mayView caller passes. */
export function reviewerMinTrust(config: Pick<AppConfig, 'TOCSIN_REVIEWER_MIN_TRUST'>): TrustLevel {
  return config.TOCSIN_REVIEWER_MIN_TRUST as TrustLevel;
}

/**
 * The submitter sees its alert in every status; others once published, if the TLP × trust policy allows; a vetter
 * who may review it (trust ≥ reviewerMinTrust, the configured one: the review queue's own rule) sees a pending
 * alert (never a RED one it is not named on, unless of the hub).
 */
export function mayView(actor: Actor, a: AlertRecord, reviewerMinTrust: TrustLevel): boolean {
  if (actor.trustLevel === 0 && !actor.orgIsHub) {
    return false;
  }
  if (a.sourceOrgId === actor.orgId) {
    return true;
  }
  if (a.status === 'pending_review') {
    return decideReview(actor, a, reviewerMinTrust) === 'allow';
  }
  return a.status === 'published' && mayReceive(a, { id: actor.orgId, trustLevel: actor.trustLevel });
}

@Injectable()
export class GetAlertUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The alert, as this caller may see it (404 when it may not). */
  async execute(actor: Actor, id: string): Promise<AlertView> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const a = await this.alerts.findForViewer(id);
    if (!a || !mayView(actor, a, reviewerMinTrust(this.config))) {
      throw new NotFound('alert');
    }
    // A non-submitter may see a pending alert only as its vetter: the review queue sees the org.
    return toAlertView(a, sourceViewerOf(actor, a.status === 'pending_review' && a.sourceOrgId !== actor.orgId));
  }
}
