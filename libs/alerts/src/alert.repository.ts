import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AlertEntity, Db, OUTBOX_CHANNEL, outboxDoneStatement, type OutboxJob, type Tx } from '@tocsin/db';
import type { Org } from '@tocsin/orgs';
import {
  ALERT_LIFECYCLE,
  ALERT_STAGES,
  isActionable,
  isUuid,
  stageOf,
  transition,
  type AlertStatus,
  type StageSpec,
  type TransitionName,
  type Attribution,
  type IndicatorQuery,
  type IndicatorSort,
  type IndicatorType,
  type Issue,
  type RawIndicator,
  type Severity,
  type TlpLabel,
  type TrustLevel,
} from '@tocsin/domain';
import { IllegalTransition } from './illegal-transition';

export interface AlertRecord {
  readonly id: string;
  readonly sourceOrgId: string;
  /** Whether recipients are told the org (sourceView decides what each viewer sees). */
  readonly attribution: Attribution;
  /** The submitting org's name, country and trust level, when the read loaded them (views do; locks do not). */
  readonly sourceOrg: { readonly name: string; readonly country: string | null; readonly trustLevel: number } | null;
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly tlp: TlpLabel;
  readonly tlpDefaulted: boolean;
  readonly confidence: number | null;
  readonly classification: { readonly taxonomy: string; readonly type: string } | null;
  readonly sectors: readonly string[];
  readonly countries: readonly string[];
  readonly firstSeen: Date | null;
  readonly lastSeen: Date | null;
  readonly validUntil: Date | null;
  readonly references: readonly string[];
  readonly unsupported: readonly Issue[];
  readonly warningCount: number;
  readonly publishedAt: Date | null;
  readonly revision: number;
  readonly sightingCount: number;
  readonly falsePositiveCount: number;
  readonly revokedAt: Date | null;
  readonly revokeReason: string | null;
  readonly review: {
    readonly decision: 'approve' | 'reject';
    readonly reason: string;
    readonly at: Date;
    readonly byOrgId: string;
    readonly byKeyId: string;
  } | null;
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
  /** When correlation ran after publication; null until then. */
  readonly correlatedAt: Date | null;
}

export interface IndicatorRow {
  readonly position: number;
  readonly type: IndicatorType | null;
  readonly rawValue: string;
  readonly canonicalValue: string | null;
  readonly rejection: string | null;
  readonly flags: readonly string[];
  readonly warning: { readonly list: string; readonly reason: string } | null;
  readonly source: string | null;
  readonly comment: string | null;
  /** What the sender said (the stored `actionable` column: MISP to_ids, a STIX observation…), read by normalization. */
  readonly senderActionable: boolean;
  /** {@link isActionable} over the row as it is now: the one meaning every outward path answers. */
  readonly actionable: boolean;
}

/** One `indicators` row as PostgreSQL returns it. */
export interface IndicatorColumns {
  readonly position: number;
  readonly type: IndicatorType | null;
  readonly raw_value: string;
  readonly canonical_value: string | null;
  readonly rejection: string | null;
  readonly flags: string[];
  readonly warning_list: string | null;
  readonly warning_reason: string | null;
  readonly source: string | null;
  readonly comment: string | null;
  readonly actionable: boolean;
}

/**
 * A stored row as every reader sees it. `actionable` is computed here, when read, from the flags, never taken from
 * the stored column: false-positive feedback, warning lists and rejection all change it after the row was written
 * (the column keeps what the sender said, `senderActionable`, for normalization).
 */
export function toIndicatorRow(r: IndicatorColumns): IndicatorRow {
  const warning = r.warning_list ? { list: r.warning_list, reason: r.warning_reason ?? '' } : null;
  return {
    position: r.position,
    type: r.type,
    rawValue: r.raw_value,
    canonicalValue: r.canonical_value,
    rejection: r.rejection,
    flags: r.flags,
    warning,
    source: r.source,
    comment: r.comment,
    senderActionable: r.actionable,
    actionable: isActionable({ canonicalValue: r.canonical_value, rejection: r.rejection, flags: r.flags, warning }),
  };
}

/** A one-hop group's alert as its first statement read it (`inGroupTransaction`). */
export interface GroupRead {
  readonly alert: AlertRecord;
  readonly org: Org | null;
  /** All its raw indicator rows when it is queued and small; else null. */
  readonly indicators: IndicatorRow[] | null;
}

/** What normalization writes back for one indicator, by position. */
export interface NormalizedRow {
  readonly position: number;
  readonly type: IndicatorType;
  readonly canonicalValue: string | null;
  readonly rejection: string | null;
  readonly flags: readonly string[];
  readonly warningList: string | null;
  readonly warningReason: string | null;
}

