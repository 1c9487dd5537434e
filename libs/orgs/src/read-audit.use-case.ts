import { Injectable } from '@nestjs/common';
import { decideOrgAccess, type Actor } from '@tocsin/domain';
import { Forbidden, Invalid, NotFound } from '@tocsin/platform';
import { AuditRepository, type AuditEntry } from './audit.repository';
import { OrgRepository, isUuid } from './org.repository';

/** The audit trail, newest first, paged by entry id: all of it for the hub's admins, one org's for its admins. */
@Injectable()
export class ReadAuditUseCase {
  constructor(
    private readonly audit: AuditRepository,
    private readonly orgs: OrgRepository,
  ) {}

  /** GET /api/v1/orgs/:id/audit: one organisation's entries, for its admins and the hub's. */
  async forOrg(
    actor: Actor,
    orgId: string,
    limit: number,
    cursor: string | null,
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const d = decideOrgAccess(actor, orgId, 'user.manage');
    if (d === 'forbidden') {
      throw new Forbidden('only admins may read the audit trail');
    }
    if (d === 'not-found' || !(await this.orgs.findById(orgId))) {
      throw new NotFound('org');
    }
    return this.page(limit, cursor, orgId);
  }

  /** GET /api/v1/audit: the hub's admins, every org's entries or (`?orgId=`) one's. */
  async execute(
    actor: Actor,
    limit: number,
    cursor: string | null,
    orgId: string | null,
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    if (decideOrgAccess(actor, actor.orgId, 'org.manage') !== 'allow') {
      throw new Forbidden('only the hub’s admins may read the audit trail');
    }
    if (orgId !== null && !isUuid(orgId)) {
      throw new Invalid([{ pointer: '?orgId', detail: 'must be an organisation id (a UUID)' }], 'invalid-query');
    }
    return this.page(limit, cursor, orgId);
  }

  private async page(
    limit: number,
    cursor: string | null,
    orgId: string | null,
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    if (cursor !== null && !/^\d{1,18}$/.test(cursor)) {
      throw new Invalid([{ pointer: '?cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
    }
    const rows = await this.audit.page(limit + 1, cursor, orgId);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }
}
