import { Injectable } from '@nestjs/common';
import { PUBLISH_LOCK } from './data-source';
import { Db, type Tx } from './db';
import type { TlpLabel } from '@tocsin/domain';

/**
 * What a publish-log entry announces; each becomes the socket event of the same name, except `coordinated` (a
 * version of a coordinated alert), which each recipient gets as `coordinated-alert`, `coordinated-alert-updated`
 * or not at all, by its own view.
 */
export type LogEvent = 'alert' | 'alert-updated' | 'alert-revoked' | 'sighting' | 'coordinated';

export interface LogEntry {
  readonly seq: number;
  readonly event: LogEvent;
  readonly alertId: string;
  /** For a `coordinated` entry, the coordinated alert (alertId is the report that made this version). */
  readonly coordinatedAlertId: string | null;
  readonly tlp: TlpLabel;
  readonly sourceOrgId: string;
  readonly recipients: readonly string[];
  readonly payload: Record<string, unknown>;
  readonly publishedAt: Date;
  /**
   * The source org's name as it stands now (read with the entry, never stored in the shared payload): only for
   * the viewers sourceView lets see an anonymous alert's org (its submitter, a hub admin).
   */
  readonly sourceOrgName: string | null;
}

interface Row {
  seq: string;
  event: LogEvent;
  alert_id: string;
  coordinated_alert_id: string | null;
  tlp: TlpLabel;
  source_org_id: string;
  recipients: string[];
  payload: Record<string, unknown>;
  published_at: Date;
  source_org_name: string | null;
}

const toEntry = (r: Row): LogEntry => ({
  seq: Number(r.seq),
  event: r.event,
  alertId: r.alert_id,
  coordinatedAlertId: r.coordinated_alert_id,
  tlp: r.tlp,
  sourceOrgId: r.source_org_id,
  recipients: r.recipients,
  payload: r.payload,
  publishedAt: r.published_at,
  sourceOrgName: r.source_org_name,
});

const COLUMNS = `pl.seq, pl.event, pl.alert_id, pl.coordinated_alert_id, pl.tlp, pl.source_org_id, pl.recipients,
  pl.payload, pl.published_at, o.name AS source_org_name`;
const FROM = 'publish_log pl LEFT JOIN orgs o ON o.id = pl.source_org_id';

/**
 * How many microseconds an entry about this alert holds for itself: one per STIX object its TAXII export can hold
 * (at most one per accepted indicator, plus the sender's identity and the report), and some to spare.
 */
const span = (alertId: string) => `(8 + COALESCE((SELECT a.indicator_count FROM alerts a WHERE a.id = ${alertId}), 0))`;

/**
 * The `published_at` of the next entry, under the publish lock: the clock, or the end of the last entry's span
 * when the clock has not moved past it (entries in the same microsecond, a clock step back). So `published_at`
 * strictly increases with seq, and each entry owns the microseconds up to the next one's: TAXII's `date_added` of
 * an entry's n-th object is `published_at` + n µs, unique and in log order, so a client paging by `added_after`
 * never has a tie split between two pages. (A sustained burst of large alerts can run ahead of the clock by the
 * spans it reserves; the clock catches up once the burst ends.)
 */
const NEXT_PUBLISHED_AT = `GREATEST(clock_timestamp(),
  (SELECT l.published_at + ${span('l.alert_id')} * interval '1 microsecond'
   FROM publish_log l ORDER BY l.seq DESC LIMIT 1))`;

/** An `alert` entry to append (appendManyStatement). */
export interface AppendEntry {
  readonly alertId: string;
  readonly tlp: TlpLabel;
  readonly sourceOrgId: string;
  readonly recipients: readonly string[];
  /** The payload as JSON text (the caller serialises it once: a wake-up may carry the same text). */
  readonly payloadJson: string;
}

/**
 * Group commit: the INSERT that appends several `alert` entries with consecutive seqs, in the given order, RETURNING
 * seq, alert_id, published_at, with its placeholders numbered from `$first`. The caller runs it as a data-modifying
 * CTE of its own statement (AlertStore.transitionManyPublishing writes the seqs to the alerts in the same statement),
 * under the publish lock taken by an EARLIER statement of its transaction (lockForAppend, or the one-hop group's
 * indicator write): commit order then equals seq order, with no gap.
 */
export function appendManyStatement(
  entries: readonly AppendEntry[],
  first: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const values = entries.map((e, i) => {
    const at = first + params.length;
    params.push(e.alertId, e.tlp, e.sourceOrgId, [...e.recipients], e.payloadJson);
    return `(${i + 1}, $${at}::uuid, $${at + 1}::text, $${at + 2}::uuid, $${at + 3}::uuid[], $${at + 4}::jsonb)`;
  });
  return {
    sql: `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload, published_at)
       SELECT b.top + v.n, 'alert', v.alert_id, v.tlp, v.source_org_id, v.recipients, v.payload,
              b.at + (SUM(${span('v.alert_id')}) OVER (ORDER BY v.n) - ${span('v.alert_id')}) * interval '1 microsecond'
       FROM (SELECT COALESCE(MAX(seq), 0) AS top, ${NEXT_PUBLISHED_AT} AS at FROM publish_log) b,
            (VALUES ${values.join(', ')}) AS v(n, alert_id, tlp, source_org_id, recipients, payload)
       RETURNING seq, alert_id, published_at`,
    params,
  };
}

