import { tlpRank, type TlpLabel } from '../alerts/tlp';
import { mayReceive, type AudienceAlert, type AudienceOrg } from '../delivery/audience';
import type { TrustLevel } from '../orgs/trust';

/**
 * Does `corroborator` (another org's report sharing keys with `alert`) count for `alert`'s confidence and release?
 * Both are visible to everyone who may see `alert`, so a report may count only when everyone who may see `alert`
 * may also see it: it is not RED (its audience is a list of names), it is no more restrictive than `alert`, and
 * `alert`'s own submitter may receive it; for a RED `alert`, it is CLEAR or GREEN. Otherwise a RED or AMBER report would leak through a confidence figure
 * or a release. The link itself is still kept (it feeds coordinated alerts, whose views have their own rule).
 */
export function countsAsCorroboration(
  corroborator: AudienceAlert,
  alert: AudienceAlert & { readonly tlp: TlpLabel },
  submitter: AudienceOrg,
): boolean {
  if (corroborator.sourceOrgId === alert.sourceOrgId || corroborator.tlp === 'RED') {
    return false;
  }
  // A RED alert's named recipients may be of any trust the configuration allows: only what all members see counts.
  if (alert.tlp === 'RED') {
    return (corroborator.tlp === 'CLEAR' || corroborator.tlp === 'GREEN') && mayReceive(corroborator, submitter);
  }
  return tlpRank(corroborator.tlp) <= tlpRank(alert.tlp) && mayReceive(corroborator, submitter);
}

/** When corroboration releases an alert held for review (documented default, configurable). */
export interface ReleasePolicy {
  /** The submitter's lowest trust for corroboration to release its alert: provisional alerts always need a human. */
  readonly minSubmitterTrust: TrustLevel;
  /** The sum of the trust levels of the distinct corroborating orgs needed: 3 = one trusted org, or two members. */
  readonly minCorroboratingTrust: number;
}

export const DEFAULT_RELEASE_POLICY: ReleasePolicy = { minSubmitterTrust: 2, minCorroboratingTrust: 3 };

/**
 * Is a held alert released by its corroborators? Each org counts once (at its highest trust); a corroborator of
 * trust 0 or 1 adds nothing, so provisional orgs cannot vouch for each other.
 */
export function releasedByCorroboration(
  submitterTrust: TrustLevel,
  corroborators: readonly { readonly orgId: string; readonly trustLevel: TrustLevel }[],
  policy: ReleasePolicy = DEFAULT_RELEASE_POLICY,
): boolean {
  if (submitterTrust < policy.minSubmitterTrust || submitterTrust === 0) {
    return false;
  }
  const byOrg = new Map<string, number>();
  for (const c of corroborators) {
    if (c.trustLevel >= 2) {
      byOrg.set(c.orgId, Math.max(byOrg.get(c.orgId) ?? 0, c.trustLevel));
    }
  }
  let sum = 0;
  for (const t of byOrg.values()) {
    sum += t;
  }
  return sum >= policy.minCorroboratingTrust;
}
