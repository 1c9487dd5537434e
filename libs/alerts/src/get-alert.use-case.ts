import { Injectable } from '@nestjs/common';
import { mayPerform, mayReceive, type Actor } from '@tocsin/domain';
import { Forbidden, NotFound } from '@tocsin/platform';
import { AlertRepository, type AlertRecord } from './alert.repository';
import { toAlertView, type AlertView } from './alert-view';

/** The submitter sees its alert in every status; others only once published, and only if the policy allows. */
export function mayView(actor: Actor, a: AlertRecord): boolean {
  if (actor.trustLevel === 0) {
    return false;
  }
  if (a.sourceOrgId === actor.orgId) {
    return true;
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
