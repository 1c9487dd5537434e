import { Injectable } from '@nestjs/common';
import { AuditEntryEntity, Db, type Tx } from '@tocsin/db';

export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  readonly action: string;
  readonly actorOrgId: string;
  readonly actorKeyId: string | null;
  readonly actorUserId: string | null;
  readonly subjectOrgId: string;
  readonly oldValue: Record<string, unknown>;
  readonly newValue: Record<string, unknown>;
  readonly reason: string;
}

/** Appends to and reads the audit trail; there is no method to change an entry (and the database refuses it). */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async append(e: Omit<AuditEntry, 'id' | 'at'>, tx: Tx): Promise<void> {
    await this.db.manager(tx).query(
      `INSERT INTO audit_log (action, actor_org_id, actor_key_id, actor_user_id, subject_org_id, old_value, new_value,
         reason) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
      [
        e.action,
        e.actorOrgId,
        e.actorKeyId,
        e.actorUserId,
        e.subjectOrgId,
        JSON.stringify(e.oldValue),
        JSON.stringify(e.newValue),
        e.reason,
      ],
    );
  }

  /** Newest first; `before` is an entry id cursor. */
  async page(limit: number, before: string | null, subjectOrgId: string | null): Promise<AuditEntry[]> {
    const qb = this.db.manager().createQueryBuilder(AuditEntryEntity, 'a').orderBy('a.id', 'DESC').take(limit);
    if (before) {
      qb.andWhere('a.id < :before', { before });
    }
    if (subjectOrgId) {
      qb.andWhere('a.subject_org_id = :subjectOrgId', { subjectOrgId });
    }
    return (await qb.getMany()).map((e) => ({ ...e }));
  }
}
