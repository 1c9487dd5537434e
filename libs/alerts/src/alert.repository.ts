import { Injectable } from '@nestjs/common';
import { AlertEntity, Db, IndicatorEntity, type Tx } from '@tocsin/db';
import type { AlertStatus, IndicatorType, Severity, TlpLabel } from '@tocsin/domain';

export interface AlertRecord {
  readonly id: string;
  readonly sourceOrgId: string;
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly tlp: TlpLabel;
  readonly recipients: readonly string[];
  readonly status: AlertStatus;
  readonly statusReason: string | null;
  readonly approved: boolean;
  readonly sourceFormat: string;
  readonly indicatorCount: number;
  readonly rejectedCount: number;
  readonly publishedSeq: string | null;
  readonly requestId: string | null;
  readonly submittedAt: Date;
  readonly updatedAt: Date;
}

export interface IndicatorRow {
  readonly position: number;
  readonly type: IndicatorType;
  readonly rawValue: string;
  readonly canonicalValue: string | null;
  readonly rejection: string | null;
}

const toRecord = (e: AlertEntity): AlertRecord => ({
  id: e.id,
  sourceOrgId: e.sourceOrgId,
  title: e.title,
  description: e.description,
  severity: e.severity as Severity,
  tlp: e.tlp as TlpLabel,
  recipients: e.recipients,
  status: e.status as AlertStatus,
  statusReason: e.statusReason,
  approved: e.approved,
  sourceFormat: e.sourceFormat,
  indicatorCount: e.indicatorCount,
  rejectedCount: e.rejectedCount,
  publishedSeq: e.publishedSeq,
  requestId: e.requestId,
  submittedAt: e.submittedAt,
  updatedAt: e.updatedAt,
});

/** Rows per multi-row INSERT: 5 parameters each, well under PostgreSQL's 65,535. */
const INSERT_BATCH = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class AlertRepository {
  constructor(private readonly db: Db) {}

  async insert(
    a: {
      sourceOrgId: string;
      title: string;
      description: string | null;
      severity: Severity;
      tlp: TlpLabel;
      recipients: readonly string[];
      sourceFormat: string;
      requestId: string | null;
      indicatorCount: number;
    },
    tx: Tx,
  ): Promise<AlertRecord> {
    const m = this.db.manager(tx);
    const e = m.create(AlertEntity, { ...a, recipients: [...a.recipients], status: 'queued', approved: false });
    return toRecord(await m.save(AlertEntity, e));
  }

  /** Writes indicators in multi-row batches (never row by row). */
  async insertIndicators(alertId: string, rows: readonly IndicatorRow[], tx: Tx): Promise<void> {
    const m = this.db.manager(tx);
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const batch = rows.slice(i, i + INSERT_BATCH);
      await m
        .createQueryBuilder()
        .insert()
        .into(IndicatorEntity)
        .values(batch.map((r) => ({ alertId, ...r })))
        .execute();
    }
  }

  async replaceIndicators(alertId: string, rows: readonly IndicatorRow[], tx: Tx): Promise<void> {
    await this.db.manager(tx).delete(IndicatorEntity, { alertId });
    await this.insertIndicators(alertId, rows, tx);
  }

  async findIndicators(alertId: string, afterPosition: number, limit: number, tx?: Tx): Promise<IndicatorRow[]> {
    const rows = await this.db.manager(tx).query<
      {
        position: number;
        type: IndicatorType;
        raw_value: string;
        canonical_value: string | null;
        rejection: string | null;
      }[]
    >(
      `SELECT position, type, raw_value, canonical_value, rejection FROM indicators
       WHERE alert_id = $1 AND position > $2 ORDER BY position LIMIT $3`,
      [alertId, afterPosition, limit],
    );
    return rows.map((r) => ({
      position: r.position,
      type: r.type,
      rawValue: r.raw_value,
      canonicalValue: r.canonical_value,
      rejection: r.rejection,
    }));
  }

  /** The alert, locked for the rest of the transaction (pipeline stages serialize on it). */
  async lockById(id: string, tx: Tx): Promise<AlertRecord | null> {
    const e = await this.db.manager(tx).findOne(AlertEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    return e ? toRecord(e) : null;
  }

  /** Raw read for visibility checks done by the caller with the domain policy; never returned unfiltered. */
  async findForViewer(id: string): Promise<AlertRecord | null> {
    if (!UUID.test(id)) {
      return null;
    }
    const e = await this.db.manager().findOneBy(AlertEntity, { id });
    return e ? toRecord(e) : null;
  }

  async update(
    id: string,
    patch: Partial<
      Pick<AlertRecord, 'status' | 'statusReason' | 'approved' | 'indicatorCount' | 'rejectedCount' | 'publishedSeq'>
    >,
    tx: Tx,
  ): Promise<void> {
    await this.db.manager(tx).update(AlertEntity, { id }, patch);
  }

  /** Alerts stuck in a non-terminal stage for longer than `staleMs` (their job may have been lost). */
  async findStale(
    staleMs: number,
    limit: number,
  ): Promise<Pick<AlertRecord, 'id' | 'status' | 'approved' | 'requestId'>[]> {
    const rows = await this.db
      .manager()
      .query<{ id: string; status: AlertStatus; approved: boolean; request_id: string | null }[]>(
        `SELECT id, status, approved, request_id FROM alerts
       WHERE (status IN ('queued', 'normalized') OR (status = 'pending_review' AND approved))
         AND updated_at < now() - ($1::int * interval '1 millisecond')
       ORDER BY updated_at LIMIT $2`,
        [staleMs, limit],
      );
    return rows.map((r) => ({ id: r.id, status: r.status, approved: r.approved, requestId: r.request_id }));
  }

  async touch(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await this.db.manager().query(`UPDATE alerts SET updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
    }
  }
}