export const toRecord = (e: AlertEntity): AlertRecord => ({
  id: e.id,
  sourceOrgId: e.sourceOrgId,
  attribution: e.attribution === 'anonymous' ? 'anonymous' : 'named',
  sourceOrg: e.sourceOrg
    ? { name: e.sourceOrg.name, country: e.sourceOrg.country?.trim() ?? null, trustLevel: e.sourceOrg.trustLevel }
    : null,
  title: e.title,
  description: e.description,
  severity: e.severity as Severity,
  tlp: e.tlp as TlpLabel,
  tlpDefaulted: e.tlpDefaulted,
  confidence: e.confidence,
  classification:
    e.classificationTaxonomy && e.classificationType
      ? { taxonomy: e.classificationTaxonomy, type: e.classificationType }
      : null,
  sectors: e.sectors,
  countries: e.countries,
  firstSeen: e.firstSeen,
  lastSeen: e.lastSeen,
  validUntil: e.validUntil,
  references: e.references,
  unsupported: e.unsupported,
  warningCount: e.warningCount,
  publishedAt: e.publishedAt,
  revision: e.revision,
  sightingCount: e.sightingCount,
  falsePositiveCount: e.falsePositiveCount,
  revokedAt: e.revokedAt,
  revokeReason: e.revokeReason,
  review:
    e.reviewDecision && e.reviewedAt && e.reviewedByOrgId && e.reviewedByKeyId
      ? {
          decision: e.reviewDecision as 'approve' | 'reject',
          reason: e.reviewReason ?? '',
          at: e.reviewedAt,
          byOrgId: e.reviewedByOrgId,
          byKeyId: e.reviewedByKeyId,
        }
      : null,
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
  correlatedAt: e.correlatedAt,
  updatedAt: e.updatedAt,
});

/** What a revision of a published alert may change: its context, and its confidence. */
export type RevisableField = 'title' | 'description' | 'severity' | 'validUntil' | 'confidence';

/** What a transition writes besides the stage (AlertStore's named methods choose which). */
export type TransitionFields = Partial<
  Pick<
    AlertRecord,
    | 'statusReason'
    | 'indicatorCount'
    | 'rejectedCount'
    | 'warningCount'
    | 'publishedSeq'
    | 'publishedAt'
    | 'title'
    | 'description'
    | 'severity'
    | 'validUntil'
    | 'confidence'
    | 'revision'
    | 'revokedAt'
    | 'revokeReason'
    | 'correlatedAt'
    | 'review'
  >
>;

/** One named transition of a path, with what it writes besides the stage. */
export interface PathStep {
  readonly name: TransitionName;
  readonly fields: TransitionFields;
}

/** The fields a path written in one statement (`transitionMany`) may carry: the pipeline's, never a review's. */
const PATH_FIELDS = new Set<string>([
  'statusReason',
  'indicatorCount',
  'rejectedCount',
  'warningCount',
  'publishedSeq',
  'publishedAt',
  'correlatedAt',
]);

/**
 * Where `steps` take `a` (the row as the caller locked it), each step checked against the lifecycle in turn, in
 * memory: the alert as it would then be, or IllegalTransition for the first refused step.
 */
export function applyPath(a: AlertRecord, steps: readonly PathStep[]): AlertRecord {
  let next = a;
  for (const { name, fields } of steps) {
    const from = stageOf(next);
    const to = transition(from, name);
    if (!to.ok) {
      throw new IllegalTransition(a.id, name, from);
    }
    const spec = ALERT_LIFECYCLE.stages[to.value];
    next = { ...next, ...fields, status: spec.status, approved: spec.approved ?? next.approved };
    if (stageOf(next) !== to.value) {
      throw new Error(`${name} of alert ${a.id} would not leave it ${to.value}`); // a bug in the caller's fields
    }
  }
  return next;
}

/** Row conditions the lifecycle names in `StageSpec.while`, in SQL over `alerts`. */
const WHILE_SQL: Record<NonNullable<StageSpec['while']>, string> = {
  'in-coordinated-alert': `EXISTS (SELECT 1 FROM coordinated_alert_parts p
                                   WHERE p.alert_id = alerts.id AND p.left_version IS NULL)`,
};

/** A lifecycle stage as a SQL condition over `alerts` (constants of ALERT_LIFECYCLE only, never input). */
export function stageSql(spec: StageSpec): string {
  const conditions = [`status = '${spec.status}'`];
  if (spec.approved !== undefined) {
    conditions.push(spec.approved ? 'approved' : 'NOT approved');
  }
  if (spec.correlated !== undefined) {
    conditions.push(spec.correlated ? 'correlated_at IS NOT NULL' : 'correlated_at IS NULL');
  }
  if (spec.while) {
    conditions.push(WHILE_SQL[spec.while]);
  }
  return `(${conditions.join(' AND ')})`;
}

/** The stages `name` may be taken from, as one SQL condition: a statement that moves an alert without locking it first. */
function fromSql(name: TransitionName): string {
  return ALERT_LIFECYCLE.transitions[name].map(([from]) => stageSql(ALERT_LIFECYCLE.stages[from])).join(' OR ');
}

const MARK_CORRELATED_FROM = fromSql('markCorrelated');

/** Every stage whose job is due (its job may have been lost when the alert stays there), as one SQL condition. */
const STAGES_WITH_A_JOB = ALERT_STAGES.map((s) => ALERT_LIFECYCLE.stages[s])
  .filter((spec) => spec.job !== null)
  .map(stageSql)
  .join('\n          OR ');

/** A submitted alert, as `insert` and `insertSubmitted` write it (queued, not approved). */
export type NewAlert = {
  sourceOrgId: string;
  attribution: Attribution;
  title: string;
  description: string | null;
  severity: Severity;
  tlp: TlpLabel;
  tlpDefaulted: boolean;
  confidence: number | null;
  classificationTaxonomy: string | null;
  classificationType: string | null;
  sectors: string[];
  countries: string[];
  firstSeen: Date | null;
  lastSeen: Date | null;
  validUntil: Date | null;
  references: string[];
  unsupported: Issue[];
  recipients: readonly string[];
  sourceFormat: string;
  requestId: string | null;
  indicatorCount: number;
};

/** Rows per bulk statement: arrays through unnest(), so the parameter count stays fixed whatever the size. */
const BATCH = 10_000;

