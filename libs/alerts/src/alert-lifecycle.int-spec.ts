import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db, Outbox, type Tx } from '@tocsin/db';
import {
  ALERT_LIFECYCLE,
  ALERT_STAGES,
  TRANSITION_NAMES,
  transition,
  type AlertStage,
  type TransitionName,
} from '@tocsin/domain';
import { alertJob } from '@tocsin/queues';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import type { AlertRecord } from './alert.repository';
import { AlertStore, alertSteps } from './alert-store';
import { AlertsModule } from './alerts.module';
import { IllegalTransition } from './illegal-transition';
import { ReconcileStuckWorkUseCase } from './reconcile-stuck-work.use-case';

let ctx: IntContext;
let store: AlertStore;
let db: Db;
let outbox: Outbox;
let orgId: string;

beforeAll(async () => {
  ctx = await createIntContext([AlertsModule]);
  store = ctx.app.get(AlertStore);
  db = ctx.app.get(Db);
  outbox = ctx.app.get(Outbox);
  const [org] = await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level) VALUES ('CERT-Lifecycle', 'FR', 3) RETURNING id`,
  );
  orgId = org!.id;
});

afterAll(async () => {
  await ctx?.close();
});

/** An alert stored in this stage, as the pipeline leaves it there (flags the stage does not look at: false / null). */
async function seed(stage: AlertStage, hoursAgo = 0): Promise<string> {
  const spec = ALERT_LIFECYCLE.stages[stage];
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO alerts (source_org_id, title, severity, tlp, status, status_reason, approved, correlated_at,
                         source_format, submitted_at, updated_at)
     VALUES ($1, $2, 'low', 'GREEN', $3, $4, $5, CASE WHEN $6 THEN now() END, 'native',
             now() - $7 * interval '1 hour', now() - $7 * interval '1 hour')
     RETURNING id`,
    [
      orgId,
      `lifecycle ${stage}`,
      spec.status,
      spec.status === 'pending_review' ? 'needs review' : null,
      spec.approved ?? spec.status === 'published',
      spec.correlated ?? false,
      hoursAgo,
    ],
  );
  return row!.id;
}

const review = () => ({ reason: 'checked the sinkhole', byOrgId: orgId, byKeyId: randomUUID() });

/** Each transition through its AlertStore method, with plausible arguments (typed: none can be left out). */
const CALLS: Record<TransitionName, (a: AlertRecord, tx: Tx) => Promise<AlertRecord>> = {
  markNormalized: (a, tx) => store.markNormalized(a, { indicatorCount: 2, rejectedCount: 1, warningCount: 0 }, tx),
  approve: (a, tx) => store.approve(a, null, tx),
  holdForReview: (a, tx) => store.holdForReview(a, 'needs review', tx),
  release: (a, tx) => store.release(a, 'published on corroboration by 2 other organisations', tx),
  approveInReview: (a, tx) => store.approveInReview(a, review(), tx),
  reject: (a, tx) => store.reject(a, review(), tx),
  publish: (a, tx) => store.publish(a, { seq: 1, at: new Date() }, tx),
  markCorrelated: (a, tx) => store.recordCorrelation(a, new Date(), tx),
  revise: (a, tx) => store.revise(a, { title: 'revised', validUntil: null, revision: a.revision + 1 }, tx),
  revoke: (a, tx) => store.revoke(a, { reason: 'false positive', at: new Date() }, tx),
};

const PAIRS = TRANSITION_NAMES.flatMap((name) => ALERT_STAGES.map((from) => [name, from] as const));
const ILLEGAL = PAIRS.filter(([name, from]) => !transition(from, name).ok);
const ALLOWED = PAIRS.flatMap(([name, from]) => {
  const to = transition(from, name);
  return to.ok ? [[name, from, to.value] as const] : [];
});

