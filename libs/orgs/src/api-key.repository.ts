import { Injectable } from '@nestjs/common';
import { ApiKeyEntity, Db, type Tx } from '@tocsin/db';
import type { Role, TrustLevel } from '@tocsin/domain';
import { isUuid } from './org.repository';

export interface KeyRecord {
  readonly id: string;
  readonly orgId: string;
  readonly role: Role;
  readonly keyHash: Buffer;
  readonly revokedAt: Date | null;
  readonly orgTrustLevel: TrustLevel;
  readonly orgIsHub: boolean;
}

export interface KeySummary {
  readonly id: string;
  readonly orgId: string;
  readonly role: Role;
  readonly label: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly db: Db) {}

  async insert(
    key: { orgId: string; role: Role; lookupId: string; keyHash: Buffer; label: string | null },
    tx?: Tx,
  ): Promise<KeySummary> {
    const m = this.db.manager(tx);
    const saved = await m.save(ApiKeyEntity, m.create(ApiKeyEntity, { ...key, revokedAt: null }));
    return {
      id: saved.id,
      orgId: saved.orgId,
      role: saved.role as Role,
      label: saved.label,
      createdAt: saved.createdAt,
      revokedAt: null,
    };
  }

  /** The key with this lookup id, with its org's current trust: what authentication needs, in one query. */
  async findForAuth(lookupId: string): Promise<KeyRecord | null> {
    const rows = await this.db.manager().query<
      {
        id: string;
        org_id: string;
        role: Role;
        key_hash: Buffer;
        revoked_at: Date | null;
        trust_level: number;
        is_hub: boolean;
      }[]
    >(
      `SELECT k.id, k.org_id, k.role, k.key_hash, k.revoked_at, o.trust_level, o.is_hub
       FROM api_keys k JOIN orgs o ON o.id = k.org_id WHERE k.lookup_id = $1`,
      [lookupId],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          orgId: r.org_id,
          role: r.role,
          keyHash: r.key_hash,
          revokedAt: r.revoked_at,
          orgTrustLevel: r.trust_level as TrustLevel,
          orgIsHub: r.is_hub,
        }
      : null;
  }

  /** Of these key ids, those still usable (not revoked, org not suspended unless the hub). */
  async stillValid(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) {
      return new Set();
    }
    const rows = await this.db.manager().query<{ id: string }[]>(
      `SELECT k.id FROM api_keys k JOIN orgs o ON o.id = k.org_id
       WHERE k.id = ANY($1::uuid[]) AND k.revoked_at IS NULL AND (o.trust_level > 0 OR o.is_hub)`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Revokes a key of that org; null when the org has no such key. */
  async revoke(orgId: string, keyId: string, tx?: Tx): Promise<KeySummary | null> {
    if (!isUuid(keyId)) {
      return null;
    }
    const m = this.db.manager(tx);
    const e = await m.findOneBy(ApiKeyEntity, { id: keyId, orgId });
    if (!e) {
      return null;
    }
    if (!e.revokedAt) {
      e.revokedAt = new Date();
      await m.update(ApiKeyEntity, { id: keyId }, { revokedAt: e.revokedAt });
    }
    return {
      id: e.id,
      orgId: e.orgId,
      role: e.role as Role,
      label: e.label,
      createdAt: e.createdAt,
      revokedAt: e.revokedAt,
    };
  }

  /** Active admin keys of an org other than `exceptKeyId`. */
  async otherActiveAdmins(orgId: string, exceptKeyId: string): Promise<number> {
    const rows = await this.db
      .manager()
      .query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM api_keys WHERE org_id = $1 AND role = 'admin' AND revoked_at IS NULL AND id <> $2`,
        [orgId, exceptKeyId],
      );
    return rows[0]?.n ?? 0;
  }

  async listForOrg(orgId: string): Promise<KeySummary[]> {
    const rows = await this.db
      .manager()
      .find(ApiKeyEntity, { where: { orgId }, order: { createdAt: 'ASC' }, take: 1000 });
    return rows.map((e) => ({
      id: e.id,
      orgId: e.orgId,
      role: e.role as Role,
      label: e.label,
      createdAt: e.createdAt,
      revokedAt: e.revokedAt,
    }));
  }
}
