import { Injectable } from '@nestjs/common';
import { Db, type Tx } from './db';

export interface OutboxJob {
  readonly queue: string;
  readonly name: string;
  readonly jobId: string;
  readonly payload: Record<string, unknown>;
}

export interface PendingOutboxRow extends OutboxJob {
  readonly id: string;
  readonly attempts: number;
  /** The source org of the alert the job acts on (null when the payload names no existing alert). */
  readonly orgId: string | null;
}

const UUID_RE = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const isList = (j: OutboxJob | readonly OutboxJob[]): j is readonly OutboxJob[] => Array.isArray(j);

/** Channel notified on commit when outbox rows are written, so the relay wakes at once. */
export const OUTBOX_CHANNEL = 'tocsin_outbox';

/**
 * The relay's claim: deletes up to `limit` due outbox rows (`available_at` passed; skipping rows another relay, or a
 * job deleting its own row, holds) and returns them in (available_at, id) order, each with its alert's source org for
 * fair scheduling; only outbox rows are locked, never alerts. Every look-up goes by index whatever the tables' sizes:
 * the due rows by `outbox_available_idx` (rows not yet due are never scanned), the claimed ids as an array
 * (`= ANY(ARRAY(...))`, not `IN (subquery)`, which PostgreSQL may hash-join against a scan of the whole outbox), and
 * each row's org by a scalar subquery (a join on the CASE expression was planned as a hash join over a scan of every
 * alert). `limit` is inlined (the statement travels with BEGIN on the simple protocol): a positive safe integer,
 * checked.
 */
export function outboxClaimStatement(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new Error(`outbox relay: bad batch size ${limit}`);
  }
  return `WITH claimed AS (
    DELETE FROM outbox
     WHERE id = ANY(ARRAY(
       SELECT id FROM outbox WHERE available_at <= now() ORDER BY available_at, id LIMIT ${limit}
          FOR UPDATE SKIP LOCKED))
    RETURNING id, queue, job_name, job_id, payload, attempts, created_at, available_at)
  SELECT c.id, c.queue, c.job_name, c.job_id, c.payload, c.attempts, c.created_at, c.available_at,
         (SELECT a.source_org_id FROM alerts a
           WHERE a.id = CASE WHEN c.payload->>'alertId' ~ '${UUID_RE}' THEN (c.payload->>'alertId')::uuid END)
           AS org_id
    FROM claimed c
   ORDER BY c.available_at, c.id`;
}

const OUTBOX_ID = /^[1-9][0-9]{0,17}$/;

/** An outbox row id as a job carries it (a bigint, in decimal): anything else is not one. */
export const isOutboxId = (v: unknown): v is string => typeof v === 'string' && OUTBOX_ID.test(v);

/**
 * The statement a job runs, in its own transaction, to delete the outbox rows it was dispatched for directly (see
 * `available_at`): once it commits, the relay has nothing left to send for them. Rows the relay holds are skipped
 * (it is sending them: BullMQ keeps one job per job id). Ids are inlined (the statement travels with BEGIN on the
 * simple protocol), each checked to be a bigint; null when none is.
 */
export function outboxDoneStatement(ids: readonly string[]): string | null {
  const valid = [...new Set(ids.filter(isOutboxId))];
  if (valid.length === 0) {
    return null;
  }
  return `DELETE FROM outbox WHERE id = ANY(ARRAY(
    SELECT id FROM outbox WHERE id IN (${valid.join(', ')}) FOR UPDATE SKIP LOCKED))`;
}

/** The transactional outbox: a job is written with the state it acts on, and relayed after commit. */
@Injectable()
export class Outbox {
  constructor(private readonly db: Db) {}

  async enqueue(tx: Tx, jobs: OutboxJob | readonly OutboxJob[]): Promise<void> {
    const list: readonly OutboxJob[] = isList(jobs) ? jobs : [jobs];
    if (list.length === 0) {
      return;
    }
    // One statement: the rows, and the NOTIFY that wakes the relay at commit.
    await this.db.manager(tx).query(
      `WITH ins AS (
         INSERT INTO outbox (queue, job_name, job_id, payload)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
         RETURNING 1)
       SELECT pg_notify($5, '') FROM (SELECT count(*) AS n FROM ins) c`,
      [
        list.map((j) => j.queue),
        list.map((j) => j.name),
        list.map((j) => j.jobId),
        list.map((j) => JSON.stringify(j.payload)),
        OUTBOX_CHANNEL,
      ],
    );
  }

  /**
   * Claims up to `limit` due rows (skipping rows another relay holds) by deleting them, hands them to `dispatch`, and
   * puts back those it could not dispatch (attempts + 1, same id and times, so the order holds), all in one transaction: a
   * crash before commit leaves every row for the next pass. One statement claims and deletes, and travels with BEGIN.
   */
  async relay(limit: number, dispatch: (rows: PendingOutboxRow[]) => Promise<Set<string>>): Promise<number> {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new Error(`outbox relay: bad batch size ${limit}`);
    }
    // BEGIN and the claim in one round trip (Db.transactionFrom): so the statement inlines its two values, the batch
    // size (an integer, checked above) and a constant.
    return this.db.transactionFrom<
      {
        id: string;
        queue: string;
        job_name: string;
        job_id: string;
        payload: Record<string, unknown>;
        attempts: number;
        created_at: Date;
        available_at: Date;
        org_id: string | null;
      },
      number
    >(outboxClaimStatement(limit), async (rows, tx) => {
      const m = this.db.manager(tx);
      if (rows.length === 0) {
        return 0;
      }
      const done = await dispatch(
        rows.map((r) => ({
          id: r.id,
          queue: r.queue,
          name: r.job_name,
          jobId: r.job_id,
          payload: r.payload,
          attempts: r.attempts,
          orgId: r.org_id,
        })),
      );
      const failed = rows.filter((r) => !done.has(r.id));
      if (failed.length > 0) {
        await m.query(
          `INSERT INTO outbox (id, queue, job_name, job_id, payload, attempts, created_at, available_at)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::int[],
             $7::timestamptz[], $8::timestamptz[])`,
          [
            failed.map((r) => r.id),
            failed.map((r) => r.queue),
            failed.map((r) => r.job_name),
            failed.map((r) => r.job_id),
            failed.map((r) => JSON.stringify(r.payload)),
            failed.map((r) => r.attempts + 1),
            failed.map((r) => r.created_at),
            failed.map((r) => r.available_at),
          ],
        );
      }
      return rows.length - failed.length;
    });
  }
}
