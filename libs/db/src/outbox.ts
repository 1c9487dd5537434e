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

/** The transactional outbox: a job is written with the state it acts on, and relayed after commit. */
@Injectable()
export class Outbox {
  constructor(private readonly db: Db) {}

  async enqueue(tx: Tx, jobs: OutboxJob | readonly OutboxJob[]): Promise<void> {
    const list: readonly OutboxJob[] = isList(jobs) ? jobs : [jobs];
    if (list.length === 0) {
      return;
    }
    const m = this.db.manager(tx);
    await m.query(
      `INSERT INTO outbox (queue, job_name, job_id, payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])`,
      [
        list.map((j) => j.queue),
        list.map((j) => j.name),
        list.map((j) => j.jobId),
        list.map((j) => JSON.stringify(j.payload)),
      ],
    );
    await m.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }

  /**
   * Claims up to `limit` rows (skipping rows another relay holds), hands them to `dispatch`, and deletes
   * those it dispatched, all in one transaction: a crash before commit leaves them for the next pass.
   */
  async relay(limit: number, dispatch: (rows: PendingOutboxRow[]) => Promise<Set<string>>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const m = this.db.manager(tx);
      const rows = await m.query<
        {
          id: string;
          queue: string;
          job_name: string;
          job_id: string;
          payload: Record<string, unknown>;
          attempts: number;
          org_id: string | null;
        }[]
      >(
        // The alert's source org rides along for fair scheduling; only outbox rows are locked, never alerts.
        `SELECT o.id, o.queue, o.job_name, o.job_id, o.payload, o.attempts, a.source_org_id AS org_id
           FROM outbox o
           LEFT JOIN alerts a ON a.id = CASE WHEN o.payload->>'alertId' ~ $2 THEN (o.payload->>'alertId')::uuid END
          ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
        [limit, UUID_RE],
      );
      if (rows.length === 0) {
        return 0;
      }
      const pending = rows.map((r) => ({
        id: r.id,
        queue: r.queue,
        name: r.job_name,
        jobId: r.job_id,
        payload: r.payload,
        attempts: r.attempts,
        orgId: r.org_id,
      }));
      const done = await dispatch(pending);
      const doneIds = pending.filter((r) => done.has(r.id)).map((r) => r.id);
      const failedIds = pending.filter((r) => !done.has(r.id)).map((r) => r.id);
      if (doneIds.length > 0) {
        await m.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [doneIds]);
      }
      if (failedIds.length > 0) {
        await m.query(`UPDATE outbox SET attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [failedIds]);
      }
      return doneIds.length;
    });
  }
}
