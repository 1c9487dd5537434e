import { Injectable } from '@nestjs/common';
import { Db, type Tx } from '@tocsin/db';
import { storedFilter, type SubscriptionFilter } from '@tocsin/domain';

export interface SubscriptionRow {
  readonly id: string;
  readonly orgId: string;
  readonly name: string | null;
  readonly filters: SubscriptionFilter;
  readonly ackedSeq: number;
  readonly ackedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface Row {
  id: string;
  org_id: string;
  name: string | null;
  filters: unknown;
  acked_seq: string;
  acked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toRow = (r: Row): SubscriptionRow => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  filters: storedFilter(r.filters),
  ackedSeq: Number(r.acked_seq),
  ackedAt: r.acked_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS = 'id, org_id, name, filters, acked_seq, acked_at, created_at, updated_at';

/** Subscriptions, org-scoped by signature: every read and write names the owning organisation. */
@Injectable()
export class SubscriptionRepository {
  constructor(private readonly db: Db) {}

  /** Serializes creations per organisation (for the per-org limit) until the transaction ends. */
  async lockOrg(orgId: string, tx: Tx): Promise<number> {
    const m = this.db.manager(tx);
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('subscriptions:' || $1, 0))`, [orgId]);
    const rows = await m.query<{ n: string }[]>(`SELECT count(*) AS n FROM subscriptions WHERE org_id = $1`, [orgId]);
    return Number(rows[0]?.n ?? 0);
  }

  /** A new subscription's cursor starts at the publish log's head: it resumes from when it was created. */
  async create(s: { id: string; orgId: string; name: string | null; filters: SubscriptionFilter }, tx: Tx) {
    const rows = await this.db.manager(tx).query<Row[]>(
      `INSERT INTO subscriptions (id, org_id, name, filters, acked_seq)
       SELECT $1, $2, $3, $4::jsonb, COALESCE(MAX(seq), 0) FROM publish_log
       RETURNING ${COLUMNS}`,
      [s.id, s.orgId, s.name, JSON.stringify(s.filters)],
    );
    return toRow(rows[0]!);
  }

  async listOwn(orgId: string): Promise<SubscriptionRow[]> {
    const rows = await this.db
      .manager()
      .query<Row[]>(`SELECT ${COLUMNS} FROM subscriptions WHERE org_id = $1 ORDER BY created_at, id`, [orgId]);
    return rows.map(toRow);
  }

  /** Those of `ids` that belong to the organisation (the others are absent, as if they did not exist). */
  async findOwn(orgId: string, ids: readonly string[]): Promise<SubscriptionRow[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await this.db
      .manager()
      .query<Row[]>(`SELECT ${COLUMNS} FROM subscriptions WHERE org_id = $1 AND id = ANY($2::uuid[])`, [
        orgId,
        [...ids],
      ]);
    return rows.map(toRow);
  }

  async update(
    orgId: string,
    id: string,
    change: { name?: string | null; filters?: SubscriptionFilter },
  ): Promise<SubscriptionRow | null> {
    const rows = await this.db.manager().query<[Row[], number]>(
      `UPDATE subscriptions SET
         name = CASE WHEN $3 THEN $4 ELSE name END,
         filters = COALESCE($5::jsonb, filters),
         updated_at = now()
       WHERE org_id = $1 AND id = $2
       RETURNING ${COLUMNS}`,
      [
        orgId,
        id,
        change.name !== undefined,
        change.name ?? null,
        change.filters ? JSON.stringify(change.filters) : null,
      ],
    );
    const row = rows[0]?.[0];
    return row ? toRow(row) : null;
  }

  async remove(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .manager()
      .query<[unknown[], number]>(`DELETE FROM subscriptions WHERE org_id = $1 AND id = $2 RETURNING id`, [orgId, id]);
    return r[0].length > 0;
  }

  /**
   * Stores acknowledged seqs, many subscriptions in one statement. Monotonic: a cursor never moves back, whatever
   * order acks arrive in from several processes. Only the owning organisation's subscriptions are touched.
   */
  async ack(acks: readonly { id: string; orgId: string; seq: number }[]): Promise<void> {
    if (acks.length === 0) {
      return;
    }
    await this.db.manager().query(
      `UPDATE subscriptions s SET acked_seq = GREATEST(s.acked_seq, v.seq), acked_at = now()
       FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS v(id, org_id, seq)
       WHERE s.id = v.id AND s.org_id = v.org_id`,
      [acks.map((a) => a.id), acks.map((a) => a.orgId), acks.map((a) => a.seq)],
    );
  }
}
