import { Injectable, Logger } from '@nestjs/common';
import { Db } from '@tocsin/db';
import { decideOrgAccess, parseTrustChange, type Actor, auditActor } from '@tocsin/domain';
import { Forbidden, Invalid, NotFound, SocketBroadcaster } from '@tocsin/platform';
import { AuditRepository } from './audit.repository';
import { OrgRepository, type Org } from './org.repository';

/**
 * Only the hub's admins change a member's trust level, never their own organisation's (so the hub's own organisation
 * keeps trust 4: a change of it is a 403), always with a reason.
 * The change and its audit entry commit together. A suspension (trust 0) cuts the org's sockets at once on every
 * gateway; any other change reaches the gateways so live delivery follows the new level at once.
 */
@Injectable()
export class ChangeTrustUseCase {
  private readonly log = new Logger(ChangeTrustUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly audit: AuditRepository,
    private readonly sockets: SocketBroadcaster,
  ) {}

  async execute(actor: Actor, orgId: string, body: unknown): Promise<Org> {
    if (decideOrgAccess(actor, orgId, 'org.manage') !== 'allow') {
      throw new Forbidden('only the hub’s admins may change a trust level');
    }
    if (orgId === actor.orgId) {
      throw new Forbidden('no organisation may change its own trust level');
    }
    const change = parseTrustChange(body);
    if (!change.ok) {
      throw new Invalid(change.error);
    }
    const updated = await this.db.transaction(async (tx) => {
      const org = await this.orgs.lockById(orgId, tx);
      if (!org) {
        throw new NotFound('org');
      }
      if (org.isHub) {
        // Unreachable while only the hub's own admins change trust (the check above answers first); kept as the rule.
        throw new Forbidden('the hub’s own organisation keeps trust level 4');
      }
      await this.orgs.setTrust(orgId, change.value.trustLevel, tx);
      await this.audit.append(
        {
          action: 'org.trust-changed',
          ...auditActor(actor),
          subjectOrgId: orgId,
          oldValue: { trustLevel: org.trustLevel },
          newValue: { trustLevel: change.value.trustLevel },
          reason: change.value.reason,
        },
        tx,
      );
      return { ...org, trustLevel: change.value.trustLevel };
    });
    if (updated.trustLevel === 0) {
      this.sockets.disconnectOrg(orgId);
    } else {
      this.sockets.orgChanged(orgId, updated.trustLevel);
    }
    this.log.log({ orgId, trustLevel: updated.trustLevel, by: actor.keyId }, 'trust level changed');
    return updated;
  }
}