@Injectable()
export class PublishLogRepository {
  constructor(private readonly db: Db) {}

  /**
   * Appends an entry. The advisory lock is taken inside the publishing transaction and held until it commits,
   * so seq assignment and commit are one critical section: commit order equals seq order, and a reader who
   * has seen seq N never later finds a new entry below N. Publishing is serialized hub-wide; each publishing
   * transaction is short (one insert, one update), which keeps that cheap.
   */
  async append(
    e: {
      event: LogEvent;
      alertId: string;
      coordinatedAlertId?: string;
      tlp: TlpLabel;
      sourceOrgId: string;
      recipients: readonly string[];
      payload: Record<string, unknown>;
    },
    tx: Tx,
  ): Promise<number> {
    const m = this.db.manager(tx);
    await this.lockForAppend(tx);
    const rows = await m.query<{ seq: string }[]>(
      `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload, coordinated_alert_id,
                                published_at)
       SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, $5::uuid[], $6::jsonb, $7, ${NEXT_PUBLISHED_AT}
       FROM publish_log
       RETURNING seq`,
      [
        e.event,
        e.alertId,
        e.tlp,
        e.sourceOrgId,
        [...e.recipients],
        JSON.stringify(e.payload),
        e.coordinatedAlertId ?? null,
      ],
    );
    return Number(rows[0]?.seq);
  }

  /**
   * Takes PUBLISH_LOCK in `tx`, in a statement of its own, before the INSERT (append's, or appendManyStatement's) runs in a LATER one (a
   * statement's snapshot predates its own lock wait, so MAX(seq) would miss the entry committed by the lock's
   * previous holder).
   */
  async lockForAppend(tx: Tx): Promise<void> {
    await this.db.manager(tx).query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
  }

  /** Entries after `afterSeq` (and up to `upTo` when given), in seq order. */
  async readAfter(afterSeq: number, limit: number, upTo?: number): Promise<LogEntry[]> {
    const rows = await this.db
      .manager()
      .query<Row[]>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE pl.seq > $1 AND ($2::bigint IS NULL OR pl.seq <= $2) ORDER BY pl.seq LIMIT $3`,
        [afterSeq, upTo ?? null, limit],
      );
    return rows.map(toEntry);
  }

  /**
   * Entries after `afterSeq` up to `upTo` that might be visible to this org; a superset of what the policy
   * allows (RED narrowed in SQL), which the caller filters with mayReceive. Every coordinated-alert entry is a
   * candidate: whether a recipient gets it depends on its view of the whole snapshot.
   */
  async readCandidatesFor(orgId: string, afterSeq: number, upTo: number, limit: number): Promise<LogEntry[]> {
    const rows = await this.db.manager().query<Row[]>(
      `SELECT ${COLUMNS} FROM ${FROM}
       WHERE pl.seq > $1 AND pl.seq <= $2
         AND (pl.event = 'coordinated' OR pl.tlp <> 'RED' OR pl.source_org_id = $3 OR $3 = ANY(pl.recipients))
       ORDER BY pl.seq LIMIT $4`,
      [afterSeq, upTo, orgId, limit],
    );
    return rows.map(toEntry);
  }

  /** The `alert` entry (as published, whole) of each of these alerts, in seq order. */
  async alertEntriesOf(alertIds: readonly string[]): Promise<LogEntry[]> {
    if (alertIds.length === 0) {
      return [];
    }
    const rows = await this.db
      .manager()
      .query<Row[]>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE pl.event = 'alert' AND pl.alert_id = ANY($1::uuid[]) ORDER BY pl.seq`,
        [[...alertIds]],
      );
    return rows.map(toEntry);
  }

  /**
   * For subscription filters: each of these alerts' `alert` entry payload as published (without its indicators)
   * and the types of all its pushed indicators.
   */
  async alertFacets(
    alertIds: readonly string[],
  ): Promise<{ alertId: string; payload: Record<string, unknown>; types: string[] }[]> {
    if (alertIds.length === 0) {
      return [];
    }
    const rows = await this.db
      .manager()
      .query<{ alert_id: string; payload: Record<string, unknown>; types: string[] }[]>(
        `SELECT pl.alert_id, pl.payload - 'indicators' AS payload,
              ARRAY(SELECT DISTINCT i.type FROM indicators i
                    WHERE i.alert_id = pl.alert_id AND i.type IS NOT NULL AND i.canonical_value IS NOT NULL) AS types
       FROM publish_log pl WHERE pl.event = 'alert' AND pl.alert_id = ANY($1::uuid[])`,
        [[...alertIds]],
      );
    return rows.map((r) => ({ alertId: r.alert_id, payload: r.payload, types: r.types }));
  }

  async maxSeq(): Promise<number> {
    const rows = await this.db.manager().query<{ max: string | null }[]>(`SELECT MAX(seq) AS max FROM publish_log`);
    return Number(rows[0]?.max ?? 0);
  }
}
