import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadDist, seedOrg, seedStoredAddresses, startBenchHub, type BenchHub } from './harness';
import { environmentLines, median, ms, peakRss, percentile } from './report';
import type { BenchOptions, BenchTopic } from './run';
import type { Actor } from '@tocsin/domain';

type Alerts = typeof import('@tocsin/alerts');

const TARGET = 'target:  indicator lookup against 1,000,000 stored indicators under 10 ms (printed, not asserted)';
const STORED_ALERTS = 1_000;
const PER_ALERT = 1_000;
const ORGS = 30;
const COUNTRIES = ['FR', 'DE', 'NL', 'IT', 'ES', 'PL', 'SE', 'AT', 'BE', 'CZ'];
/** Every fifth alert is AMBER, every seventh RED naming nobody: hidden from the trust-2 reader who looks up. */
const TLP_SQL = `CASE WHEN g % 7 = 0 THEN 'RED' WHEN g % 5 = 0 THEN 'AMBER' ELSE 'GREEN' END`;
/** A value held by 40 alerts (some RED), a defanged URL in 5 (warning-listed in 2), one in 1 (GREEN), one in none. */
const SHARED_ALERTS = 40;
const URL_ALERTS = 5;

interface Probe {
  readonly name: string;
  readonly value: string;
}

const PROBES: readonly Probe[] = [
  { name: 'in 1 alert', value: '20.0.3[.]239' },
  { name: `in ${SHARED_ALERTS} alerts`, value: '22.0.0.1' },
  { name: `url in ${URL_ALERTS} alerts`, value: 'hxxp://evil[.]example/payload' },
  { name: 'in no alert', value: '23.1.2.3' },
];

