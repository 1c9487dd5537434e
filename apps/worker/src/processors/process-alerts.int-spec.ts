import { randomBytes, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlertsModule, SubmitAlertUseCase } from '@tocsin/alerts';
import { CoordinationModule } from '@tocsin/coordination';
import { Outbox } from '@tocsin/db';
import { AlertFeed, DeliveryModule, entriesFromWake, PublishAlertUseCase } from '@tocsin/delivery';
import { generateApiKey, hashApiKey, type Actor } from '@tocsin/domain';
import { AuthenticateKeyUseCase } from '@tocsin/orgs';
import { NormalizationModule, NormalizeAlertUseCase } from '@tocsin/normalization';
import { Metrics, SocketBroadcaster } from '@tocsin/platform';
import { alertJobSchema, QueueName, Queues, type AlertJobPayload } from '@tocsin/queues';
import { VetAlertUseCase, VettingModule } from '@tocsin/vetting';
import { createIntContext, type IntContext } from '../../../../test/harness/int-module';
import { ProcessAlerts } from './process-alerts';

/** The worker's pipeline without its BullMQ workers and relay loop: each step is driven by the test. */
@Module({
  imports: [AlertsModule, NormalizationModule, VettingModule, CoordinationModule, DeliveryModule],
  providers: [ProcessAlerts],
})
class PipelineModule {}

let ctx: IntContext;
let trusted: Actor;
let untrusted: Actor;

