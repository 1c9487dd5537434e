import type { TlpLabel } from '../alerts/tlp';
import type { TrustLevel } from '../orgs/trust';

export interface AudienceAlert {
  readonly tlp: TlpLabel;
  readonly sourceOrgId: string;
  readonly recipients: readonly string[];
}

export interface AudienceOrg {
  readonly id: string;
  readonly trustLevel: TrustLevel;
}

/**
 * Who may see an alert — the one rule every path uses (live push, replay, REST reads):
 * CLEAR and GREEN to every active member; AMBER and AMBER+STRICT to members of trust ≥ 2;
 * RED only to the submitter and its named recipients; trust 0 (suspended) sees nothing, not even its own.
 */
export function mayReceive(alert: AudienceAlert, org: AudienceOrg): boolean {
  if (org.trustLevel === 0) {
    return false;
  }
  switch (alert.tlp) {
    case 'CLEAR':
    case 'GREEN':
      return true;
    case 'AMBER':
    case 'AMBER+STRICT':
      return org.trustLevel >= 2 || alert.sourceOrgId === org.id;
    case 'RED':
      return alert.sourceOrgId === org.id || alert.recipients.includes(org.id);
  }
}