const row = async (id: string) => (await ctx.sql(`SELECT * FROM alerts WHERE id = $1`, [id]))[0] as unknown;
const outboxRows = async (id: string) =>
  (await ctx.sql<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'alertId' = $1`, [id]))[0]!.n;

/**
 * The caller's transaction, as a use-case writes it: lock, write something else first (an outbox row), then the
 * transition. A refused transition must roll all of it back.
 */
function moveInTransaction(id: string, name: TransitionName): Promise<AlertRecord> {
  return db.transaction(async (tx) => {
    const a = await store.lock(id, tx);
    await outbox.enqueue(tx, alertJob('alert.publish', { alertId: id, requestId: null }));
    return CALLS[name](a!, tx);
  });
}

describe(`${AlertStore.name} lifecycle transitions`, () => {
  it('checks every transition from every stage', () => {
    expect(ILLEGAL.length + ALLOWED.length).toBe(TRANSITION_NAMES.length * ALERT_STAGES.length);
    expect(ALLOWED.length).toBeGreaterThan(0);
  });

  it.each(ILLEGAL)('refuses %s from %s and writes nothing', async (name, from) => {
    const id = await seed(from);
    const before = await row(id);
    const refused = moveInTransaction(id, name);
    await expect(refused).rejects.toBeInstanceOf(IllegalTransition);
    await expect(refused).rejects.toMatchObject({ code: 'illegal-transition', transition: name, from, moved: false });
    expect(await row(id)).toEqual(before);
    expect(await outboxRows(id)).toBe(0);
  });

  it.each(ALLOWED)('takes %s from %s to %s', async (name, from, to) => {
    const id = await seed(from);
    const moved = await moveInTransaction(id, name);
    const spec = ALERT_LIFECYCLE.stages[to];
    const [stored] = await ctx.sql<{ status: string; approved: boolean; correlated_at: Date | null }>(
      `SELECT status, approved, correlated_at FROM alerts WHERE id = $1`,
      [id],
    );
    expect(stored!.status).toBe(spec.status);
    expect(moved.status).toBe(spec.status);
    if (spec.approved !== undefined) {
      expect(stored!.approved).toBe(spec.approved);
    }
    if (spec.correlated !== undefined) {
      expect(stored!.correlated_at !== null).toBe(spec.correlated);
    }
    expect(await outboxRows(id)).toBe(1);
  });

  it('refuses a move from a record the row has left since (the UPDATE is guarded too) and writes nothing', async () => {
    const id = await seed('queued');
    const before = await row(id);
    const refused = db.transaction(async (tx) => {
      const a = (await store.lock(id, tx))!;
      await store.markNormalized(a, { indicatorCount: 1, rejectedCount: 0, warningCount: 0 }, tx);
      // `a` still says queued: the lifecycle allows the move from there, the row no longer is there.
      return store.markNormalized(a, { indicatorCount: 9, rejectedCount: 0, warningCount: 0 }, tx);
    });
    await expect(refused).rejects.toMatchObject({ transition: 'markNormalized', from: 'queued', moved: true });
    expect(await row(id)).toEqual(before);
  });

  it('chains the one-hop path on the records the transitions return', async () => {
    const id = await seed('queued');
    const published = await db.transaction(async (tx) => {
      let a = (await store.lock(id, tx))!;
      a = await store.markNormalized(a, { indicatorCount: 1, rejectedCount: 0, warningCount: 0 }, tx);
      a = await store.approve(a, null, tx);
      return store.publish(a, { seq: 42, at: new Date() }, tx);
    });
    expect(published).toMatchObject({ status: 'published', approved: true, publishedSeq: '42', indicatorCount: 1 });
    expect(await ctx.sql(`SELECT status, approved, published_seq FROM alerts WHERE id = $1`, [id])).toEqual([
      { status: 'published', approved: true, published_seq: '42' },
    ]);
  });

  it('writes a group of paths in one statement, each from the stage its row was locked in', async () => {
    const [a, b] = [await seed('queued'), await seed('queued')];
    const at = new Date('2026-01-02T03:04:05Z');
    const moved = await db.transaction(async (tx) => {
      const [x, y] = [(await store.lock(a, tx))!, (await store.lock(b, tx))!];
      const counts = { indicatorCount: 2, rejectedCount: 1, warningCount: 0 };
      const approved = store.preview(x, [alertSteps.markNormalized(counts), alertSteps.approve(null)]);
      return store.transitionMany(
        [
          {
            alert: x,
            steps: [
              alertSteps.markNormalized(counts),
              alertSteps.approve(null),
              alertSteps.publish(approved, { seq: 7, at }),
              alertSteps.markCorrelated(at),
            ],
          },
          { alert: y, steps: [alertSteps.markNormalized(counts), alertSteps.holdForReview('needs review')] },
        ],
        tx,
      );
    });
    expect(moved.map((m) => [m.status, m.approved, m.publishedSeq])).toEqual([
      ['published', true, '7'],
      ['pending_review', false, null],
    ]);
    const stored = await ctx.sql(
      `SELECT status, approved, status_reason, indicator_count, rejected_count, published_seq, published_at,
              correlated_at FROM alerts WHERE id = ANY($1::uuid[]) ORDER BY status`,
      [[a, b]],
    );
    expect(stored).toEqual([
      {
        status: 'pending_review',
        approved: false,
        status_reason: 'needs review',
        indicator_count: 2,
        rejected_count: 1,
        published_seq: null,
        published_at: null,
        correlated_at: null,
      },
      {
        status: 'published',
        approved: true,
        status_reason: null,
        indicator_count: 2,
        rejected_count: 1,
        published_seq: '7',
        published_at: at,
        correlated_at: at,
      },
    ]);
  });

  it('refuses a group with an illegal step in any path, and writes nothing of it', async () => {
    const [a, b] = [await seed('queued'), await seed('queued')];
    const before = [await row(a), await row(b)];
    const refused = db.transaction(async (tx) => {
      const [x, y] = [(await store.lock(a, tx))!, (await store.lock(b, tx))!];
      await outbox.enqueue(tx, alertJob('alert.publish', { alertId: a, requestId: null }));
      const counts = { indicatorCount: 1, rejectedCount: 0, warningCount: 0 };
      return store.transitionMany(
        [
          { alert: x, steps: [alertSteps.markNormalized(counts), alertSteps.approve(null)] },
          // normalized → published skips approval: the lifecycle refuses the second step.
          { alert: y, steps: [alertSteps.markNormalized(counts), alertSteps.publish(y, { seq: 1, at: new Date() })] },
        ],
        tx,
      );
    });
    await expect(refused).rejects.toBeInstanceOf(IllegalTransition);
    await expect(refused).rejects.toMatchObject({
      alertId: b,
      transition: 'publish',
      from: 'normalized',
      moved: false,
    });
    expect([await row(a), await row(b)]).toEqual(before);
    expect(await outboxRows(a)).toBe(0);
  });

  it('refuses a group when a row has left the stage it was locked in, and the transaction writes nothing', async () => {
    const [a, b] = [await seed('queued'), await seed('queued')];
    const before = [await row(a), await row(b)];
    const counts = { indicatorCount: 1, rejectedCount: 0, warningCount: 0 };
    const refused = db.transaction(async (tx) => {
      const [x, y] = [(await store.lock(a, tx))!, (await store.lock(b, tx))!];
      await store.markNormalized(y, counts, tx);
      // `y` still says queued: every path is legal from there, but b's row is no longer there.
      return store.transitionMany(
        [
          { alert: x, steps: [alertSteps.markNormalized(counts)] },
          { alert: y, steps: [alertSteps.markNormalized(counts)] },
        ],
        tx,
      );
    });
    await expect(refused).rejects.toMatchObject({
      alertId: b,
      transition: 'markNormalized',
      from: 'queued',
      moved: true,
    });
    expect([await row(a), await row(b)]).toEqual(before);
  });

  it.each(ALERT_STAGES.filter((s) => !transition(s, 'markCorrelated').ok))(
    'markCorrelated (no lock held) leaves an alert in %s unchanged',
    async (from) => {
      const id = await seed(from);
      const before = await row(id);
      await expect(store.markCorrelated(id)).resolves.toBe(false);
      expect(await row(id)).toEqual(before);
    },
  );
});

describe(ReconcileStuckWorkUseCase.name, () => {
  it('re-enqueues each stale alert with the job the lifecycle names for its stage, and nothing else', async () => {
    const stale = new Map<string, AlertStage>();
    for (const stage of ALERT_STAGES) {
      stale.set(await seed(stage, 2), stage);
    }
    // A revoked report that is still a part of a coordinated alert must leave it: its job is due too.
    const inCoordinated = await seed('revoked', 2);
    const [coordinated] = await ctx.sql<{ id: string }>(
      `INSERT INTO coordinated_alerts (status, version, first_report, last_report, snapshot)
       VALUES ('active', 1, now(), now(), '{}') RETURNING id`,
    );
    await ctx.sql(
      `INSERT INTO coordinated_alert_parts (coordinated_alert_id, alert_id, joined_version) VALUES ($1, $2, 1)`,
      [coordinated!.id, inCoordinated],
    );
    // A queued alert past the one-hop limit takes the chunked path, as it did at submission (firstJob).
    const large = await seed('queued', 2);
    await ctx.sql(`UPDATE alerts SET indicator_count = $2 WHERE id = $1`, [
      large,
      ctx.app.get<AppConfig>(APP_CONFIG).TOCSIN_ONE_HOP_MAX_INDICATORS + 1,
    ]);
    const fresh = await seed('queued');

    await ctx.app.get(ReconcileStuckWorkUseCase).execute();

    const jobs = await ctx.sql<{ alert_id: string; job_name: string }>(
      `SELECT payload->>'alertId' AS alert_id, job_name FROM outbox WHERE payload->>'alertId' = ANY($1::text[])`,
      [[...stale.keys(), inCoordinated, large, fresh]],
    );
    const byStage = Object.fromEntries(jobs.map((j) => [stale.get(j.alert_id) ?? j.alert_id, j.job_name]));
    expect(byStage).toEqual({
      queued: 'alert.process',
      [large]: 'alert.normalize',
      normalized: 'alert.vet',
      approved: 'alert.publish',
      approved_in_review: 'alert.publish',
      published: 'alert.correlate',
      [inCoordinated]: 'alert.withdraw',
    });
  });
});