async function org(name: string, trust: number): Promise<Actor> {
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level) VALUES ($1, 'FR', $2) RETURNING id`,
    [name, trust],
  );
  return { keyId: randomUUID(), orgId: row!.id, role: 'operator', orgIsHub: false, trustLevel: trust as 3 };
}

beforeAll(async () => {
  ctx = await createIntContext([PipelineModule]);
  trusted = await org('CERT-OneHop', 3);
  untrusted = await org('CERT-New', 1);
});

afterAll(async () => {
  await ctx?.close();
});

let n = 0;
/**
 * A small native alert with `count` indicators, distinct per call (alerts do not link to each other) and on no
 * warning list (so vetting runs its linking query, as for a real report).
 */
function small(count = 3, extra: { type: string; value: string }[] = []) {
  n += 1;
  const indicators = Array.from({ length: count }, (_, i) => ({
    type: 'domain',
    value: `h${i}.a${n}-${randomUUID().slice(0, 8)}.tocsin-int.com`,
  }));
  return {
    body: {
      kind: 'json' as const,
      value: { title: `one hop ${n}`, tlp: 'GREEN', severity: 'low', indicators: [...indicators, ...extra] },
    },
    contentType: 'application/json',
    query: {},
  };
}

async function submit(actor: Actor, input = small()): Promise<string> {
  return (await ctx.app.get(SubmitAlertUseCase).execute(actor, input, null)).id;
}

const jobOf = (alertId: string) => ({ alertId, requestId: null });

/** The outbox rows of `alertIds`' jobs: due to the relay now, or waiting (a job the api dispatched itself). */
async function outboxDue(alertIds: readonly string[]): Promise<{ due: number; waiting: number }> {
  const [row] = await ctx.sql<{ due: number; waiting: number }>(
    `SELECT count(*) FILTER (WHERE available_at <= now())::int AS due,
            count(*) FILTER (WHERE available_at > now())::int AS waiting
       FROM outbox WHERE payload->>'alertId' = ANY($1::text[])`,
    [alertIds],
  );
  return row!;
}

async function outboxJobs(alertId: string): Promise<string[]> {
  const rows = await ctx.sql<{ job_name: string }>(
    `SELECT job_name FROM outbox WHERE payload->>'alertId' = $1 ORDER BY id`,
    [alertId],
  );
  return rows.map((r) => r.job_name);
}

async function state(alertId: string) {
  const [a] = await ctx.sql<Record<string, unknown>>(
    `SELECT status, status_reason, approved, indicator_count, rejected_count, warning_count, confidence,
            published_seq, correlated_at IS NOT NULL AS correlated
       FROM alerts WHERE id = $1`,
    [alertId],
  );
  const indicators = await ctx.sql(
    `SELECT position, type, canonical_value, rejection, flags, warning_list FROM indicators
      WHERE alert_id = $1 ORDER BY position`,
    [alertId],
  );
  return { alert: a, indicators };
}

async function logEntries(alertIds: readonly string[]) {
  return ctx.sql<{
    seq: string;
    alert_id: string;
    payload: { indicators: unknown[]; indicatorCount: number } & Record<string, unknown>;
  }>(`SELECT seq, alert_id, payload FROM publish_log WHERE alert_id = ANY($1::uuid[]) ORDER BY seq`, [alertIds]);
}

/** Runs the chunked path by hand (normalize, vet, publish jobs), as the worker does for a large alert. */
async function chunked(alertId: string): Promise<void> {
  await ctx.app.get(NormalizeAlertUseCase).execute(jobOf(alertId));
  if ((await ctx.app.get(VetAlertUseCase).execute(jobOf(alertId))) === 'publish') {
    await ctx.app.get(PublishAlertUseCase).execute(jobOf(alertId));
  }
}

describe(ProcessAlerts.name, () => {
  it('writes alert.process for a small alert and alert.normalize for one over TOCSIN_ONE_HOP_MAX_INDICATORS', async () => {
    const one = await submit(trusted, small(3));
    const big = await submit(trusted, small(1_001));
    expect(await outboxJobs(one)).toEqual(['alert.process']);
    expect(await outboxJobs(big)).toEqual(['alert.normalize']);
    const [row] = await ctx.sql<{ queue: string }>(`SELECT queue FROM outbox WHERE payload->>'alertId' = $1`, [one]);
    expect(row?.queue).toBe('pipeline');
  });

  it('the chunked path streams its batches and still merges duplicates across them, actionable if any mention is', async () => {
    // 25,000 rows over three read batches of 10,000, written while later ones are read: a value first seen not
    // actionable in batch 1 and again, actionable, in batches 2 and 3 (and one across the 9,999/10,000 boundary).
    const [row] = await ctx.sql<{ id: string }>(
      `INSERT INTO alerts (source_org_id, title, severity, tlp, status, source_format, indicator_count)
       VALUES ($1, 'streamed', 'low', 'GREEN', 'queued', 'csv', 25000) RETURNING id`,
      [trusted.orgId],
    );
    const id = row!.id;
    await ctx.sql(
      `INSERT INTO indicators (alert_id, position, type, raw_value, actionable)
       SELECT $1, g, 'domain',
              CASE WHEN g IN (5, 15005, 22000) THEN 'Dup.Tocsin-Int.COM'
                   WHEN g IN (9999, 10000) THEN 'edge.tocsin-int.com'
                   WHEN g = 7 THEN 'not a domain'
                   ELSE 'h' || g || '.stream.tocsin-int.com' END,
              g NOT IN (5, 22000, 9999)
         FROM generate_series(0, 24999) g`,
      [id],
    );
    await ctx.app.get(NormalizeAlertUseCase).execute(jobOf(id));
    const rows = await ctx.sql<{ position: number; canonical_value: string | null; flags: string[] }>(
      `SELECT position, canonical_value, flags FROM indicators WHERE alert_id = $1 AND position IN (5, 7, 9999, 10000, 15005, 22000, 24999) ORDER BY position`,
      [id],
    );
    expect(rows).toEqual([
      { position: 5, canonical_value: 'dup.tocsin-int.com', flags: [] },
      { position: 7, canonical_value: null, flags: [] },
      { position: 9999, canonical_value: 'edge.tocsin-int.com', flags: [] },
      { position: 24999, canonical_value: 'h24999.stream.tocsin-int.com', flags: [] },
    ]);
    const [left] = await ctx.sql<{ raw: string; n: string }>(
      `SELECT count(*) FILTER (WHERE canonical_value IS NULL AND rejection IS NULL) AS raw, count(*) AS n
         FROM indicators WHERE alert_id = $1`,
      [id],
    );
    // Every row normalized (none left raw); the three merged duplicates removed.
    expect(left).toEqual({ raw: '0', n: '24997' });
    expect((await state(id)).alert).toMatchObject({ status: 'normalized', indicator_count: 24996, rejected_count: 1 });
  });

  it('publishes a small alert in one job, as the chunked path would, and settles its correlation', async () => {
    const extra = [{ type: 'ipv4', value: 'not-an-ip' }];
    const [viaOneHop, viaChunks] = [await submit(trusted, small(3, extra)), await submit(trusted, small(3, extra))];
    const outcomes = await ctx.app.get(ProcessAlerts).execute([jobOf(viaOneHop)]);
    expect(outcomes.get(viaOneHop)).toBe('published');
    await chunked(viaChunks);

    const [a, b] = [await state(viaOneHop), await state(viaChunks)];
    expect(a.alert).toMatchObject({ status: 'published', approved: true, indicator_count: 3, rejected_count: 1 });
    expect(a.alert?.correlated).toBe(true);
    const strip = (s: typeof a) => ({
      ...s.alert,
      published_seq: null,
      indicators: s.indicators.map((i) => ({ ...i, canonical_value: null })),
    });
    expect(strip(a)).toEqual(strip(b));
    const [entry] = await logEntries([viaOneHop]);
    expect(entry?.payload.indicators).toHaveLength(3);
    expect(entry?.payload.indicatorCount).toBe(3);
    // The event pushed is the one the chunked path pushes (its indicators from memory, theirs read back).
    const [other] = await logEntries([viaChunks]);
    const shape = (p: Record<string, unknown> | undefined) => ({
      keys: Object.keys(p ?? {}).sort(),
      indicators: (p?.indicators as { value: string }[]).map((i) => ({ ...i, value: i.value.split('.')[0] })),
      chunks: p?.indicatorChunks,
      warningCount: p?.warningCount,
    });
    expect(shape(entry?.payload)).toEqual(shape(other?.payload));
  });

  it('holds an alert for review exactly as the chunked path does, and publishes nothing', async () => {
    const [viaOneHop, viaChunks] = [await submit(untrusted), await submit(untrusted)];
    expect((await ctx.app.get(ProcessAlerts).execute([jobOf(viaOneHop)])).get(viaOneHop)).toBe('review');
    await chunked(viaChunks);
    const [a, b] = [await state(viaOneHop), await state(viaChunks)];
    expect(a.alert).toMatchObject({ status: 'pending_review', approved: false, published_seq: null });
    expect(a.alert?.status_reason).toMatch(/needs review/);
    expect(a.alert).toEqual(b.alert);
    expect(await logEntries([viaOneHop, viaChunks])).toEqual([]);
    expect(await outboxJobs(viaOneHop)).toEqual(['alert.process']);
  });

  it('group commit: a group gets consecutive seqs in one transaction and wakes the gateways once', async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) {
      ids.push(await submit(i === 2 ? untrusted : trusted));
    }
    const wake = vi.spyOn(ctx.app.get(SocketBroadcaster), 'published');
    try {
      const outcomes = await ctx.app.get(ProcessAlerts).execute(ids.map(jobOf));
      expect(ids.map((id) => outcomes.get(id))).toEqual([
        'published',
        'published',
        'review',
        'published',
        'published',
        'published',
      ]);
      const entries = await logEntries(ids);
      const seqs = entries.map((e) => Number(e.seq));
      expect(seqs).toHaveLength(5);
      // In the jobs' order (the queue's fair order), whatever the alert ids.
      expect(entries.map((e) => e.alert_id)).toEqual(ids.filter((_, i) => i !== 2));
      expect(seqs).toEqual(Array.from({ length: 5 }, (_, i) => seqs[0]! + i));
      // Nothing else was published in between: no gap in the log.
      const [{ max } = { max: '0' }] = await ctx.sql<{ max: string }>(`SELECT MAX(seq) AS max FROM publish_log`);
      expect(Number(max)).toBe(seqs[4]);
      expect(wake).toHaveBeenCalledTimes(1);
      expect(wake).toHaveBeenCalledWith(String(seqs[4]), expect.any(Array));
      // The wake-up carries the group's entries as the log holds them (what a gateway at the tail sends unread).
      const carried = entriesFromWake(wake.mock.calls[0]![1]);
      expect(carried?.map((e) => ({ seq: e.seq, alert_id: e.alertId, payload: e.payload }))).toEqual(
        entries.map((e) => ({ seq: Number(e.seq), alert_id: e.alert_id, payload: e.payload })),
      );
    } finally {
      wake.mockRestore();
    }
  });

  it('re-running the job after it committed publishes nothing twice and wakes no gateway', async () => {
    const ids = [await submit(trusted), await submit(trusted), await submit(untrusted)];
    const process = ctx.app.get(ProcessAlerts);
    await process.execute(ids.map(jobOf));
    const before = await logEntries(ids);
    const wake = vi.spyOn(ctx.app.get(SocketBroadcaster), 'published');
    try {
      const again = await process.execute(ids.map(jobOf));
      expect([...again.values()]).toEqual(['skipped', 'skipped', 'skipped']);
      expect(await logEntries(ids)).toEqual(before);
      expect(wake).not.toHaveBeenCalled();
      // The same job twice in one group counts once.
      const twice = await submit(trusted);
      await process.execute([jobOf(twice), jobOf(twice)]);
      expect(await logEntries([twice])).toHaveLength(1);
    } finally {
      wake.mockRestore();
    }
  });

  it('leaves a linked alert correlated by its alert.correlate job, written by the publishing transaction', async () => {
    const shared = [{ type: 'ipv4', value: '185.220.101.77' }];
    const other = await org('CERT-Other', 3);
    const first = await submit(other, small(1, shared));
    await ctx.app.get(ProcessAlerts).execute([jobOf(first)]);
    const second = await submit(trusted, small(1, shared));
    await ctx.app.get(ProcessAlerts).execute([jobOf(second)]);
    expect((await state(second)).alert).toMatchObject({ status: 'published', correlated: false });
    expect(await outboxJobs(second)).toEqual(['alert.process', 'alert.correlate']);
  });

  it('links an alert to one vetted before it in the same group, as if each status had been written at once', async () => {
    const shared = [{ type: 'ipv4', value: '185.220.101.78' }];
    const other = await org('CERT-Same-Group', 3);
    const first = await submit(other, small(1, shared));
    const second = await submit(trusted, small(1, shared));
    await ctx.app.get(ProcessAlerts).execute([jobOf(first), jobOf(second)]);
    // The first was vetted while the second was still queued: linked to nothing, settled at once. The second sees the
    // first (vetted earlier in the group, its status written only at the end): linked, its correlation job written.
    expect((await state(first)).alert).toMatchObject({ status: 'published', correlated: true });
    expect((await state(second)).alert).toMatchObject({ status: 'published', correlated: false });
    expect(await outboxJobs(second)).toEqual(['alert.process', 'alert.correlate']);
    const links = await ctx.sql<{ alert_id: string; linked_alert_id: string }>(
      `SELECT alert_id, linked_alert_id FROM alert_links WHERE alert_id = ANY($1::uuid[]) ORDER BY alert_id = $2 DESC`,
      [[first, second], first],
    );
    expect(links).toEqual([
      { alert_id: first, linked_alert_id: second },
      { alert_id: second, linked_alert_id: first },
    ]);
  });

  it('counts the database round trips of a small alert from 202 to socket', async () => {
    const queries = ctx.app.get(Metrics).dbQueries;
    const total = async () => (await queries.get()).values.reduce((s, v) => s + v.value, 0);
    const feed = ctx.app.get(AlertFeed);
    const outbox = ctx.app.get(Outbox);
    const pipeline = ctx.app.get(Queues).get(QueueName.Pipeline);
    // Each request authenticates its API key (the api guard's read) before submitting.
    const { key, lookupId } = generateApiKey((k) => randomBytes(k));
    await ctx.sql(`INSERT INTO api_keys (org_id, role, lookup_id, key_hash) VALUES ($1, 'operator', $2, $3)`, [
      trusted.orgId,
      lookupId,
      hashApiKey(key),
    ]);
    const authenticate = ctx.app.get(AuthenticateKeyUseCase);
    // Nothing else waits in the outbox: earlier tests' due rows are relayed (and dropped) first.
    await outbox.relay(10_000, (rows) => Promise.resolve(new Set(rows.map((r) => r.id))));

    /** submit (with the api's hand-over to BullMQ) → one-hop job → the gateway's tail read, for `k` alerts together. */
    async function roundTrips(k: number): Promise<Record<string, number>> {
      const head = await feed.head();
      const counts: Record<string, number> = {};
      let at = await total();
      const step = async (name: string, fn: () => Promise<unknown>) => {
        await fn();
        const now = await total();
        counts[name] = now - at;
        at = now;
      };
      const ids: string[] = [];
      const jobs: AlertJobPayload[] = [];
      await step('submit', async () => {
        for (let i = 0; i < k; i++) {
          const actor = await authenticate.execute(key);
          ids.push(await submit(actor!));
        }
        // The api handed each job to BullMQ itself, with its outbox row's id: the worker takes it from there.
        await vi.waitFor(
          async () => {
            const got = await Promise.all(ids.map((id) => pipeline.getJob(`alert.process.${id}`)));
            expect(got.every((j) => j?.data.outboxId)).toBe(true);
            jobs.splice(0, jobs.length, ...got.map((j) => alertJobSchema.parse(j!.data)));
          },
          { timeout: 5_000 },
        );
      });
      // Their outbox rows wait, not yet due: no relay pass is on the alert's way (the relay's share is 0).
      expect(await outboxDue(ids)).toEqual({ due: 0, waiting: k });
      await step('job', () => ctx.app.get(ProcessAlerts).execute(jobs));
      // The job deleted its rows as it committed: the relay will never send them.
      expect(await outboxDue(ids)).toEqual({ due: 0, waiting: 0 });
      // The gateway: a tail at `head` takes the entries the job's wake-up carried (DeliveryEngine.wake), reading the
      // log only when they are not there.
      const carried = wake.mock.calls.at(-1)?.[1];
      await step('gateway', async () => {
        const entries = entriesFromWake(carried)?.filter((e) => e.seq > head) ?? (await feed.tail(head, 1_000));
        await feed.subjects(entries);
        expect(entries.map((e) => e.alertId)).toEqual(ids);
      });
      return counts;
    }

    const wake = vi.spyOn(ctx.app.get(SocketBroadcaster), 'published');
    const alone = await roundTrips(1);
    const grouped = await roundTrips(20);
    const perAlone = Object.values(alone).reduce((s, v) => s + v, 0);
    const perGrouped = Object.values(grouped).reduce((s, v) => s + v, 0) / 20;
    // Round trips are deterministic: these are today's counts, as bounds that must not grow (issue 12's target: 8).
    // Alone, 7: submit 2 (the key's read; the alert, its raw indicators and its outbox row in one statement, no
    // transaction; the api then hands the job to BullMQ itself, no relay pass), job 5 (BEGIN with the deletion of the
    // job's outbox row and the group's lock, its orgs and raw indicators, in one round trip; write them normalized
    // while taking the correlation and publish locks; link; the publish-log insert and every status of the group in
    // one statement; COMMIT), gateway 0 (the wake-up carries the entries, so the gateway whose tail is at them reads
    // nothing; one that is behind reads the log once). Grouped, 3.2 per alert: submit 2 + job 1 (its link) plus the
    // group's share of the other 4 job statements.
    console.info('db round trips, one alert alone:', alone, 'total', perAlone);
    console.info('db round trips, 20 alerts ready together:', grouped, 'per alert', perGrouped);
    expect(alone).toEqual({ submit: 2, job: 5, gateway: 0 });
    expect(perAlone).toBeLessThanOrEqual(7);
    expect(perGrouped).toBeLessThanOrEqual(3.2);
    wake.mockRestore();
  });
});
