import type { TrustLevel } from '../orgs/trust';

export type VettingDecision = { readonly outcome: 'publish' } | { readonly outcome: 'review'; readonly reason: string };

/**
 * The foundation's vetting policy: trusted (3) and coordinator (4) organisations publish directly;
 * below that an alert waits for a human in pending_review. A suspended org never gets here (it cannot submit).
 */
export function decideVetting(submitter: { readonly trustLevel: TrustLevel }): VettingDecision {
  return submitter.trustLevel >= 3
    ? { outcome: 'publish' }
    : { outcome: 'review', reason: `submitter trust level ${submitter.trustLevel} requires review` };
}
