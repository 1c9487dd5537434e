import { Injectable } from '@nestjs/common';
import {
  DEFAULT_REVIEWER_MIN_TRUST,
  decideReview,
  mayPerform,
  mayReceive,
  type Actor,
  type TrustLevel,
} from '@tocsin/domain';
import { Forbidden, NotFound } from '@tocsin/platform';
import { AlertRepository, type AlertRecord } from './alert.repository';
import { toAlertView, type AlertView } from './alert-view';

/**
 * The submitter sees its alert in every status; others once published, if the TLP × trust policy allows; a vetter
 * who may review it sees a pending alert (never a RED one it is not named on, unless of the hub).
 */
export function mayView(
  actor: Actor,
  a: AlertRecord,
  reviewerMinTrust: TrustLevel = DEFAULT_REVIEWER_MIN_TRUST,
): boolean {
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
  constructor(private readonly alerts: AlertRepository) {}

  async execute(actor: Actor, id: string): Promise<AlertView> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const a = await this.alerts.findForViewer(id);
    if (!a || !mayView(actor, a)) {
      throw new NotFound('alert');
    }
    return toAlertView(a, actor.orgId);
  }
}
