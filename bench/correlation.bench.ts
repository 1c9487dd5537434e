import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadDist, seedStoredAddresses, startBenchHub, type BenchHub } from './harness';
import { environmentLines, median, ms, peakRss } from './report';
import type { BenchOptions, BenchTopic } from './run';

type Vetting = typeof import('@tocsin/vetting');
type Coordination = typeof import('@tocsin/coordination');

const TARGET =
  'target:  detection for a 100,000-indicator report against 1,000,000 stored indicators well under 1 s (printed, not asserted)';
const STORED_ALERTS = 1_000;
const PER_ALERT = 1_000;
const REPORT = 100_000;
/** Stored values the report shares: the first 500 of each of the first 10 stored alerts. */
const SHARED_ALERTS = 10;
const SHARED_PER_ALERT = 500;
/** Values in more alerts than the correlation limit (20): they must stop counting, not slow detection down. */
const POPULAR_VALUES = 100;
const POPULAR_ALERTS = 30;
const ORGS = 30;
const COUNTRIES = ['FR', 'DE', 'NL', 'IT', 'ES', 'PL', 'SE', 'AT', 'BE', 'CZ'];

/** Stored value k (0 ≤ k < 16M) as an address of 20.0.0.0/8; the report's own new values come from 21.0.0.0/8. */
const ip = (net: number, k: number): string => `${net}.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;

async function seed(pg: Client): Promise<{ probe: string; orgIds: string[] }> {
  const orgs = await pg.query<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level)
     SELECT 'Bench CERT ' || g, (ARRAY[${COUNTRIES.map((c) => `'${c}'`).join(',')}])[1 + g % ${COUNTRIES.length}], 3
     FROM generate_series(0, ${ORGS - 1}) g RETURNING id`,
  );
  const orgIds = orgs.rows.map((r) => r.id);
  // Published alerts from the last 48 hours (inside the 72 h window), already correlated (the reconciler leaves them).
  await pg.query(
    `INSERT INTO alerts (source_org_id, title, severity, tlp, status, approved, source_format, indicator_count,
                         submitted_at, published_at, correlated_at)
     SELECT ($1::uuid[])[1 + g % ${ORGS}], 'stored ' || g, 'medium', 'GREEN', 'published', true, 'csv', ${PER_ALERT},
            now() - (g % 48) * interval '1 hour', now() - (g % 48) * interval '1 hour', now()
     FROM generate_series(0, ${STORED_ALERTS + POPULAR_ALERTS - 1}) g`,
    [orgIds],
  );
  const byTitle = new Map<string, string>();
  for (const r of (await pg.query<{ id: string; title: string }>('SELECT id, title FROM alerts')).rows) {
    byTitle.set(r.title, r.id);
  }
  const stored = Array.from({ length: STORED_ALERTS }, (_, g) => byTitle.get(`stored ${g}`)!);
  const popular = Array.from({ length: POPULAR_ALERTS }, (_, g) => byTitle.get(`stored ${STORED_ALERTS + g}`)!);
  await seedStoredAddresses(pg, stored, PER_ALERT);
  await pg.query(
    `INSERT INTO indicators (alert_id, position, type, raw_value, canonical_value)
     SELECT a.id, p, 'ipv4', '22.0.0.' || p, '22.0.0.' || p
     FROM unnest($1::uuid[]) AS a(id), generate_series(0, ${POPULAR_VALUES - 1}) p`,
    [popular],
  );

  // The report: 100,000 indicators, 5,000 of them stored in 10 alerts of other orgs, 100 very popular, the rest new.
  const probe = (
    await pg.query<{ id: string }>(
      `INSERT INTO alerts (source_org_id, title, severity, tlp, status, source_format, indicator_count)
       VALUES ($1, 'the 100k report', 'high', 'GREEN', 'normalized', 'csv', ${REPORT}) RETURNING id`,
      [orgIds[ORGS - 1]],
    )
  ).rows[0]!.id;
  const values: string[] = [];
  for (let a = 0; a < SHARED_ALERTS; a++) {
    for (let p = 0; p < SHARED_PER_ALERT; p++) {
      values.push(ip(20, a * PER_ALERT + p));
    }
  }
  for (let p = 0; p < POPULAR_VALUES; p++) {
    values.push(`22.0.0.${p}`);
  }
  for (let k = 0; values.length < REPORT; k++) {
    values.push(ip(21, k));
  }
  for (let from = 0; from < values.length; from += 10_000) {
    const chunk = values.slice(from, from + 10_000);
    await pg.query(
      `INSERT INTO indicators (alert_id, position, type, raw_value, canonical_value)
       SELECT $1, $2::int + n - 1, 'ipv4', v, v FROM unnest($3::text[]) WITH ORDINALITY AS t(v, n)`,
      [probe, from, chunk],
    );
  }
  await pg.query('ANALYZE alerts');
  await pg.query('ANALYZE indicators');
  return { probe, orgIds };
}

