import { Injectable } from '@nestjs/common';
import { Db, type TaxiiStatusObjectColumn, type Tx } from '@tocsin/db';
import { isUuid, type AlertStatus } from '@tocsin/domain';
import { TAXII_STATUS_TTL_DAYS, type StatusObject, type StatusRecord } from './taxii-status';

/** Expired statuses deleted per stored one (a bounded batch, as idempotency keys are purged). */
const PURGE_BATCH = 100;

export interface NewTaxiiStatus {
  readonly id: string;
  readonly orgId: string;
  readonly alertId: string | null;
  readonly requestTimestamp: Date;
  readonly objects: readonly StatusObject[];
}

/** The alerts an organisation's accepted TAXII objects went into, per object id (what a TAXII DELETE withdraws). */
export interface SubmittedObjectAlert {
  readonly alertId: string;
  readonly version: string;
}

/**
 * Status resources of TAXII "add objects" requests, org-scoped by signature: a status is found only with the org
 * that sent it, and reads the current status of the alert it produced (one query).
 */
@Injectable()
export class TaxiiStatusRepository {
  constructor(private readonly db: Db) {}

  /** Stores one request's status (in the submission's transaction when given), and deletes a batch of expired ones. */
  async insert(s: NewTaxiiStatus, tx?: Tx): Promise<void> {
    const m = this.db.manager(tx);
    await m.query(
      `DELETE FROM taxii_statuses WHERE ctid IN (
         SELECT ctid FROM taxii_statuses WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      [PURGE_BATCH],
    );
    const objects: TaxiiStatusObjectColumn[] = s.objects.map((o) => ({ ...o }));
    await m.query(
      `INSERT INTO taxii_statuses (id, org_id, alert_id, request_timestamp, total_count, objects, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $4::timestamptz + make_interval(days => $7))`,
      [
        s.id,
        s.orgId,
        s.alertId,
        s.requestTimestamp.toISOString(),
        s.objects.length,
        JSON.stringify(objects),
        TAXII_STATUS_TTL_DAYS,
      ],
    );
  }

  /** The status `id` if `orgId` sent it and it has not expired, with its alert's current stage; else null. */
  async findOwn(orgId: string, id: string): Promise<StatusRecord | null> {
    if (!isUuid(id)) {
      return null;
    }
    const rows = await this.db.manager().query<
      {
        id: string;
        request_timestamp: Date;
        objects: StatusObject[];
        alert_id: string | null;
        status: AlertStatus | null;
        status_reason: string | null;
      }[]
    >(
      `SELECT s.id, s.request_timestamp, s.objects, s.alert_id, a.status, a.status_reason
         FROM taxii_statuses s LEFT JOIN alerts a ON a.id = s.alert_id
        WHERE s.id = $1 AND s.org_id = $2 AND s.expires_at > now()`,
      [id, orgId],
    );
    const row = rows[0];
    if (!row) {
      return null;
    }
    return {
      id: row.id,
      requestTimestamp: new Date(row.request_timestamp),
      objects: row.objects,
      alert: row.status === null ? null : { status: row.status, statusReason: row.status_reason },
    };
  }

  /**
   * The alerts that `orgId`'s accepted objects with this id went into, newest request first (statuses not yet
   * expired; refused objects are not there).
   */
  async alertsHolding(orgId: string, objectId: string): Promise<SubmittedObjectAlert[]> {
    const rows = await this.db.manager().query<{ alert_id: string; version: string }[]>(
      `SELECT s.alert_id, o.version
         FROM taxii_statuses s, jsonb_to_recordset(s.objects) AS o(id text, version text, refusal text)
        WHERE s.org_id = $1 AND s.objects @> $2::jsonb AND s.expires_at > now() AND s.alert_id IS NOT NULL
          AND o.id = $3 AND o.refusal IS NULL
        ORDER BY s.request_timestamp DESC
        LIMIT 1000`,
      [orgId, JSON.stringify([{ id: objectId }]), objectId],
    );
    return rows.map((r) => ({ alertId: r.alert_id, version: r.version }));
  }
}
