import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AlertEntity, Db } from '@tocsin/db';
import type { AlertQuery, IndicatorType } from '@tocsin/domain';
import { toRecord, type AlertRecord } from './alert.repository';
import { visibilitySql, type AlertVisibility } from './alert-visibility';

/** Where a newest-first page stopped: the last row's submission time (to the microsecond, as text) and id. */
export interface SearchCursor {
  readonly at: string;
  readonly id: string;
}

/** One visible alert carrying a looked-up value. */
export interface IndicatorHit {
  readonly alert: AlertRecord;
  readonly position: number;
  readonly flags: readonly string[];
  readonly warning: { readonly list: string; readonly reason: string } | null;
  readonly cursor: SearchCursor;
}

export interface IndicatorSummary {
  readonly alertCount: number;
  readonly firstSeen: Date | null;
  readonly lastSeen: Date | null;
}

/** The submission time as the cursor carries it: microseconds, UTC, so no row is skipped or repeated. */
const CURSOR_AT = `to_char(a.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/** Must stay the expression of the `alerts_search_idx` GIN index (migration AlertSearch). */
const SEARCH_VECTOR = `to_tsvector('simple'::regconfig, a.title || ' ' || coalesce(a.description, ''))`;

/**
 * Reads for `GET /api/v1/alerts` and `GET /api/v1/indicators`: every statement carries the caller's visibility
 * predicate (visibilitySql), so nothing it may not see is returned or counted.
 */
@Injectable()
export class AlertSearchRepository {
  constructor(private readonly db: Db) {}

  /** Visible alerts matching the filters, newest first (submitted_at, id), after `before`; at most `limit`. */
  async list(
    visibility: AlertVisibility,
    q: AlertQuery,
    before: SearchCursor | null,
    limit: number,
  ): Promise<{ alert: AlertRecord; cursor: SearchCursor }[]> {
    const params: unknown[] = [];
    const where = [visibilitySql(visibility, params)];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    let join = '';
    if (q.statuses) {
      where.push(`a.status = ANY(${p(q.statuses)}::text[])`);
    }
    if (q.severities) {
      where.push(`a.severity = ANY(${p(q.severities)}::text[])`);
    }
    if (q.tlps) {
      where.push(`a.tlp = ANY(${p(q.tlps)}::text[])`);
    }
    if (q.classifications) {
      const classes = q.classifications.filter((c) => c.type === null).map((c) => c.taxonomy);
      const typed = q.classifications.filter((c) => c.type !== null);
      where.push(
        `(a.classification_taxonomy = ANY(${p(classes)}::text[])
          OR (a.classification_taxonomy, a.classification_type) IN
             (SELECT * FROM unnest(${p(typed.map((c) => c.taxonomy))}::text[], ${p(typed.map((c) => c.type))}::text[])))`,
      );
    }
    if (q.sourceCountries) {
      join = 'JOIN orgs o ON o.id = a.source_org_id';
      where.push(`o.country = ANY(${p(q.sourceCountries)}::text[])`);
    }
    if (q.since) {
      where.push(`a.submitted_at >= ${p(q.since)}`);
    }
    if (q.until) {
      where.push(`a.submitted_at < ${p(q.until)}`);
    }
    if (q.text !== null) {
      where.push(`${SEARCH_VECTOR} @@ websearch_to_tsquery('simple'::regconfig, ${p(q.text)})`);
    }
    if (before) {
      where.push(`(a.submitted_at, a.id) < (${p(before.at)}::timestamptz, ${p(before.id)}::uuid)`);
    }
    const rows = await this.db.manager().query<{ id: string; at: string }[]>(
      `SELECT a.id, ${CURSOR_AT} AS at FROM alerts a ${join}
       WHERE ${where.join(' AND ')}
       ORDER BY a.submitted_at DESC, a.id DESC LIMIT ${p(limit)}`,
      params,
    );
    const alerts = await this.load(rows.map((r) => r.id));
    return rows.flatMap((r) => {
      const alert = alerts.get(r.id);
      return alert ? [{ alert, cursor: { at: r.at, id: r.id } }] : [];
    });
  }

  /** Visible alerts carrying this canonical value, newest first, after `before`; at most `limit`. */
  async findCarrying(
    visibility: AlertVisibility,
    type: IndicatorType,
    value: string,
    before: SearchCursor | null,
    limit: number,
  ): Promise<IndicatorHit[]> {
    const params: unknown[] = [type, value];
    const visible = visibilitySql(visibility, params);
    let after = '';
    if (before) {
      params.push(before.at, before.id);
      after = `AND (a.submitted_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit);
    const rows = await this.db.manager().query<
      {
        id: string;
        at: string;
        position: number;
        flags: string[];
        warning_list: string | null;
        warning_reason: string | null;
      }[]
    >(
      `WITH hits AS (${HITS})
       SELECT a.id, ${CURSOR_AT} AS at, h.position, h.flags, h.warning_list, h.warning_reason
       FROM (SELECT DISTINCT ON (alert_id) * FROM hits ORDER BY alert_id, position) h
       JOIN alerts a ON a.id = h.alert_id
       WHERE ${visible} ${after}
       ORDER BY a.submitted_at DESC, a.id DESC LIMIT $${params.length}`,
      params,
    );
    const alerts = await this.load(rows.map((r) => r.id));
    return rows.flatMap((r) => {
      const alert = alerts.get(r.id);
      return alert
        ? [
            {
              alert,
              position: r.position,
              flags: r.flags,
              warning: r.warning_list ? { list: r.warning_list, reason: r.warning_reason ?? '' } : null,
              cursor: { at: r.at, id: r.id },
            },
          ]
        : [];
    });
  }

  /**
   * How many visible alerts carry the value, and when it was first and last seen in them (an alert's own first
   * and last seen, or its submission time when it gives none).
   */
  async summarize(visibility: AlertVisibility, type: IndicatorType, value: string): Promise<IndicatorSummary> {
    const params: unknown[] = [type, value];
    const visible = visibilitySql(visibility, params);
    const [row] = await this.db.manager().query<{ n: number; first_seen: Date | null; last_seen: Date | null }[]>(
      `WITH hits AS (${HITS})
       SELECT count(*)::int AS n, min(coalesce(a.first_seen, a.submitted_at)) AS first_seen,
              max(coalesce(a.last_seen, a.submitted_at)) AS last_seen
       FROM alerts a WHERE a.id IN (SELECT alert_id FROM hits) AND ${visible}`,
      params,
    );
    return { alertCount: row?.n ?? 0, firstSeen: row?.first_seen ?? null, lastSeen: row?.last_seen ?? null };
  }

  private async load(ids: readonly string[]): Promise<Map<string, AlertRecord>> {
    if (ids.length === 0) {
      return new Map();
    }
    const entities = await this.db
      .manager()
      .find(AlertEntity, { where: { id: In([...ids]) }, relations: { sourceOrg: true } });
    return new Map(entities.map((e) => [e.id, toRecord(e)]));
  }
}

/**
 * Indicators with canonical value $2 of type $1. Two partial indexes hold every accepted value between them
 * (`indicators_correlation_idx`: not warning-listed; `indicators_warned_lookup_idx`: warning-listed), so the
 * lookup is two index scans, whatever the table's size.
 */
const HITS = `SELECT alert_id, position, flags, warning_list, warning_reason FROM indicators
              WHERE type = $1 AND canonical_value = $2 AND canonical_value IS NOT NULL AND warning_list IS NULL
              UNION ALL
              SELECT alert_id, position, flags, warning_list, warning_reason FROM indicators
              WHERE type = $1 AND canonical_value = $2 AND canonical_value IS NOT NULL AND warning_list IS NOT NULL`;
