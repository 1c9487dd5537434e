import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness/test-database';
import { outboxClaimStatement, outboxDoneStatement } from './outbox';

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

const indexes = (n: PlanNode): string[] => [
  ...(n['Index Name'] ? [n['Index Name']] : []),
  ...(n.Plans ?? []).flatMap(indexes),
];

const scans = (n: PlanNode): string[] => [
  ...(n['Node Type'] === 'Seq Scan' ? [n['Relation Name'] ?? '?'] : []),
  ...(n.Plans ?? []).flatMap(scans),
];

/**
 * The relay's claim runs on every outbox wake-up, so its cost must not grow with the alerts table nor with the rows
 * not yet due (jobs the api dispatched itself): with many alerts, a backlog in the outbox and as many rows not yet due
 * (statistics gathered), PostgreSQL's plan for it reads neither table whole, and it takes only due rows.
 */
describe('the outbox claim', () => {
  let db: TestDatabase;
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    const {
      rows: [org],
    } = await pg.query<{ id: string }>(
      `INSERT INTO orgs (name, country, trust_level) VALUES ('CERT-Plan', 'FR', 3) RETURNING id`,
    );
    await pg.query(
      `INSERT INTO alerts (source_org_id, title, severity, tlp, status, source_format)
       SELECT $1, 'plan ' || g, 'low', 'GREEN', 'queued', 'native' FROM generate_series(1, 20000) g`,
      [org!.id],
    );
    // A backlog of 2,000 due rows and, interleaved with them by id, 2,000 not due for an hour (as the api's directly
    // dispatched jobs are).
    await pg.query(
      `INSERT INTO outbox (queue, job_name, job_id, payload, available_at)
       SELECT 'pipeline', 'alert.process', 'j' || a.id, jsonb_build_object('alertId', a.id),
              CASE WHEN a.n % 2 = 0 THEN now() + interval '1 hour' ELSE now() END
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM alerts ORDER BY id LIMIT 4000) a
        ORDER BY a.n`,
    );
    await pg.query('ANALYZE alerts; ANALYZE outbox');
  });

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  it('is planned without a sequential scan of the alerts or the outbox', async () => {
    const { rows } = await pg.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${outboxClaimStatement(100)}`,
    );
    expect(scans(rows[0]!['QUERY PLAN'][0].Plan)).toEqual([]);
    // The due rows are found by (available_at, id), not by walking the primary key past the rows not yet due.
    expect(indexes(rows[0]!['QUERY PLAN'][0].Plan)).toContain('outbox_available_idx');
  });

  it('claims the oldest due rows, deleting them, each with its alert source org', async () => {
    await pg.query('BEGIN');
    try {
      const { rows } = await pg.query<{ id: string; org_id: string | null; payload: { alertId: string } }>(
        outboxClaimStatement(3),
      );
      const { rows: oldest } = await pg.query<{ id: string }>(
        'SELECT id FROM outbox WHERE available_at <= now() ORDER BY id LIMIT 3',
      );
      const { rows: notDue } = await pg.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM outbox WHERE id = ANY($1::bigint[]) AND available_at > now()`,
        [rows.map((r) => r.id)],
      );
      expect(notDue[0]!.n).toBe('0');
      // The first row not due sits before the claimed ones: the claim passed over it.
      const { rows: skipped } = await pg.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM outbox WHERE available_at > now() AND id < $1`,
        [rows[2]!.id],
      );
      expect(Number(skipped[0]!.n)).toBeGreaterThan(0);
      const { rows: orgs } = await pg.query<{ id: string; source_org_id: string }>(
        'SELECT id, source_org_id FROM alerts WHERE id = ANY($1::uuid[])',
        [rows.map((r) => r.payload.alertId)],
      );
      expect(rows).toHaveLength(3);
      expect(rows.map((r) => Number(r.id))).toEqual([...rows.map((r) => Number(r.id))].sort((a, b) => a - b));
      // Deleted: the next three are now the oldest.
      expect(oldest.map((r) => Number(r.id))[0]).toBeGreaterThan(Number(rows[2]!.id));
      expect(rows.map((r) => r.org_id)).toEqual(
        rows.map((r) => orgs.find((o) => o.id === r.payload.alertId)?.source_org_id),
      );
    } finally {
      await pg.query('ROLLBACK');
    }
  });

  it('takes nothing when no row is due', async () => {
    await pg.query('BEGIN');
    try {
      await pg.query('DELETE FROM outbox WHERE available_at <= now()');
      const { rows } = await pg.query(outboxClaimStatement(100));
      expect(rows).toEqual([]);
    } finally {
      await pg.query('ROLLBACK');
    }
  });

  it("deletes a job's own rows, skipping those another transaction holds, and only well-formed ids", async () => {
    const { rows: three } = await pg.query<{ id: string }>('SELECT id::text AS id FROM outbox ORDER BY id LIMIT 3');
    const [a, b, c] = three.map((r) => r.id) as [string, string, string];
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      // Another transaction (the relay sending it) holds c.
      await other.query('BEGIN');
      await other.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [c]);
      await pg.query('BEGIN');
      const done = outboxDoneStatement([a, b, c, 'x; DROP TABLE outbox', '-1', '1.5', a])!;
      expect(done).not.toMatch(/DROP|-1|1\.5/);
      const result = await pg.query(done);
      expect(result.rowCount).toBe(2);
      const { rows: left } = await pg.query<{ id: string }>(
        'SELECT id::text AS id FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id',
        [[a, b, c]],
      );
      expect(left.map((r) => r.id)).toEqual([c]);
      await pg.query('ROLLBACK');
      await other.query('ROLLBACK');
    } finally {
      await other.end();
    }
    expect(outboxDoneStatement([])).toBeNull();
    expect(outboxDoneStatement(['0', 'abc', '12345678901234567890'])).toBeNull();
  });

  it('refuses a batch size that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => outboxClaimStatement(bad)).toThrow(/bad batch size/);
    }
  });
});
