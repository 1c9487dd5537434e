import { Injectable } from '@nestjs/common';
import { CORRELATION_LOCK, Db, type Tx } from '@tocsin/db';
import type { AlertStatus, Attribution, TlpLabel, TrustLevel } from '@tocsin/domain';

/** Another organisation's alert linked to an alert, with what correlation and views need of it. */
export interface LinkedAlert {
  readonly alertId: string;
  readonly status: AlertStatus;
  readonly tlp: TlpLabel;
  readonly sourceOrgId: string;
  readonly attribution: Attribution;
  readonly sourceOrgName: string;
  readonly recipients: readonly string[];
  readonly trustLevel: TrustLevel;
  readonly country: string | null;
  readonly submittedAt: Date;
  readonly sharedCount: number;
  readonly sharedKeys: readonly string[];
  /** True once this linked alert has raised the linking alert's confidence. */
  readonly counted: boolean;
}

/** One direction of a link, as the component walk reads it. */
export interface LinkEdge {
  readonly alertId: string;
  readonly linkedAlertId: string;
  readonly sharedKeys: readonly string[];
}

interface LinkedRow {
  alert_id: string;
  status: AlertStatus;
  tlp: TlpLabel;
  source_org_id: string;
  attribution: string;
  org_name: string;
  recipients: string[];
  trust_level: number;
  country: string | null;
  submitted_at: Date;
  shared_count: number;
  shared_keys: string[];
  counted: boolean;
}

/** An alert as a correlation part: who reported it, from where, when, for whom. */
export type ReportPartRow = Omit<LinkedAlert, 'sharedCount' | 'sharedKeys' | 'counted'>;

const toPart = (r: Omit<LinkedRow, 'shared_count' | 'shared_keys' | 'counted'>): ReportPartRow => ({
  alertId: r.alert_id,
  status: r.status,
  tlp: r.tlp,
  sourceOrgId: r.source_org_id,
  attribution: r.attribution === 'anonymous' ? 'anonymous' : 'named',
  sourceOrgName: r.org_name,
  recipients: r.recipients,
  trustLevel: r.trust_level as TrustLevel,
  country: r.country === null ? null : r.country.trim(),
  submittedAt: r.submitted_at,
});

/** Statuses whose alerts take part in correlation: vetted or being vetted, never rejected or revoked. */
const CORRELATING = `('normalized', 'pending_review', 'published')`;

