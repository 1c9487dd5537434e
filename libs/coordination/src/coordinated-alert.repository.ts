import { Injectable } from '@nestjs/common';
import { CORRELATION_LOCK, Db, type Tx } from '@tocsin/db';
import type { CoordinatedAlertStatus } from '@tocsin/domain';

export interface CoordinatedRow {
  readonly id: string;
  readonly status: CoordinatedAlertStatus;
  readonly version: number;
  readonly snapshot: unknown;
  readonly lastReport: Date;
}

interface Row {
  id: string;
  status: CoordinatedAlertStatus;
  version: number;
  snapshot: unknown;
  last_report: Date;
}

const toRow = (r: Row): CoordinatedRow => ({
  id: r.id,
  status: r.status,
  version: r.version,
  snapshot: r.snapshot,
  lastReport: r.last_report,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class CoordinatedAlertRepository {
  constructor(private readonly db: Db) {}

  /** Serializes detection with linking, hub-wide, until the transaction ends. */
  async lock(tx: Tx): Promise<void> {
    await this.db.manager(tx).query('SELECT pg_advisory_xact_lock($1)', [CORRELATION_LOCK]);
  }

  /** The oldest ACTIVE coordinated alert holding any of these reports, locked. */
  async findActiveHolding(alertIds: readonly string[], tx: Tx): Promise<CoordinatedRow | null> {
    const rows = await this.db.manager(tx).query<Row[]>(
      `SELECT c.id, c.status, c.version, c.snapshot, c.last_report FROM coordinated_alerts c
       WHERE c.status = 'active'
         AND EXISTS (SELECT 1 FROM coordinated_alert_parts p WHERE p.coordinated_alert_id = c.id AND p.alert_id = ANY($1::uuid[]))
       ORDER BY c.created_at, c.id LIMIT 1 FOR UPDATE`,
      [[...alertIds]],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Every coordinated alert (active or closed) in which the report still stands, locked, oldest first. */
  async findHolding(alertId: string, tx: Tx): Promise<CoordinatedRow[]> {
    const rows = await this.db.manager(tx).query<Row[]>(
      `SELECT c.id, c.status, c.version, c.snapshot, c.last_report FROM coordinated_alerts c
       JOIN coordinated_alert_parts p ON p.coordinated_alert_id = c.id
       WHERE p.alert_id = $1 AND p.left_version IS NULL
       ORDER BY c.created_at, c.id FOR UPDATE OF c`,
      [alertId],
    );
    return rows.map(toRow);
  }

  /** Every coordinated alert (active or closed) that holds or held any of these reports, unlocked. */
  async findAnyHolding(alertIds: readonly string[]): Promise<CoordinatedRow[]> {
    if (alertIds.length === 0) {
      return [];
    }
    const rows = await this.db.manager().query<Row[]>(
      `SELECT c.id, c.status, c.version, c.snapshot, c.last_report FROM coordinated_alerts c
       WHERE EXISTS (SELECT 1 FROM coordinated_alert_parts p WHERE p.coordinated_alert_id = c.id AND p.alert_id = ANY($1::uuid[]))`,
      [[...alertIds]],
    );
    return rows.map(toRow);
  }

  async markLeft(id: string, alertId: string, version: number, tx: Tx): Promise<void> {
    await this.db
      .manager(tx)
      .query(`UPDATE coordinated_alert_parts SET left_version = $3 WHERE coordinated_alert_id = $1 AND alert_id = $2`, [
        id,
        alertId,
        version,
      ]);
  }

  /**
   * A new coordinated alert holding these reports (version 1), its row written with placeholder dates and an empty
   * snapshot: the caller records version 1 (CoordinatedVersions) in the same transaction.
   */
  async create(partIds: readonly string[], tx: Tx): Promise<string> {
    const rows = await this.db.manager(tx).query<{ id: string }[]>(
      `INSERT INTO coordinated_alerts (status, version, first_report, last_report, snapshot)
       VALUES ('active', 1, now(), now(), '{}'::jsonb) RETURNING id`,
    );
    const id = rows[0]!.id;
    await this.addParts(id, partIds, 1, tx);
    return id;
  }

  async addParts(id: string, alertIds: readonly string[], version: number, tx: Tx): Promise<void> {
    if (alertIds.length > 0) {
      await this.db.manager(tx).query(
        `INSERT INTO coordinated_alert_parts (coordinated_alert_id, alert_id, joined_version)
         SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
        [id, [...alertIds], version],
      );
    }
  }

  async update(
    id: string,
    c: {
      status: CoordinatedAlertStatus;
      version: number;
      firstReport: Date;
      lastReport: Date;
      snapshot: unknown;
      close?: { reason: string; at: Date };
    },
    tx: Tx,
  ): Promise<void> {
    await this.db.manager(tx).query(
      `UPDATE coordinated_alerts
       SET status = $2, version = $3, first_report = $4, last_report = $5, snapshot = $6::jsonb, updated_at = now(),
           close_reason = COALESCE($7, close_reason), closed_at = COALESCE($8, closed_at)
       WHERE id = $1`,
      [
        id,
        c.status,
        c.version,
        c.firstReport,
        c.lastReport,
        JSON.stringify(c.snapshot),
        c.close?.reason ?? null,
        c.close?.at ?? null,
      ],
    );
  }

  async find(id: string, tx?: Tx, forUpdate = false): Promise<CoordinatedRow | null> {
    if (!UUID.test(id)) {
      return null;
    }
    const rows = await this.db
      .manager(tx)
      .query<Row[]>(
        `SELECT id, status, version, snapshot, last_report FROM coordinated_alerts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Newest first (by last report, then id), after the keyset cursor when given. */
  async page(
    status: CoordinatedAlertStatus | null,
    before: { lastReport: Date; id: string } | null,
    limit: number,
  ): Promise<CoordinatedRow[]> {
    const rows = await this.db.manager().query<Row[]>(
      `SELECT id, status, version, snapshot, last_report FROM coordinated_alerts
       WHERE ($1::text IS NULL OR status = $1)
         AND ($2::timestamptz IS NULL OR (last_report, id) < ($2::timestamptz, $3::uuid))
       ORDER BY last_report DESC, id DESC LIMIT $4`,
      [status, before?.lastReport ?? null, before?.id ?? null, limit],
    );
    return rows.map(toRow);
  }
}
