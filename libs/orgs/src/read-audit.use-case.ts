import { Injectable } from '@nestjs/common';
import { decideOrgAccess, type Actor } from '@tocsin/domain';
import { Forbidden, Invalid } from '@tocsin/platform';
import { AuditRepository, type AuditEntry } from './audit.repository';
import { isUuid } from './org.repository';

/** GET /api/v1/audit: the hub's admins read the trail, newest first, paged by entry id. */
@Injectable()
export class ReadAuditUseCase {
  constructor(private readonly audit: AuditRepository) {}

  async execute(
    actor: Actor,
    limit: number,
    cursor: string | null,
    orgId: string | null,
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    if (decideOrgAccess(actor, actor.orgId, 'org.manage') !== 'allow') {
      throw new Forbidden('only the hub’s admins may read the audit trail');
    }
    if (cursor !== null && !/^\d{1,18}$/.test(cursor)) {
      throw new Invalid([{ pointer: '?cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
    }
    if (orgId !== null && !isUuid(orgId)) {
      throw new Invalid([{ pointer: '?orgId', detail: 'must be an organisation id (a UUID)' }], 'invalid-query');
    }
    const rows = await this.audit.page(limit + 1, cursor, orgId);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }
}
