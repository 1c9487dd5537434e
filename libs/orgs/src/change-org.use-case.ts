import { Injectable, Logger } from '@nestjs/common';
import { Db } from '@tocsin/db';
import { decideOrgAccess, parseOrgChange, type Actor, auditActor } from '@tocsin/domain';
import { Conflict, Forbidden, Invalid, NotFound, SocketBroadcaster } from '@tocsin/platform';
import { AuditRepository } from './audit.repository';
import { OrgRepository, type Org } from './org.repository';

/**
 * `PATCH /api/v1/orgs/:id`: only the hub's admins change a member, always with a reason, each change in the audit
 * trail, committed together:
 * - its trust level (`org.trust-changed`), never their own organisation's (so the hub's own organisation keeps trust
 *   4: a change of it is a 403). A suspension (trust 0) cuts the org's sockets at once on every gateway; any other
 *   change reaches the gateways so live delivery follows the new level at once;
 * - its name or sector (`org.changed`), never the hub's own name (`TOCSIN_HUB_ORG_NAME` names it). Names are read when
 *   sent, so every path (REST, push, replay, TAXII) shows the new name, for alerts published before too.
 * The country is not changed here: it is part of every published alert and of the coordinated alerts' counts.
 */
@Injectable()
export class ChangeOrgUseCase {
  private readonly log = new Logger(ChangeOrgUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly audit: AuditRepository,
    private readonly sockets: SocketBroadcaster,
  ) {}

  async execute(actor: Actor, orgId: string, body: unknown): Promise<Org> {
    if (decideOrgAccess(actor, orgId, 'org.manage') !== 'allow') {
      throw new Forbidden('only the hub’s admins may change an organisation');
    }
    const change = parseOrgChange(body);
    if (!change.ok) {
      throw new Invalid(change.error);
    }
    const c = change.value;
    if (c.trustLevel !== undefined && orgId === actor.orgId) {
      throw new Forbidden('no organisation may change its own trust level');
    }
    await this.db.transaction(async (tx) => {
      const org = await this.orgs.lockById(orgId, tx);
      if (!org) {
        throw new NotFound('org');
      }
      if (c.trustLevel !== undefined && org.isHub) {
        // Unreachable while only the hub's own admins change trust (the check above answers first); kept as the rule.
        throw new Forbidden('the hub’s own organisation keeps trust level 4');
      }
      if (c.name !== undefined && c.name !== org.name && org.isHub) {
        throw new Forbidden('the hub’s own organisation is named by TOCSIN_HUB_ORG_NAME');
      }
      if (c.trustLevel !== undefined) {
        await this.orgs.setTrust(orgId, c.trustLevel, tx);
        await this.audit.append(
          {
            action: 'org.trust-changed',
            ...auditActor(actor),
            subjectOrgId: orgId,
            oldValue: { trustLevel: org.trustLevel },
            newValue: { trustLevel: c.trustLevel },
            reason: c.reason,
          },
          tx,
        );
      }
      const name = c.name ?? org.name;
      const sector = c.sector !== undefined ? c.sector : org.sector;
      if (name !== org.name || sector !== org.sector) {
        if ((await this.orgs.setDetails(orgId, { name, sector }, tx)) === 'name-taken') {
          throw new Conflict('org-name-taken', 'an organisation with this name exists');
        }
        await this.audit.append(
          {
            action: 'org.changed',
            ...auditActor(actor),
            subjectOrgId: orgId,
            oldValue: { name: org.name, sector: org.sector },
            newValue: { name, sector },
            reason: c.reason,
          },
          tx,
        );
      }
    });
    if (c.trustLevel !== undefined) {
      if (c.trustLevel === 0) {
        this.sockets.disconnectOrg(orgId);
      } else {
        this.sockets.orgChanged(orgId, c.trustLevel);
      }
      this.log.log({ orgId, trustLevel: c.trustLevel, by: actor.keyId }, 'trust level changed');
    }
    const after = await this.orgs.findById(orgId);
    if (!after) {
      throw new NotFound('org');
    }
    return after;
  }
}
