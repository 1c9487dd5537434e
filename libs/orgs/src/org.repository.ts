import { Injectable } from '@nestjs/common';
import { Db, OrgEntity, type Tx } from '@tocsin/db';
import type { NewOrg, TrustLevel } from '@tocsin/domain';

export interface Org {
  readonly id: string;
  readonly name: string;
  readonly country: string | null;
  readonly sector: string | null;
  readonly trustLevel: TrustLevel;
  readonly isHub: boolean;
  readonly createdAt: Date;
}

/** What an operator may know of an org it may name on a TLP:RED alert. */
export interface RedRecipient {
  readonly id: string;
  readonly name: string;
  readonly country: string | null;
}

const toOrg = (e: OrgEntity): Org => ({
  id: e.id,
  name: e.name,
  country: e.country,
  sector: e.sector,
  trustLevel: e.trustLevel as TrustLevel,
  isHub: e.isHub,
  createdAt: e.createdAt,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

@Injectable()
export class OrgRepository {
  constructor(private readonly db: Db) {}

  async insert(
    org: Omit<NewOrg, 'country'> & { country: string | null; isHub?: boolean },
    tx?: Tx,
  ): Promise<Org | 'name-taken'> {
    const m = this.db.manager(tx);
    const rows = await m.query<OrgEntity[]>(
      `INSERT INTO orgs (name, country, sector, trust_level, is_hub) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING id`,
      [org.name, org.country, org.sector, org.trustLevel, org.isHub ?? false],
    );
    const id = rows[0]?.id;
    if (!id) {
      return 'name-taken';
    }
    const e = await m.findOneByOrFail(OrgEntity, { id });
    return toOrg(e);
  }

  async findById(id: string, tx?: Tx): Promise<Org | null> {
    if (!isUuid(id)) {
      return null;
    }
    const e = await this.db.manager(tx).findOneBy(OrgEntity, { id });
    return e ? toOrg(e) : null;
  }

  async findByIds(ids: readonly string[], tx?: Tx): Promise<Org[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) {
      return [];
    }
    const rows = await this.db.manager(tx).query<OrgEntity[]>(
      `SELECT id, name, country, sector, trust_level AS "trustLevel", is_hub AS "isHub", created_at AS "createdAt"
       FROM orgs WHERE id = ANY($1::uuid[])`,
      [valid],
    );
    return rows.map(toOrg);
  }

  /** Orgs in id order, after `after` (an org id cursor, checked by the caller). */
  async list(limit: number, after: string | null, onlyId: string | null): Promise<Org[]> {
    const qb = this.db.manager().createQueryBuilder(OrgEntity, 'o').orderBy('o.id', 'ASC').take(limit);
    if (after) {
      qb.andWhere('o.id > :after', { after });
    }
    if (onlyId) {
      qb.andWhere('o.id = :onlyId', { onlyId });
    }
    return (await qb.getMany()).map(toOrg);
  }

  /**
   * The orgs that may be named as RED recipients (trust at least `minTrust`, never a suspended one), other than
   * `exceptId`, by name; only id, name and country.
   */
  async redRecipients(minTrust: number, exceptId: string, limit: number): Promise<RedRecipient[]> {
    return this.db.manager().query<RedRecipient[]>(
      `SELECT id, name, country FROM orgs WHERE trust_level >= $1 AND trust_level > 0 AND id <> $2
       ORDER BY lower(name), id LIMIT $3`,
      [minTrust, exceptId, limit],
    );
  }

  async lockById(id: string, tx: Tx): Promise<Org | null> {
    if (!isUuid(id)) {
      return null;
    }
    const e = await this.db.manager(tx).findOne(OrgEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    return e ? toOrg(e) : null;
  }

  /** A new name and sector; 'name-taken' when another organisation has the name (compared case-insensitively). */
  async setDetails(id: string, d: { name: string; sector: string | null }, tx: Tx): Promise<'ok' | 'name-taken'> {
    try {
      await this.db.manager(tx).query('UPDATE orgs SET name = $2, sector = $3 WHERE id = $1', [id, d.name, d.sector]);
    } catch (e) {
      // The unique index on lower(name) answers; the caller's transaction then rolls back.
      if ((e as { code?: string }).code === '23505') {
        return 'name-taken';
      }
      throw e;
    }
    return 'ok';
  }

  async setTrust(id: string, trustLevel: TrustLevel, tx: Tx): Promise<void> {
    await this.db.manager(tx).update(OrgEntity, { id }, { trustLevel });
  }

  async hubExists(tx?: Tx): Promise<boolean> {
    return (await this.db.manager(tx).countBy(OrgEntity, { isHub: true })) > 0;
  }

  async lockBootstrap(tx: Tx, key: number): Promise<void> {
    await this.db.manager(tx).query('SELECT pg_advisory_xact_lock($1)', [key]);
  }
}
