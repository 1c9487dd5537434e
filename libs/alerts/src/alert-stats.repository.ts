import { Injectable } from '@nestjs/common';
import { Db } from '@tocsin/db';
import { visibilitySql, type AlertVisibility } from './alert-visibility';

export interface HourSeverityCount {
  readonly hour: Date;
  readonly severity: string;
  readonly count: number;
}

export interface ClassificationCount {
  readonly taxonomy: string | null;
  readonly type: string | null;
  readonly count: number;
}

export interface SourceCount {
  /** The submitter's country (ISO alpha-2), `anonymous` for an anonymous alert, or null when the org has none. */
  readonly source: string | null;
  readonly count: number;
}

/**
 * Reads for `GET /api/v1/stats`: counts over published alerts, published in [since, until). Every statement
 * carries the caller's visibility predicate (visibilitySql, as `GET /api/v1/alerts`), so no hidden alert is counted.
 */
@Injectable()
export class AlertStatsRepository {
  constructor(private readonly db: Db) {}

  private where(visibility: AlertVisibility, since: Date, until: Date, params: unknown[]): string {
    const visible = visibilitySql(visibility, params);
    params.push(since, until);
    return `a.status = 'published' AND a.published_at >= $${params.length - 1} AND a.published_at < $${params.length}
            AND ${visible}`;
  }

  async perHour(visibility: AlertVisibility, since: Date, until: Date): Promise<HourSeverityCount[]> {
    const params: unknown[] = [];
    const where = this.where(visibility, since, until, params);
    const rows = await this.db.manager().query<{ hour: Date; severity: string; n: number }[]>(
      `SELECT date_trunc('hour', a.published_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, a.severity,
              count(*)::int AS n
       FROM alerts a WHERE ${where} GROUP BY 1, 2`,
      params,
    );
    return rows.map((r) => ({ hour: new Date(r.hour), severity: r.severity, count: r.n }));
  }

  /** The `limit` most frequent classifications (unclassified alerts as taxonomy null), most frequent first. */
  async topClassifications(
    visibility: AlertVisibility,
    since: Date,
    until: Date,
    limit: number,
  ): Promise<ClassificationCount[]> {
    const params: unknown[] = [];
    const where = this.where(visibility, since, until, params);
    params.push(limit);
    const rows = await this.db.manager().query<{ taxonomy: string | null; type: string | null; n: number }[]>(
      `SELECT a.classification_taxonomy AS taxonomy, a.classification_type AS type, count(*)::int AS n
       FROM alerts a WHERE ${where}
       GROUP BY 1, 2 ORDER BY n DESC, 1 NULLS LAST, 2 NULLS LAST LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ taxonomy: r.taxonomy, type: r.type, count: r.n }));
  }

  /** Counts per source country; an anonymous alert counts as `anonymous`, whatever its org's country. */
  async sources(visibility: AlertVisibility, since: Date, until: Date): Promise<SourceCount[]> {
    const params: unknown[] = [];
    const where = this.where(visibility, since, until, params);
    const rows = await this.db.manager().query<{ source: string | null; n: number }[]>(
      `SELECT CASE WHEN a.attribution = 'anonymous' THEN 'anonymous' ELSE o.country END AS source, count(*)::int AS n
       FROM alerts a JOIN orgs o ON o.id = a.source_org_id WHERE ${where}
       GROUP BY 1 ORDER BY n DESC, 1 NULLS LAST`,
      params,
    );
    return rows.map((r) => ({ source: r.source, count: r.n }));
  }

  /** Pending alerts of other organisations within the caller's visibility: what its review queue holds. */
  async pendingForReview(visibility: AlertVisibility): Promise<number> {
    const params: unknown[] = [];
    const visible = visibilitySql(visibility, params);
    params.push(visibility.orgId);
    const [row] = await this.db.manager().query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM alerts a
       WHERE a.status = 'pending_review' AND a.source_org_id <> $${params.length}::uuid AND ${visible}`,
      params,
    );
    return row?.n ?? 0;
  }
}
