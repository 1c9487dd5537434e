import type { Severity, TlpLabel } from '../alerts/tlp';
import type { Actor } from '../orgs/actor';
import type { TrustLevel } from '../orgs/trust';

export type VettingDecision = { readonly outcome: 'publish' } | { readonly outcome: 'review'; readonly reason: string };

/**
 * The vetting policy (documented default, configurable): the lowest trust level that publishes an alert of each
 * severity without review. Default: provisional (1) never publishes directly; member (2) publishes low and medium;
 * trusted (3) and coordinator (4) publish everything.
 */
export interface VettingPolicy {
  readonly directPublish: Readonly<Record<Severity, TrustLevel>>;
}

export const DEFAULT_VETTING_POLICY: VettingPolicy = {
  directPublish: { low: 2, medium: 2, high: 3, critical: 3 },
};

export function decideVetting(
  alert: { readonly severity: Severity },
  submitter: { readonly trustLevel: TrustLevel },
  policy: VettingPolicy = DEFAULT_VETTING_POLICY,
): VettingDecision {
  const needed = policy.directPublish[alert.severity];
  return submitter.trustLevel >= needed
    ? { outcome: 'publish' }
    : {
        outcome: 'review',
        reason: `a ${alert.severity} alert from trust level ${submitter.trustLevel} needs review (trust ${needed} publishes directly)`,
      };
}

/** The lowest trust level of an organisation whose vetters review others' alerts (the hub's always may). */
export const DEFAULT_REVIEWER_MIN_TRUST: TrustLevel = 4;

export interface ReviewableAlert {
  readonly sourceOrgId: string;
  readonly tlp: TlpLabel;
  readonly recipients: readonly string[];
}

/** May this key review anything at all: a vetter of the hub, or of an organisation of trust ≥ `minTrust`? */
export function isReviewer(actor: Actor, minTrust: TrustLevel = DEFAULT_REVIEWER_MIN_TRUST): boolean {
  return actor.role === 'vetter' && (actor.orgIsHub || actor.trustLevel >= minTrust);
}

/**
 * May this key review that alert? A vetter of the hub or of an organisation of trust ≥ `minTrust`, never for its
 * own organisation's alert (four eyes, whatever trust the org had when it submitted). A RED alert is reviewed only
 * by the hub or by one of its named recipients, so review never widens its audience.
 */
export function decideReview(
  actor: Actor,
  alert: ReviewableAlert,
  minTrust: TrustLevel = DEFAULT_REVIEWER_MIN_TRUST,
): 'allow' | 'forbidden' | 'not-found' | 'own-alert' {
  if (!isReviewer(actor, minTrust)) {
    return 'forbidden';
  }
  if (alert.tlp === 'RED' && !actor.orgIsHub && !alert.recipients.includes(actor.orgId)) {
    return alert.sourceOrgId === actor.orgId ? 'own-alert' : 'not-found';
  }
  return alert.sourceOrgId === actor.orgId ? 'own-alert' : 'allow';
}
