import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '@tocsin/db';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { AlertRevisions } from './alert-revisions';
import { AlertStore } from './alert-store';
import { AlertsModule } from './alerts.module';
import { IllegalTransition } from './illegal-transition';

let ctx: IntContext;
let store: AlertStore;
let revisions: AlertRevisions;
let db: Db;
let orgId: string;
let recipientId: string;

beforeAll(async () => {
  ctx = await createIntContext([AlertsModule]);
  store = ctx.app.get(AlertStore);
  revisions = ctx.app.get(AlertRevisions);
  db = ctx.app.get(Db);
  const [org, recipient] = await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level) VALUES ('CERT-Revisions', 'FR', 3), ('CERT-Named', 'BE', 3)
     RETURNING id`,
  );
  orgId = org!.id;
  recipientId = recipient!.id;
});

afterAll(async () => {
  await ctx?.close();
});

async function seed(status: 'published' | 'pending_review', tlp = 'GREEN', recipients: string[] = []): Promise<string> {
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO alerts (source_org_id, title, description, severity, tlp, status, approved, confidence, recipients,
                         source_format, valid_until)
     VALUES ($1, 'C2 wave', 'seen steering hosts', 'high', $2, $3, $4, 40, $5::uuid[], 'native',
             '2030-01-01T00:00:00Z')
     RETURNING id`,
    [orgId, tlp, status, status === 'published', recipients],
  );
  return row!.id;
}

const logOf = (id: string) =>
  ctx.sql<{ event: string; tlp: string; source_org_id: string; recipients: string[]; payload: any }>(
    `SELECT event, tlp, source_org_id, recipients, payload FROM publish_log WHERE alert_id = $1 ORDER BY seq`,
    [id],
  );

describe('AlertRevisions.append', () => {
  it('writes the next revision and logs alert-updated with the whole revisable context, for the alert’s audience', async () => {
    const id = await seed('published', 'RED', [recipientId]);
    const at = new Date('2026-12-05T10:00:00.000Z');
    const { seq, alert } = await db.transaction(async (tx) => {
      const a = (await store.lock(id, tx))!;
      return revisions.append(a, { confidence: 55 }, at, tx);
    });
    expect(seq).toBeGreaterThan(0);
    expect(alert).toMatchObject({ revision: 2, confidence: 55, title: 'C2 wave' });
    const [row] = await ctx.sql('SELECT revision, confidence, status FROM alerts WHERE id = $1', [id]);
    expect(row).toEqual({ revision: 2, confidence: 55, status: 'published' });
    expect(await logOf(id)).toEqual([
      {
        event: 'alert-updated',
        tlp: 'RED',
        source_org_id: orgId,
        recipients: [recipientId],
        payload: {
          id,
          revision: 2,
          title: 'C2 wave',
          description: 'seen steering hosts',
          severity: 'high',
          validUntil: '2030-01-01T00:00:00.000Z',
          confidence: 55,
          updatedAt: at.toISOString(),
        },
      },
    ]);
  });

  it('refuses an alert that is not published, and writes nothing', async () => {
    const id = await seed('pending_review');
    await expect(
      db.transaction(async (tx) => revisions.append((await store.lock(id, tx))!, { confidence: 90 }, new Date(), tx)),
    ).rejects.toBeInstanceOf(IllegalTransition);
    const [row] = await ctx.sql('SELECT revision, confidence FROM alerts WHERE id = $1', [id]);
    expect(row).toEqual({ revision: 1, confidence: 40 });
    expect(await logOf(id)).toEqual([]);
  });
});

describe('an alert row lock', () => {
  it('excludes another writer but not a foreign key check, so linking a report to a locked alert does not wait', async () => {
    const locked = await seed('published');
    const report = await seed('published');
    const other = new Client({ connectionString: ctx.db.url });
    await other.connect();
    try {
      await db.transaction(async (tx) => {
        await store.lock(locked, tx);
        await other.query('BEGIN');
        await other.query(`SET LOCAL lock_timeout = '2s'`);
        // What linking does: a row that references the locked alert (its foreign key check takes a key-share lock).
        await other.query(
          `INSERT INTO alert_links (alert_id, linked_alert_id, shared_count, shared_keys) VALUES ($1, $2, 1, '{}')`,
          [report, locked],
        );
        // Another writer of the alert waits for the lock: here, until its lock_timeout.
        await other.query('SAVEPOINT s');
        await other.query(`SET LOCAL lock_timeout = '200ms'`);
        await expect(other.query('SELECT id FROM alerts WHERE id = $1 FOR NO KEY UPDATE', [locked])).rejects.toThrow(
          /lock timeout/,
        );
        await other.query('ROLLBACK TO SAVEPOINT s');
        await other.query('COMMIT');
      });
    } finally {
      await other.end();
    }
    const links = await ctx.sql('SELECT alert_id FROM alert_links WHERE linked_alert_id = $1', [locked]);
    expect(links).toEqual([{ alert_id: report }]);
  });
});