@Injectable()
export class AlertRepository {
  constructor(private readonly db: Db) {}

  async insert(a: NewAlert, tx: Tx): Promise<AlertRecord> {
    const m = this.db.manager(tx);
    const e = m.create(AlertEntity, { ...a, recipients: [...a.recipients], status: 'queued', approved: false });
    return toRecord(await m.save(AlertEntity, e));
  }

  /** Writes the submitted indicators in bulk statements of 10,000 (never row by row). */
  async insertRawIndicators(alertId: string, rows: readonly RawIndicator[], tx: Tx): Promise<void> {
    const m = this.db.manager(tx);
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await m.query(
        `INSERT INTO indicators (alert_id, position, type, raw_value, source, comment, actionable)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[])`,
        [
          alertId,
          batch.map((_, j) => i + j),
          batch.map((r) => r.type ?? null),
          batch.map((r) => r.value),
          batch.map((r) => r.source),
          batch.map((r) => r.comment ?? null),
          batch.map((r) => r.actionable !== false),
        ],
      );
    }
  }

  /**
   * A submitted alert (queued), its raw indicators (at most 10,000: one bulk statement's worth) and its first job in
   * the outbox, all in ONE statement (a data-modifying CTE is atomic on its own, so without `tx` no transaction is
   * needed). `id`: the alert's new id, chosen by the caller. With `graceMs` null (or 0) the row is due at once and the
   * statement's NOTIFY wakes the relay; with a positive number the caller hands the job to BullMQ itself after the
   * commit, so the row is due only `graceMs` later (the relay's fallback, should that hand-over not happen) and no
   * NOTIFY is sent. Returns the outbox row's id.
   */
  async insertSubmitted(
    id: string,
    a: NewAlert,
    rows: readonly RawIndicator[],
    job: OutboxJob,
    graceMs: number | null,
    tx?: Tx,
  ): Promise<string> {
    if (rows.length > BATCH) {
      throw new Error(`insertSubmitted takes at most ${BATCH} indicators`); // a bug in the caller
    }
    const [row] = await this.db.manager(tx).query<{ id: string }[]>(
      `WITH a AS (
         INSERT INTO alerts (id, source_org_id, attribution, title, description, severity, tlp, tlp_defaulted,
           confidence, classification_taxonomy, classification_type, sectors, countries, first_seen, last_seen,
           valid_until, "references", unsupported, recipients, source_format, request_id, indicator_count, status,
           approved)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text[], $13::text[], $14, $15, $16, $17::text[],
           $18::jsonb, $19::uuid[], $20, $21, $22, 'queued', false)
         RETURNING id),
       i AS (
         INSERT INTO indicators (alert_id, position, type, raw_value, source, comment, actionable)
         SELECT a.id, u.* FROM a,
           unnest($23::int[], $24::text[], $25::text[], $26::text[], $27::text[], $28::boolean[]) AS u),
       o AS (
         INSERT INTO outbox (queue, job_name, job_id, payload, available_at)
         SELECT $29, $30, $31, $32::jsonb, now() + $33::int * interval '1 millisecond' FROM a
         RETURNING id)
       SELECT o.id::text AS id, CASE WHEN $33::int = 0 THEN pg_notify($34, '') END FROM o`,
      [
        id,
        a.sourceOrgId,
        a.attribution,
        a.title,
        a.description,
        a.severity,
        a.tlp,
        a.tlpDefaulted,
        a.confidence,
        a.classificationTaxonomy,
        a.classificationType,
        a.sectors,
        a.countries,
        a.firstSeen,
        a.lastSeen,
        a.validUntil,
        a.references,
        JSON.stringify(a.unsupported),
        [...a.recipients],
        a.sourceFormat,
        a.requestId,
        a.indicatorCount,
        rows.map((_, j) => j),
        rows.map((r) => r.type ?? null),
        rows.map((r) => r.value),
        rows.map((r) => r.source),
        rows.map((r) => r.comment ?? null),
        rows.map((r) => r.actionable !== false),
        job.queue,
        job.name,
        job.jobId,
        JSON.stringify(job.payload),
        graceMs ?? 0,
        OUTBOX_CHANNEL,
      ],
    );
    return row!.id;
  }

  /** Writes normalization's results back by position, and removes the duplicates it merged away. */
  async applyNormalization(
    alertId: string,
    rows: readonly NormalizedRow[],
    mergedAway: readonly number[],
    tx: Tx,
  ): Promise<void> {
    const m = this.db.manager(tx);
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await m.query(
        `UPDATE indicators AS t SET type = u.type, canonical_value = u.canonical_value, rejection = u.rejection,
           flags = CASE WHEN u.flags = '' THEN '{}'::text[] ELSE string_to_array(u.flags, ',') END,
           warning_list = u.warning_list, warning_reason = u.warning_reason
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           AS u(position, type, canonical_value, rejection, flags, warning_list, warning_reason)
         WHERE t.alert_id = $1 AND t.position = u.position AND t.position BETWEEN $9 AND $10`,
        [
          alertId,
          batch.map((r) => r.position),
          batch.map((r) => r.type),
          batch.map((r) => r.canonicalValue),
          batch.map((r) => r.rejection),
          batch.map((r) => r.flags.join(',')),
          batch.map((r) => r.warningList),
          batch.map((r) => r.warningReason),
          // The batch's position range lets the planner walk the primary key instead of joining the whole alert.
          batch[0]?.position ?? 0,
          batch[batch.length - 1]?.position ?? 0,
        ],
      );
    }
    for (let i = 0; i < mergedAway.length; i += BATCH) {
      await m.query(`DELETE FROM indicators WHERE alert_id = $1 AND position = ANY($2::int[])`, [
        alertId,
        mergedAway.slice(i, i + BATCH),
      ]);
    }
  }

  /**
   * applyNormalization for several small alerts (a one-hop group) in ONE statement: every row written back and every
   * merged duplicate removed.
   */
  async applyNormalizationMany(
    items: readonly { alertId: string; rows: readonly NormalizedRow[]; mergedAway: readonly number[] }[],
    tx: Tx,
    locks: readonly number[] = [],
  ): Promise<void> {
    const rows = items.flatMap((it) => it.rows.map((r) => ({ alertId: it.alertId, r })));
    const gone = items.flatMap((it) => it.mergedAway.map((position) => ({ alertId: it.alertId, position })));
    if (rows.length === 0 && gone.length === 0 && locks.length === 0) {
      return;
    }
    // The locks, when asked, in the given order (a target list is evaluated left to right), in the same round trip.
    const lockList = locks.map((_, i) => `pg_advisory_xact_lock($${11 + i})`).join(', ');
    await this.db.manager(tx).query(
      `WITH gone AS (
         DELETE FROM indicators AS d USING unnest($8::uuid[], $9::int[]) AS g(alert_id, position)
         WHERE d.alert_id = g.alert_id AND d.position = g.position),
       written AS (
       UPDATE indicators AS t SET type = u.type, canonical_value = u.canonical_value, rejection = u.rejection,
         flags = CASE WHEN u.flags = '' THEN '{}'::text[] ELSE string_to_array(u.flags, ',') END,
         warning_list = u.warning_list, warning_reason = u.warning_reason
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $10::text[])
         AS u(alert_id, position, type, canonical_value, rejection, flags, warning_list, warning_reason)
       WHERE t.alert_id = u.alert_id AND t.position = u.position
       RETURNING 1)
       SELECT ${lockList || '1'}`,
      [
        rows.map((x) => x.alertId),
        rows.map((x) => x.r.position),
        rows.map((x) => x.r.type),
        rows.map((x) => x.r.canonicalValue),
        rows.map((x) => x.r.rejection),
        rows.map((x) => x.r.flags.join(',')),
        rows.map((x) => x.r.warningList),
        gone.map((g) => g.alertId),
        gone.map((g) => g.position),
        rows.map((x) => x.r.warningReason),
        ...locks,
      ],
    );
  }

  async findIndicators(
    alertId: string,
    afterPosition: number,
    limit: number,
    tx?: Tx,
    acceptedOnly = false,
  ): Promise<IndicatorRow[]> {
    const rows = await this.db.manager(tx).query<IndicatorColumns[]>(
      `SELECT position, type, raw_value, canonical_value, rejection, flags, warning_list, warning_reason, source, comment,
              actionable
       FROM indicators WHERE alert_id = $1 AND position > $2 ${acceptedOnly ? 'AND canonical_value IS NOT NULL' : ''}
       ORDER BY alert_id, position LIMIT $3`,
      [alertId, afterPosition, limit],
    );
    return rows.map(toIndicatorRow);
  }

  /**
   * One page of an alert's indicators in the order and with the filters of `q`, after the row at `afterPosition`
   * (the cursor is the last row's position; its sort key is read back from it). Every read is bounded by `alert_id`
   * (the primary key's prefix): submission order walks the key; type and value sort one alert's rows (at most
   * TOCSIN_MAX_INDICATORS) and keep the top `limit`.
   */
  async findIndicatorPage(
    alertId: string,
    q: IndicatorQuery,
    afterPosition: number | null,
    limit: number,
  ): Promise<IndicatorRow[]> {
    const params: unknown[] = [alertId];
    const where = indicatorFilters(q, params);
    const key = INDICATOR_SORT_KEYS[q.sort];
    const dir = q.descending ? 'DESC' : 'ASC';
    if (afterPosition !== null) {
      params.push(afterPosition);
      const p = `$${params.length}`;
      const cmp = q.descending ? '<' : '>';
      where.push(
        q.sort === 'position'
          ? `position ${cmp} ${p}`
          : `(${key}, position) ${cmp} (SELECT ${key}, position FROM indicators WHERE alert_id = $1 AND position = ${p})`,
      );
    }
    params.push(limit);
    const order = q.sort === 'position' ? `alert_id ${dir}, position ${dir}` : `${key} ${dir}, position ${dir}`;
    const rows = await this.db.manager().query<IndicatorColumns[]>(
      `SELECT position, type, raw_value, canonical_value, rejection, flags, warning_list, warning_reason, source, comment,
              actionable
       FROM indicators WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`,
      params,
    );
    return rows.map(toIndicatorRow);
  }

  /** How many of an alert's indicators pass the filters of `q`. */
  async countIndicators(alertId: string, q: IndicatorQuery): Promise<number> {
    const params: unknown[] = [alertId];
    const where = indicatorFilters(q, params);
    const rows = await this.db
      .manager()
      .query<{ n: number }[]>(`SELECT count(*)::int AS n FROM indicators WHERE ${where.join(' AND ')}`, params);
    return rows[0]?.n ?? 0;
  }

  /** Every indicator of several (small) alerts in one read, by alert, in position order. */
  async findAllIndicatorsOf(alertIds: readonly string[], tx?: Tx): Promise<Map<string, IndicatorRow[]>> {
    const out = new Map<string, IndicatorRow[]>(alertIds.map((id) => [id, []]));
    if (alertIds.length === 0) {
      return out;
    }
    const rows = await this.db.manager(tx).query<(IndicatorColumns & { alert_id: string })[]>(
      `SELECT alert_id, position, type, raw_value, canonical_value, rejection, flags, warning_list, warning_reason,
              source, comment, actionable
       FROM indicators WHERE alert_id = ANY($1::uuid[]) ORDER BY alert_id, position`,
      [[...alertIds]],
    );
    for (const r of rows) {
      out.get(r.alert_id)?.push(toIndicatorRow(r));
    }
    return out;
  }

  /** The position of the accepted indicator with this canonical value in the alert, or null. */
  async findIndicatorPosition(alertId: string, type: string, canonicalValue: string, tx?: Tx): Promise<number | null> {
    const rows = await this.db
      .manager(tx)
      .query<{ position: number }[]>(
        `SELECT position FROM indicators WHERE alert_id = $1 AND type = $2 AND canonical_value = $3 LIMIT 1`,
        [alertId, type, canonicalValue],
      );
    return rows[0]?.position ?? null;
  }

  /** Records one org's feedback once; false when it had already given the same feedback on the same target. */
  async insertFeedback(
    f: { alertId: string; orgId: string; keyId: string; type: string; position: number },
    tx: Tx,
  ): Promise<boolean> {
    const rows = await this.db.manager(tx).query<{ id: string }[]>(
      `INSERT INTO sightings (alert_id, org_id, key_id, type, indicator_position) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (alert_id, org_id, type, indicator_position) DO NOTHING RETURNING id`,
      [f.alertId, f.orgId, f.keyId, f.type, f.position],
    );
    return rows.length > 0;
  }

  async countFeedback(alertId: string, tx: Tx): Promise<{ sightings: number; falsePositives: number }> {
    const rows = await this.db.manager(tx).query<{ sightings: number; false_positives: number }[]>(
      `SELECT count(*) FILTER (WHERE type = 'sighting')::int AS sightings,
              count(*) FILTER (WHERE type = 'false-positive')::int AS false_positives
       FROM sightings WHERE alert_id = $1`,
      [alertId],
    );
    return { sightings: rows[0]?.sightings ?? 0, falsePositives: rows[0]?.false_positives ?? 0 };
  }

  /** Distinct organisations of trust ≥ minTrust that reported this indicator as a false positive. */
  async trustedFalsePositiveOrgs(alertId: string, position: number, minTrust: number, tx: Tx): Promise<number> {
    const rows = await this.db.manager(tx).query<{ n: number }[]>(
      `SELECT count(DISTINCT s.org_id)::int AS n FROM sightings s JOIN orgs o ON o.id = s.org_id
       WHERE s.alert_id = $1 AND s.indicator_position = $2 AND s.type = 'false-positive' AND o.trust_level >= $3`,
      [alertId, position, minTrust],
    );
    return rows[0]?.n ?? 0;
  }

  async addIndicatorFlag(alertId: string, position: number, flag: string, tx: Tx): Promise<void> {
    await this.db.manager(tx).query(
      `UPDATE indicators SET flags = array_append(flags, $3)
       WHERE alert_id = $1 AND position = $2 AND NOT ($3 = ANY(flags))`,
      [alertId, position, flag],
    );
  }

  async analyzeIndicators(): Promise<void> {
    await this.db.manager().query('ANALYZE indicators');
  }

  /** The position of the n-th (0-based) accepted indicator, or null: where a chunk ends, read from the index only. */
  async acceptedPositionAt(alertId: string, n: number): Promise<number | null> {
    const rows = await this.db.manager().query<{ position: number }[]>(
      `SELECT position FROM indicators WHERE alert_id = $1 AND canonical_value IS NOT NULL
       ORDER BY alert_id, position OFFSET $2 LIMIT 1`,
      [alertId, n],
    );
    return rows[0]?.position ?? null;
  }

  /**
   * The alert, locked for the rest of the transaction (pipeline stages serialize on it); null for a malformed id.
   * `FOR NO KEY UPDATE`, as every alert row lock here (an alert's id never changes and no alert is deleted): it
   * excludes every other writer, yet not the key-share lock a foreign key check takes, so a transaction holding the
   * publish lock that links a new report to this alert (`alert_links` references it) does not wait for the holder of
   * this row, which may itself be waiting for the publish lock (a revision, a sighting): no deadlock.
   */
  async lockById(id: string, tx: Tx): Promise<AlertRecord | null> {
    if (!isUuid(id)) {
      return null;
    }
    const e = await this.db.manager(tx).findOne(AlertEntity, { where: { id }, lock: { mode: 'for_no_key_update' } });
    return e ? toRecord(e) : null;
  }

  /** Locks several alerts in id order (one statement; two callers locking overlapping sets cannot deadlock). */
  async lockManyById(ids: readonly string[], tx: Tx): Promise<AlertRecord[]> {
    const valid = [...new Set(ids.filter((id) => isUuid(id)))];
    if (valid.length === 0) {
      return [];
    }
    const es = await this.db
      .manager(tx)
      .createQueryBuilder(AlertEntity, 'a')
      .where('a.id IN (:...ids)', { ids: valid })
      .orderBy('a.id')
      .setLock('for_no_key_update')
      .getMany();
    return es.map(toRecord);
  }

  /**
   * Runs `fn` in a transaction whose FIRST statement, sent with BEGIN in one round trip (Db.transactionFrom), locks
   * the group's rows (`FOR NO KEY UPDATE OF` the alerts only, in id order, as `lockManyById`) and returns with each its
   * submitter's org and, for a `queued` alert of at most `maxIndicators`, all its raw indicator rows. The indicators
   * are read in the statement's snapshot, taken before any wait for a row lock: that is safe because nothing but
   * normalization (which moves the alert out of `queued`) ever writes a queued alert's indicators, so an alert still
   * queued once locked has the rows read here. Malformed ids are left out (the statement inlines only UUIDs).
   * `outboxDone`: the outbox rows of the group's jobs that the api dispatched itself, deleted in the same round trip
   * (`outboxDoneStatement`), so they commit, or roll back, with the group's work.
   */
  async inGroupTransaction<T>(
    ids: readonly string[],
    maxIndicators: number,
    outboxDone: readonly string[],
    fn: (read: GroupRead[], tx: Tx) => Promise<T>,
  ): Promise<T> {
    const valid = [...new Set(ids.filter((id) => isUuid(id)))];
    if (valid.length === 0) {
      return this.db.transaction((tx) => fn([], tx));
    }
    const qb = this.db
      .manager()
      .createQueryBuilder(AlertEntity, 'a')
      .leftJoinAndSelect('a.sourceOrg', 'o')
      .addSelect(
        `CASE WHEN "a"."status" = 'queued' AND "a"."indicator_count" <= :max THEN (
           SELECT COALESCE(json_agg(i ORDER BY i.position), '[]'::json) FROM (
             SELECT position, type, raw_value, canonical_value, rejection, flags, warning_list, warning_reason,
                    source, comment, actionable
             FROM indicators WHERE alert_id = "a"."id") i) END`,
        'raw_indicators',
      )
      .where('a.id IN (:...ids)', { ids: valid, max: maxIndicators })
      .orderBy('a.id')
      .setLock('for_no_key_update', undefined, ['a']);
    const lock = this.db.inlined(qb);
    const done = outboxDoneStatement(outboxDone);
    return this.db.transactionFrom<{ a_id: string; raw_indicators: IndicatorColumns[] | null }, T>(
      done ? [done, lock] : lock,
      (raw, tx) => {
        const rawOf = new Map(raw.map((r) => [r.a_id, r.raw_indicators]));
        const read = this.db.entitiesOf(qb, raw).map((e) => {
          const rows = rawOf.get(e.id);
          // As lockManyById returns it: the org comes apart, not inside the record.
          const { sourceOrg, ...rest } = e;
          return {
            alert: toRecord(rest),
            org: sourceOrg
              ? {
                  id: sourceOrg.id,
                  name: sourceOrg.name,
                  country: sourceOrg.country,
                  sector: sourceOrg.sector,
                  trustLevel: sourceOrg.trustLevel as TrustLevel,
                  isHub: sourceOrg.isHub,
                  createdAt: sourceOrg.createdAt,
                }
              : null,
            indicators: rows ? rows.map(toIndicatorRow) : null,
          };
        });
        return fn(read, tx);
      },
    );
  }

  /** findForViewer for several alerts in one read (the missing and malformed left out). */
  async findManyForViewer(ids: readonly string[]): Promise<AlertRecord[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) {
      return [];
    }
    const es = await this.db.manager().find(AlertEntity, { where: { id: In(valid) }, relations: { sourceOrg: true } });
    return es.map(toRecord);
  }

  /** Raw read for visibility checks done by the caller with the domain policy; never returned unfiltered. */
  async findForViewer(id: string): Promise<AlertRecord | null> {
    if (!isUuid(id)) {
      return null;
    }
    const e = await this.db.manager().findOne(AlertEntity, { where: { id }, relations: { sourceOrg: true } });
    return e ? toRecord(e) : null;
  }

  /**
   * The one way an alert's stage changes: `name` must be allowed from the stage `a` (the row as the caller locked it)
   * is in, and the UPDATE also requires the row to still be in that stage, so nothing is written when either check
   * fails (IllegalTransition). Returns the alert as it now is (`updatedAt` aside).
   */
  async transition(a: AlertRecord, name: TransitionName, fields: TransitionFields, tx: Tx): Promise<AlertRecord> {
    const from = stageOf(a);
    const to = transition(from, name);
    if (!to.ok) {
      throw new IllegalTransition(a.id, name, from);
    }
    const spec = ALERT_LIFECYCLE.stages[to.value];
    const next: AlertRecord = { ...a, ...fields, status: spec.status, approved: spec.approved ?? a.approved };
    if (stageOf(next) !== to.value) {
      throw new Error(`${name} of alert ${a.id} would not leave it ${to.value}`); // a bug in the caller's fields
    }
    const { review, ...columns } = fields;
    const result = await this.db
      .manager(tx)
      .createQueryBuilder()
      .update(AlertEntity)
      .set({
        ...columns,
        status: next.status,
        approved: next.approved,
        ...(review
          ? {
              reviewDecision: review.decision,
              reviewReason: review.reason,
              reviewedAt: review.at,
              reviewedByOrgId: review.byOrgId,
              reviewedByKeyId: review.byKeyId,
            }
          : {}),
      })
      .where('id = :id AND status = :status AND approved = :approved', {
        id: a.id,
        status: a.status,
        approved: a.approved,
      })
      .andWhere(a.correlatedAt === null ? 'correlated_at IS NULL' : 'correlated_at IS NOT NULL')
      .execute();
    if (result.affected !== 1) {
      throw new IllegalTransition(a.id, name, from, true);
    }
    return next;
  }

  /**
   * Several locked alerts, each moved along its own path of named transitions, in ONE statement: every path is checked
   * step by step in memory first (an illegal step: IllegalTransition, nothing written), then each row is updated only
   * if it is still in the stage its caller locked it in; fewer rows updated than paths given throws IllegalTransition
   * (`moved`), so the caller's transaction rolls back. Returns the alerts as they now are, in the given order. The
   * pipeline's columns (status, approved, status reason, counts, seq, publication and correlation times) are all
   * written from the record as locked plus its path: `alert` must be the row as it stands in that respect (confidence,
   * review and feedback columns are never written here).
   */
  async transitionMany(
    paths: readonly { readonly alert: AlertRecord; readonly steps: readonly PathStep[] }[],
    tx: Tx,
  ): Promise<AlertRecord[]> {
    if (paths.length === 0) {
      return [];
    }
    return (await this.transitionManyWith(paths, tx, null)).next;
  }

  /**
   * transitionMany and an append to the publish log in ONE statement: `append(first)` gives the INSERT ... RETURNING
   * seq, alert_id, published_at (PublishLogRepository's appendManyStatement, placeholders from `$first`), run as a
   * CTE; each alert it appends gets the seq it was given as its `published_seq` (its path's publish step holds a
   * placeholder). Returns the alerts as they now stand and, by alert id, each appended entry's seq and stored time.
   * The caller holds the publish lock from an earlier statement; if any path's guard fails, nothing is kept (the
   * caller's transaction rolls back on the IllegalTransition).
   */
  async transitionManyPublishing(
    paths: readonly { readonly alert: AlertRecord; readonly steps: readonly PathStep[] }[],
    tx: Tx,
    append: (first: number) => { sql: string; params: unknown[] },
  ): Promise<{ next: AlertRecord[]; logged: Map<string, { seq: number; publishedAt: Date }> }> {
    return this.transitionManyWith(paths, tx, append);
  }

  private async transitionManyWith(
    paths: readonly { readonly alert: AlertRecord; readonly steps: readonly PathStep[] }[],
    tx: Tx,
    append: ((first: number) => { sql: string; params: unknown[] }) | null,
  ): Promise<{ next: AlertRecord[]; logged: Map<string, { seq: number; publishedAt: Date }> }> {
    if (new Set(paths.map((p) => p.alert.id)).size !== paths.length) {
      throw new Error('transitionMany: one path per alert'); // a bug in the caller
    }
    const next = paths.map(({ alert, steps }) => {
      for (const s of steps) {
        const extra = Object.keys(s.fields).find((k) => !PATH_FIELDS.has(k));
        if (extra !== undefined) {
          throw new Error(`transitionMany cannot write ${extra}`); // a bug in the caller: use transition()
        }
      }
      return applyPath(alert, steps);
    });
    const params: unknown[] = [
      paths.map((p) => p.alert.id),
      paths.map((p) => p.alert.status),
      paths.map((p) => p.alert.approved),
      paths.map((p) => p.alert.correlatedAt !== null),
      next.map((a) => a.status),
      next.map((a) => a.approved),
      next.map((a) => a.statusReason),
      next.map((a) => a.indicatorCount),
      next.map((a) => a.rejectedCount),
      next.map((a) => a.warningCount),
      next.map((a) => a.publishedSeq),
      next.map((a) => a.publishedAt),
      next.map((a) => a.correlatedAt),
    ];
    const appended = append ? append(params.length + 1) : null;
    params.push(...(appended?.params ?? []));
    const rows = await this.db
      .manager(tx)
      .query<{ kind: 'done' | 'logged'; alert_id: string; seq: string | null; published_at: Date | null }[]>(
        `WITH ${appended ? `logged AS (${appended.sql}),` : ''}
       done AS (
         UPDATE alerts AS t SET status = u.status, approved = u.approved, status_reason = u.status_reason,
           indicator_count = u.indicator_count, rejected_count = u.rejected_count, warning_count = u.warning_count,
           published_seq = ${appended ? 'COALESCE(l.seq, u.published_seq)' : 'u.published_seq'},
           published_at = u.published_at, correlated_at = u.correlated_at, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::boolean[], $5::text[], $6::boolean[], $7::text[],
                     $8::int[], $9::int[], $10::int[], $11::bigint[], $12::timestamptz[], $13::timestamptz[])
           AS u(id, from_status, from_approved, from_correlated, status, approved, status_reason, indicator_count,
                rejected_count, warning_count, published_seq, published_at, correlated_at)
           ${appended ? 'LEFT JOIN logged l ON l.alert_id = u.id' : ''}
         WHERE t.id = u.id AND t.status = u.from_status AND t.approved = u.from_approved
           AND (t.correlated_at IS NOT NULL) = u.from_correlated
         RETURNING t.id)
       SELECT 'done' AS kind, id AS alert_id, NULL::bigint AS seq, NULL::timestamptz AS published_at FROM done
       ${appended ? "UNION ALL SELECT 'logged', alert_id, seq, published_at FROM logged" : ''}`,
        params,
      );
    const updated = new Set(rows.filter((r) => r.kind === 'done').map((r) => r.alert_id));
    if (updated.size !== paths.length) {
      const moved = paths.find((p) => !updated.has(p.alert.id)) ?? paths[0]!;
      throw new IllegalTransition(moved.alert.id, moved.steps[0]?.name ?? 'markNormalized', stageOf(moved.alert), true);
    }
    const logged = new Map(
      rows
        .filter((r) => r.kind === 'logged')
        .map((r) => [r.alert_id, { seq: Number(r.seq), publishedAt: r.published_at! }] as const),
    );
    return {
      next: next.map((a) => {
        const l = logged.get(a.id);
        return l ? { ...a, publishedSeq: String(l.seq) } : a;
      }),
      logged,
    };
  }

  /** Confidence (moved by corroboration and feedback): no transition governs it. */
  async setConfidence(id: string, confidence: number | null, tx: Tx): Promise<void> {
    await this.db.manager(tx).update(AlertEntity, { id }, { confidence });
  }

  /** The feedback counts and the confidence they moved: no transition governs them. */
  async setFeedbackCounts(
    id: string,
    counts: { sightings: number; falsePositives: number },
    confidence: number | null,
    tx: Tx,
  ): Promise<void> {
    await this.db
      .manager(tx)
      .update(
        AlertEntity,
        { id },
        { sightingCount: counts.sightings, falsePositiveCount: counts.falsePositives, confidence },
      );
  }

  /** Pending alerts of other organisations, oldest first; keyset paging on (submitted_at, id). */
  async findPending(
    excludeOrgId: string,
    after: { at: Date; id: string } | null,
    limit: number,
  ): Promise<AlertRecord[]> {
    const qb = this.db
      .manager()
      .createQueryBuilder(AlertEntity, 'a')
      .leftJoinAndSelect('a.sourceOrg', 'o')
      .where('a.status = :status', { status: 'pending_review' })
      .andWhere('a.source_org_id <> :excludeOrgId', { excludeOrgId })
      .orderBy('a.submitted_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      // limit, not take: the join is many-to-one (one row per alert), and take's paging subquery needs property names.
      .limit(limit);
    if (after) {
      qb.andWhere('(a.submitted_at, a.id) > (:at, :id)', { at: after.at, id: after.id });
    }
    return (await qb.getMany()).map(toRecord);
  }

  /**
   * Alerts left for longer than `staleMs` in a stage whose job is due (ALERT_LIFECYCLE: the stage names a job, and
   * its `while` condition holds): their job may have been lost.
   */
  async findStale(
    staleMs: number,
    limit: number,
  ): Promise<Pick<AlertRecord, 'id' | 'status' | 'approved' | 'correlatedAt' | 'requestId' | 'indicatorCount'>[]> {
    const rows = await this.db.manager().query<
      {
        id: string;
        status: AlertStatus;
        approved: boolean;
        correlated_at: Date | null;
        request_id: string | null;
        indicator_count: number;
      }[]
    >(
      `SELECT id, status, approved, correlated_at, request_id, indicator_count FROM alerts
       WHERE (${STAGES_WITH_A_JOB}) AND updated_at < now() - ($1::int * interval '1 millisecond')
       ORDER BY updated_at LIMIT $2`,
      [staleMs, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      approved: r.approved,
      correlatedAt: r.correlated_at,
      requestId: r.request_id,
      indicatorCount: r.indicator_count,
    }));
  }

  /**
   * Marks a published, not yet correlated alert correlated (only when it has no links, if `unlinkedOnly`): the
   * lifecycle's `markCorrelated`, in one statement guarded by its from-stages (no lock is held here unless `tx` is
   * the caller's).
   */
  async markCorrelated(id: string, unlinkedOnly: boolean, tx?: Tx): Promise<boolean> {
    // A SELECT over the UPDATE: TypeORM answers a bare UPDATE with [rows, count], not rows.
    const rows = await this.db.manager(tx).query<{ id: string }[]>(
      `WITH done AS (
         UPDATE alerts SET correlated_at = now() WHERE id = $1 AND (${MARK_CORRELATED_FROM})
           AND (NOT $2 OR NOT EXISTS (SELECT 1 FROM alert_links WHERE alert_id = $1))
         RETURNING id)
       SELECT id FROM done`,
      [id, unlinkedOnly],
    );
    return rows.length > 0;
  }

  async touch(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await this.db.manager().query(`UPDATE alerts SET updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
    }
  }
}

/** The SQL sort key of each indicator order (ties are broken by position). */
const INDICATOR_SORT_KEYS: Readonly<Record<IndicatorSort, string>> = {
  position: 'position',
  type: "COALESCE(type, '')",
  value: 'COALESCE(canonical_value, raw_value)',
};

/** The flags that make an indicator not actionable (isActionable), besides a rejection or a warning list. */
const NOT_ACTIONABLE_FLAGS = ['warning-listed', 'false-positive', 'not-actionable'];

/** isActionable in SQL: the same answer as toIndicatorRow computes when read. */
const ACTIONABLE_SQL = `(canonical_value IS NOT NULL AND rejection IS NULL AND warning_list IS NULL
  AND NOT (flags && ARRAY['${NOT_ACTIONABLE_FLAGS.join("','")}']::text[]))`;

/** The WHERE conditions of an indicator query (`$1` is the alert id); values go into `params`. */
function indicatorFilters(q: IndicatorQuery, params: unknown[]): string[] {
  const where = ['alert_id = $1'];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.types !== null) {
    where.push(`type = ANY(${p(q.types)}::text[])`);
  }
  if (q.text !== null) {
    const like = p(`%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(canonical_value ILIKE ${like} OR raw_value ILIKE ${like})`);
  }
  if (q.actionable !== null) {
    where.push(q.actionable ? ACTIONABLE_SQL : `NOT ${ACTIONABLE_SQL}`);
  }
  if (q.flags !== null) {
    where.push(`flags @> ${p(q.flags)}::text[]`);
  }
  return where;
}
