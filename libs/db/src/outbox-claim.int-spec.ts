import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness/test-database';
import { outboxClaimStatement } from './outbox';

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

const scans = (n: PlanNode): string[] => [
  ...(n['Node Type'] === 'Seq Scan' ? [n['Relation Name'] ?? '?'] : []),
  ...(n.Plans ?? []).flatMap(scans),
];

/**
 * The relay's claim runs on every outbox wake-up, so its cost must not grow with the alerts table: with many alerts
 * and a backlog in the outbox (statistics gathered), PostgreSQL's plan for it reads neither table whole.
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
    await pg.query(
      `INSERT INTO outbox (queue, job_name, job_id, payload)
       SELECT 'pipeline', 'alert.process', 'j' || a.id, jsonb_build_object('alertId', a.id)
         FROM (SELECT id FROM alerts LIMIT 2000) a`,
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
  });

  it('claims the oldest rows, deleting them, each with its alert source org', async () => {
    await pg.query('BEGIN');
    try {
      const { rows } = await pg.query<{ id: string; org_id: string | null; payload: { alertId: string } }>(
        outboxClaimStatement(3),
      );
      const { rows: oldest } = await pg.query<{ id: string }>('SELECT id FROM outbox ORDER BY id LIMIT 3');
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

  it('refuses a batch size that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => outboxClaimStatement(bad)).toThrow(/bad batch size/);
    }
  });
});
