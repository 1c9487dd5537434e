import { Injectable } from '@nestjs/common';
import { Db, type Tx } from '@tocsin/db';
import type { Constituency } from '@tocsin/domain';

export interface StoredConstituency extends Constituency {
  readonly orgId: string;
  readonly version: number;
  readonly updatedAt: Date;
}

interface Row {
  org_id: string;
  countries: string[];
  asns: string[];
  cidrs: string[];
  domains: string[];
  version: number;
  updated_at: Date;
}

const toStored = (r: Row): StoredConstituency => ({
  orgId: r.org_id,
  countries: r.countries,
  asns: r.asns,
  cidrs: r.cidrs,
  domains: r.domains,
  version: r.version,
  updatedAt: r.updated_at,
});

const COLUMNS = 'org_id, countries, asns, cidrs, domains, version, updated_at';

/** Each organisation's constituency: one row per org, read and replaced whole, its version bumped on each change. */
@Injectable()
export class ConstituencyRepository {
  constructor(private readonly db: Db) {}

  async findForOrg(orgId: string, tx?: Tx): Promise<StoredConstituency | null> {
    const rows = await this.db
      .manager(tx)
      .query<Row[]>(`SELECT ${COLUMNS} FROM constituencies WHERE org_id = $1`, [orgId]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Replaces the org's constituency (locking its row first when it has one) and returns it with its new version. */
  async replace(orgId: string, c: Constituency, tx: Tx): Promise<StoredConstituency> {
    const rows = await this.db.manager(tx).query<Row[]>(
      `INSERT INTO constituencies (org_id, countries, asns, cidrs, domains)
       VALUES ($1, $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (org_id) DO UPDATE SET countries = EXCLUDED.countries, asns = EXCLUDED.asns,
         cidrs = EXCLUDED.cidrs, domains = EXCLUDED.domains, version = constituencies.version + 1, updated_at = now()
       RETURNING ${COLUMNS}`,
      [orgId, [...c.countries], [...c.asns], [...c.cidrs], [...c.domains]],
    );
    return toStored(rows[0]!);
  }

  /** The current version of each of these orgs' constituencies (orgs without one are absent). */
  async versions(orgIds: readonly string[]): Promise<Map<string, number>> {
    if (orgIds.length === 0) {
      return new Map();
    }
    const rows = await this.db
      .manager()
      .query<{ org_id: string; version: number }[]>(
        `SELECT org_id, version FROM constituencies WHERE org_id = ANY($1::uuid[])`,
        [[...orgIds]],
      );
    return new Map(rows.map((r) => [r.org_id, r.version]));
  }
}
