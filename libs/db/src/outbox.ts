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
}

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
        }[]
      >(
        `SELECT id, queue, job_name, job_id, payload, attempts FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
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