async function seed(pg: Client): Promise<void> {
  const orgs = await pg.query<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level)
     SELECT 'Bench CERT ' || g, (ARRAY[${COUNTRIES.map((c) => `'${c}'`).join(',')}])[1 + g % ${COUNTRIES.length}], 3
     FROM generate_series(0, ${ORGS - 1}) g RETURNING id`,
  );
  const orgIds = orgs.rows.map((r) => r.id);
  await pg.query(
    `INSERT INTO alerts (source_org_id, title, severity, tlp, status, approved, source_format, indicator_count,
                         submitted_at, published_at, correlated_at)
     SELECT ($1::uuid[])[1 + g % ${ORGS}], 'stored ' || g, 'medium', ${TLP_SQL}, 'published', true, 'csv',
            ${PER_ALERT}, now() - g * interval '1 minute', now() - g * interval '1 minute', now()
     FROM generate_series(0, ${STORED_ALERTS - 1}) g`,
    [orgIds],
  );
  const ids = (await pg.query<{ id: string }>(`SELECT id FROM alerts ORDER BY submitted_at DESC, id`)).rows.map(
    (r) => r.id,
  );
  // 1,000 distinct addresses of 20.0.0.0/8 per alert, as the correlation bench stores them.
  await seedStoredAddresses(pg, ids.slice(0, STORED_ALERTS), PER_ALERT);
  // The shared value and the URL replace an address of some alerts (so the total stays 1,000,000).
  await pg.query(
    `UPDATE indicators SET raw_value = '22.0.0.1', canonical_value = '22.0.0.1'
     WHERE position = 999 AND alert_id = ANY($1::uuid[])`,
    [ids.filter((_, i) => i % 25 === 3).slice(0, SHARED_ALERTS)],
  );
  const urlAlerts = ids.filter((_, i) => i % 100 === 11).slice(0, URL_ALERTS);
  await pg.query(
    `UPDATE indicators SET type = 'url', raw_value = 'http://evil.example/payload',
       canonical_value = 'http://evil.example/payload'
     WHERE position = 998 AND alert_id = ANY($1::uuid[])`,
    [urlAlerts],
  );
  // Two of them warning-listed: the lookup reads both partial indexes.
  await pg.query(
    `UPDATE indicators SET warning_list = 'bench-list', warning_reason = 'a bench list'
     WHERE position = 998 AND alert_id = ANY($1::uuid[])`,
    [urlAlerts.slice(0, 2)],
  );
  await pg.query('ANALYZE alerts');
  await pg.query('ANALYZE indicators');
}

interface Figures {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

function figures(samples: number[]): Figures {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
}

export const lookup: BenchTopic = {
  description: 'GET /api/v1/indicators?value=: one value against 1,000,000 stored indicators in 1,000 alerts',
  async run(opts: BenchOptions) {
    const runs = Math.max(1, opts.runs);
    const n = opts.n;
    const hub: BenchHub = await startBenchHub({ TOCSIN_RECONCILE_STALE_MS: '86400000' }, ['api']);
    const pg = new Client({ connectionString: hub.databaseUrl });
    await pg.connect();
    try {
      const seedStart = performance.now();
      await seed(pg);
      const stored = (await pg.query<{ n: string }>('SELECT count(*) AS n FROM indicators')).rows[0]!.n;
      const seedMs = performance.now() - seedStart;
      const reader = await seedOrg(hub, 'Bench reader', 2, ['reader']);
      const alerts = loadDist<Alerts>('libs/alerts/src/index.js');
      const useCase = hub.get(alerts.LookupIndicatorUseCase);
      const actor: Actor = { keyId: 'bench', orgId: reader.id, role: 'reader', orgIsHub: false, trustLevel: 2 };

      const answers = new Map<string, string>();
      const perRun: { http: Figures; inProcess: Figures }[][] = [];
      for (let run = 0; run < runs; run++) {
        const row: { http: Figures; inProcess: Figures }[] = [];
        for (const probe of PROBES) {
          const path = `/api/v1/indicators?value=${encodeURIComponent(probe.value)}&limit=50`;
          const h: number[] = [];
          const u: number[] = [];
          for (let i = -opts.warmup; i < n; i++) {
            const t0 = performance.now();
            const r = await hub.http('GET', path, reader.keys.reader!);
            const t1 = performance.now();
            if (r.status !== 200) {
              throw new Error(`lookup ${probe.name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
            }
            const t2 = performance.now();
            await useCase.execute(actor, { value: probe.value, type: undefined, limit: 50, cursor: null });
            const t3 = performance.now();
            if (i >= 0) {
              h.push(t1 - t0);
              u.push(t3 - t2);
            }
            answers.set(probe.name, `${r.body.alertCount} visible alerts, ${r.body.items.length} on the page`);
          }
          row.push({ http: figures(h), inProcess: figures(u) });
        }
        perRun.push(row);
      }
      const lines = [
        'lookup: GET /api/v1/indicators?value= as a trust-2 reader',
        ...environmentLines(),
        TARGET,
        `stored:  ${Number(stored).toLocaleString('en')} indicators in ${STORED_ALERTS} published alerts of ${ORGS} orgs, GREEN/AMBER/RED (seeded in ${(seedMs / 1000).toFixed(1)} s); the reader sees GREEN and AMBER, not RED`,
        `runs:    ${runs} × ${n} lookups per value (after ${opts.warmup} warm-up), one request at a time`,
        'figures: median across runs of each run’s p50 / p95 / p99',
      ];
      for (const [i, probe] of PROBES.entries()) {
        const med = (pick: (f: { http: Figures; inProcess: Figures }) => number) =>
          ms(median(perRun.map((r) => pick(r[i]!))));
        lines.push(
          `${probe.name.padEnd(18)} ${answers.get(probe.name)}`,
          `  HTTP (auth, normalize, 2 queries, JSON): p50 ${med((f) => f.http.p50)}  p95 ${med((f) => f.http.p95)}  p99 ${med((f) => f.http.p99)}`,
          `  use-case (normalize, 2 queries):         p50 ${med((f) => f.inProcess.p50)}  p95 ${med((f) => f.inProcess.p95)}  p99 ${med((f) => f.inProcess.p99)}`,
        );
      }
      lines.push(`bench process peak RSS: ${peakRss()}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await pg.end().catch(() => undefined);
      await hub.close();
    }
  },
};
