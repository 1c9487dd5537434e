import { Injectable } from '@nestjs/common';
import { Db } from '@tocsin/db';
import type { AlertLogVersion, Micros, TlpLabel } from '@tocsin/domain';

/** A publish-log entry about an alert, with what visibility and paging need. */
export interface TaxiiLogEntry {
  readonly seq: number;
  readonly event: AlertLogVersion['event'];
  readonly alertId: string;
  readonly tlp: TlpLabel;
  readonly sourceOrgId: string;
  readonly recipients: readonly string[];
  readonly at: Micros;
}

const EVENTS = `('alert', 'alert-updated', 'alert-revoked')`;
const AT_US = `(EXTRACT(EPOCH FROM pl.published_at) * 1000000)::bigint::text AS at_us`;

interface Row {
  seq: string;
  event: AlertLogVersion['event'];
  alert_id: string;
  tlp: TlpLabel;
  source_org_id: string;
  recipients: string[];
  at_us: string;
}

/** The publish log as TAXII reads it: alert entries in seq order, with their time to the microsecond. */
@Injectable()
export class TaxiiLogRepository {
  constructor(private readonly db: Db) {}

  /**
   * Alert entries from `fromSeq` (inclusive) that might be visible to this org: a superset of what the policy
   * allows (RED narrowed in SQL; the caller decides with mayReceive). `ownOnly`: only the org's own alerts.
   */
  async scan(orgId: string, fromSeq: number, limit: number, ownOnly: boolean): Promise<TaxiiLogEntry[]> {
    const rows = await this.db.manager().query<Row[]>(
      `SELECT pl.seq, pl.event, pl.alert_id, pl.tlp, pl.source_org_id, pl.recipients, ${AT_US}
       FROM publish_log pl
       WHERE pl.seq >= $1 AND pl.event IN ${EVENTS}
         AND (pl.tlp <> 'RED' OR pl.source_org_id = $2 OR $2 = ANY(pl.recipients))
         AND (NOT $4 OR pl.source_org_id = $2)
       ORDER BY pl.seq LIMIT $3`,
      [fromSeq, orgId, limit, ownOnly],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      event: r.event,
      alertId: r.alert_id,
      tlp: r.tlp,
      sourceOrgId: r.source_org_id,
      recipients: r.recipients,
      at: BigInt(r.at_us),
    }));
  }

  /** Every alert entry of these alerts (their versions), in seq order, payloads without indicators. */
  async versionsOf(alertIds: readonly string[]): Promise<Map<string, AlertLogVersion[]>> {
    const out = new Map<string, AlertLogVersion[]>();
    if (alertIds.length === 0) {
      return out;
    }
    const rows = await this.db.manager().query<(Row & { payload: Record<string, unknown> })[]>(
      `SELECT pl.seq, pl.event, pl.alert_id, ${AT_US},
              jsonb_build_object('title', pl.payload->'title', 'description', pl.payload->'description',
                                 'severity', pl.payload->'severity', 'validUntil', pl.payload->'validUntil') AS payload
       FROM publish_log pl
       WHERE pl.alert_id = ANY($1::uuid[]) AND pl.event IN ${EVENTS}
       ORDER BY pl.seq`,
      [[...alertIds]],
    );
    for (const r of rows) {
      const list = out.get(r.alert_id) ?? [];
      list.push({ seq: Number(r.seq), event: r.event, at: BigInt(r.at_us), payload: r.payload });
      out.set(r.alert_id, list);
    }
    return out;
  }

  /** The last entry at or before this time (0: none), where a scan for `added_after` starts. */
  async seqAtOrBefore(at: Micros): Promise<number> {
    const rows = await this.db.manager().query<{ seq: string | null }[]>(
      // published_at increases with seq: the newest entry at or before the time, found through its index.
      `SELECT seq FROM publish_log
       WHERE published_at <= 'epoch'::timestamptz + $1::bigint * interval '1 microsecond'
       ORDER BY published_at DESC LIMIT 1`,
      [at.toString()],
    );
    return Number(rows[0]?.seq ?? 0);
  }
}