async function resetProbe(pg: Client, probe: string): Promise<void> {
  await pg.query('DELETE FROM alert_links WHERE alert_id = $1 OR linked_alert_id = $1', [probe]);
  await pg.query('DELETE FROM coordinated_alerts');
  await pg.query('DELETE FROM publish_log');
  await pg.query('DELETE FROM outbox');
  await pg.query(
    `UPDATE alerts SET status = 'normalized', approved = false, confidence = NULL, status_reason = NULL,
                       correlated_at = NULL WHERE id = $1`,
    [probe],
  );
}

export const correlation: BenchTopic = {
  description: 'corroboration and coordinated-alert detection: one 100,000-indicator report vs 1,000,000 stored',
  async run(opts: BenchOptions) {
    const runs = Math.max(1, opts.runs);
    // Each run re-vets one large report: a warm-up or two is enough (the default 20 is for small alerts).
    const warmup = Math.min(opts.warmup, 2);
    // The api role alone: no worker to pick the jobs up, so each step is timed on its own.
    const hub: BenchHub = await startBenchHub({ TOCSIN_RECONCILE_STALE_MS: '86400000' }, ['api']);
    const pg = new Client({ connectionString: hub.databaseUrl });
    await pg.connect();
    try {
      const seedStart = performance.now();
      const { probe } = await seed(pg);
      const counts = (
        await pg.query<{ n: string }>(`SELECT count(*) AS n FROM indicators WHERE alert_id <> $1`, [probe])
      ).rows[0]!.n;
      const seedMs = performance.now() - seedStart;
      const vetting = loadDist<Vetting>('libs/vetting/src/index.js');
      const coordination = loadDist<Coordination>('libs/coordination/src/index.js');
      const vet = hub.get(vetting.VetAlertUseCase);
      const coordinate = hub.get(coordination.CoordinateAlertUseCase);

      const vetMs: number[] = [];
      const coordinateMs: number[] = [];
      const outcomes: string[] = [];
      for (let run = -warmup; run < runs; run++) {
        await resetProbe(pg, probe);
        const t0 = performance.now();
        const decision = await vet.execute({ alertId: probe, requestId: null });
        const t1 = performance.now();
        const links = (
          await pg.query<{ n: string }>('SELECT count(*) AS n FROM alert_links WHERE alert_id = $1', [probe])
        ).rows[0]!.n;
        await pg.query(`UPDATE alerts SET status = 'published', published_at = now() WHERE id = $1`, [probe]);
        const t2 = performance.now();
        const outcome = await coordinate.execute({ alertId: probe, requestId: null });
        const t3 = performance.now();
        if (run >= 0) {
          vetMs.push(t1 - t0);
          coordinateMs.push(t3 - t2);
          outcomes.push(`${decision}, ${links} links, coordinated: ${outcome}`);
        }
      }
      const total = vetMs.map((v, i) => v + coordinateMs[i]!);
      const lines = [
        'correlation: one 100,000-indicator report against stored published alerts',
        ...environmentLines(),
        TARGET,
        `stored:  ${Number(counts).toLocaleString('en')} indicators in ${STORED_ALERTS + POPULAR_ALERTS} published alerts of ${ORGS} orgs (seeded in ${(seedMs / 1000).toFixed(1)} s)`,
        `report:  ${REPORT.toLocaleString('en')} indicators; ${SHARED_ALERTS * SHARED_PER_ALERT} shared with ${SHARED_ALERTS} alerts; ${POPULAR_VALUES} held by ${POPULAR_ALERTS} alerts (over the limit of 20)`,
        `runs:    ${runs} (after ${warmup} warm-up)`,
        `outcome: ${[...new Set(outcomes)].join(' | ')}`,
        `link + corroborate + vetting decision: median ${ms(median(vetMs))} (runs ${vetMs.map((v) => v.toFixed(0)).join(', ')} ms)`,
        `coordinated-alert detection:           median ${ms(median(coordinateMs))} (runs ${coordinateMs.map((v) => v.toFixed(0)).join(', ')} ms)`,
        `detection in all:                      median ${ms(median(total))}`,
        `bench process peak RSS: ${peakRss()}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await pg.end().catch(() => undefined);
      await hub.close();
    }
  },
};