@Injectable()
export class AlertLinkRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes the hub-wide correlation lock (to the end of `tx`) when the alert has values that can link: an alert of
   * warning-listed values alone takes none. Call it BEFORE locking any alert row: linking inserts rows whose foreign
   * keys lock the linked alerts (KEY SHARE), so a vetting that held its own alert row while waiting here could
   * deadlock with one linking to that alert. Returns whether the alert has such values.
   */
  async lockForLinking(alertId: string, tx: Tx): Promise<boolean> {
    const locked = await this.db.manager(tx).query<unknown[]>(
      `SELECT pg_advisory_xact_lock($1) FROM (
         SELECT 1 FROM indicators
         WHERE alert_id = $2 AND canonical_value IS NOT NULL AND warning_list IS NULL
           AND NOT ('false-positive' = ANY(flags))
         LIMIT 1) x`,
      [CORRELATION_LOCK, alertId],
    );
    return locked.length > 0;
  }

  /**
   * Links an alert to the alerts of OTHER organisations, submitted since `since`, that hold any of its canonical
   * indicators (CVEs included: they are `cve` indicators). Warning-listed values and values flagged
   * `false-positive` never link; a value held by more than `maxAlertsPerKey` alerts in the window (of any
   * organisation) stops counting, like MISP's correlation limit. Links are stored in both directions with up to
   * `maxKeys` shared keys (`type:value`, sorted). The caller holds the correlation lock (`lockForLinking`, first in
   * its transaction): two reports vetted at once would otherwise write the same pair of rows in opposite orders.
   * Returns the number of alerts linked.
   */
  async link(
    alertId: string,
    sourceOrgId: string,
    since: Date,
    maxAlertsPerKey: number,
    maxKeys: number,
    tx: Tx,
    vettedBefore: readonly string[] = [],
  ): Promise<number> {
    const m = this.db.manager(tx);
    const rows = await m.query<{ n: string }[]>(
      `WITH mine AS (
         SELECT DISTINCT type, canonical_value FROM indicators
         WHERE alert_id = $1 AND canonical_value IS NOT NULL AND warning_list IS NULL
           AND NOT ('false-positive' = ANY(flags))
       ),
       hits AS (
         SELECT i.alert_id, a.source_org_id, m.type, m.canonical_value
         FROM mine m
         JOIN indicators i ON i.type = m.type AND i.canonical_value = m.canonical_value
           AND i.canonical_value IS NOT NULL AND i.warning_list IS NULL
         JOIN alerts a ON a.id = i.alert_id
         WHERE i.alert_id <> $1 AND (a.status IN ${CORRELATING} OR a.id = ANY($6::uuid[])) AND a.submitted_at >= $3
           AND NOT ('false-positive' = ANY(i.flags))
       ),
       usable AS (
         SELECT type, canonical_value FROM hits GROUP BY type, canonical_value
         HAVING count(DISTINCT alert_id) + 1 <= $4
       ),
       linked AS (
         SELECT h.alert_id, count(DISTINCT (h.type, h.canonical_value))::int AS n,
                (array_agg(DISTINCT h.type || ':' || h.canonical_value))[1:$5] AS keys
         FROM hits h JOIN usable u ON u.type = h.type AND u.canonical_value = h.canonical_value
         WHERE h.source_org_id <> $2
         GROUP BY h.alert_id
       ),
       inserted AS (
         INSERT INTO alert_links (alert_id, linked_alert_id, shared_count, shared_keys)
         SELECT $1::uuid, alert_id, n, keys FROM linked
         UNION ALL
         SELECT alert_id, $1::uuid, n, keys FROM linked
         ON CONFLICT (alert_id, linked_alert_id)
           DO UPDATE SET shared_count = EXCLUDED.shared_count, shared_keys = EXCLUDED.shared_keys
         RETURNING 1
       )
       SELECT count(*)::int / 2 AS n FROM inserted`,
      [alertId, sourceOrgId, since, maxAlertsPerKey, maxKeys, [...vettedBefore]],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The alerts linked to `alertId`, with their status, audience and submitter. */
  async linked(alertId: string, tx?: Tx): Promise<LinkedAlert[]> {
    const rows = await this.db.manager(tx).query<LinkedRow[]>(
      `SELECT a.id AS alert_id, a.status, a.tlp, a.source_org_id, a.attribution, o.name AS org_name, a.recipients, o.trust_level, o.country,
              a.submitted_at, l.shared_count, l.shared_keys, l.counted
       FROM alert_links l JOIN alerts a ON a.id = l.linked_alert_id JOIN orgs o ON o.id = a.source_org_id
       WHERE l.alert_id = $1
       ORDER BY a.submitted_at, a.id`,
      [alertId],
    );
    return rows.map((r) => ({
      ...toPart(r),
      sharedCount: r.shared_count,
      sharedKeys: r.shared_keys,
      counted: r.counted,
    }));
  }

  /** Alerts as correlation parts: who reported, from where, when, for whom. Missing ids are left out. */
  async reportParts(
    alertIds: readonly string[],
    tx: Tx,
  ): Promise<Omit<LinkedAlert, 'sharedCount' | 'sharedKeys' | 'counted'>[]> {
    if (alertIds.length === 0) {
      return [];
    }
    const rows = await this.db.manager(tx).query<Omit<LinkedRow, 'shared_count' | 'shared_keys' | 'counted'>[]>(
      `SELECT a.id AS alert_id, a.status, a.tlp, a.source_org_id, a.attribution, o.name AS org_name, a.recipients, o.trust_level, o.country, a.submitted_at
       FROM alerts a JOIN orgs o ON o.id = a.source_org_id
       WHERE a.id = ANY($1::uuid[])
       ORDER BY a.submitted_at, a.id`,
      [[...alertIds]],
    );
    return rows.map(toPart);
  }

  async markCounted(alertId: string, linkedAlertIds: readonly string[], tx: Tx): Promise<void> {
    if (linkedAlertIds.length > 0) {
      await this.db
        .manager(tx)
        .query(`UPDATE alert_links SET counted = true WHERE alert_id = $1 AND linked_alert_id = ANY($2::uuid[])`, [
          alertId,
          [...linkedAlertIds],
        ]);
    }
  }

  /** Is the alert linked to any published alert submitted since `since`? (No transaction, no lock.) */
  async hasPublishedLinks(alertId: string, since: Date): Promise<boolean> {
    const rows = await this.db.manager().query<unknown[]>(
      `SELECT 1 FROM alert_links l JOIN alerts a ON a.id = l.linked_alert_id
       WHERE l.alert_id = $1 AND a.status = 'published' AND a.submitted_at >= $2 LIMIT 1`,
      [alertId, since],
    );
    return rows.length > 0;
  }

  /**
   * The links from `alertIds` to PUBLISHED alerts submitted since `since`: one step of walking a component. At most
   * `limit` rows.
   */
  async publishedEdges(alertIds: readonly string[], since: Date, limit: number, tx: Tx): Promise<LinkEdge[]> {
    if (alertIds.length === 0) {
      return [];
    }
    const rows = await this.db
      .manager(tx)
      .query<{ alert_id: string; linked_alert_id: string; shared_keys: string[] }[]>(
        `SELECT l.alert_id, l.linked_alert_id, l.shared_keys
       FROM alert_links l JOIN alerts a ON a.id = l.linked_alert_id
       WHERE l.alert_id = ANY($1::uuid[]) AND a.status = 'published' AND a.submitted_at >= $2
       ORDER BY a.submitted_at, l.linked_alert_id LIMIT $3`,
        [[...alertIds], since, limit],
      );
    return rows.map((r) => ({ alertId: r.alert_id, linkedAlertId: r.linked_alert_id, sharedKeys: r.shared_keys }));
  }
}
