import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadDist, seedOrg, startBenchTopology, type BenchTopology } from './harness';
import { mb, memoryOf, resetPeak } from './procfs';
import { environmentLines, median } from './report';
import type { BenchOptions, BenchTopic } from './run';

type Taxii = typeof import('@tocsin/taxii');

const TARGET =
  "target:  page 10,000 objects with limit 1,000, objects/s and the api's peak memory printed (issue 14; no figure set)";
/** Alerts seeded, and indicators each: with its report, an alert is at least 10 STIX objects. */
const ALERTS = 1_000;
const PER_ALERT = 9;
const PAGE = 1_000;
const SEED_IN_FLIGHT = 16;
const ACCEPT = 'application/taxii+json;version=2.1';

const ip = (k: number): string => `20.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;

/** ALERTS small GREEN alerts through the pipeline (POST /api/v1/alerts), then waits until all are published. */
async function seed(t: BenchTopology, pg: Client, key: string): Promise<number> {
  const start = performance.now();
  let next = 0;
  const one = async (): Promise<void> => {
    for (let a = next++; a < ALERTS; a = next++) {
      const body = {
        title: `taxii bench ${a}`,
        tlp: 'GREEN',
        severity: 'medium',
        indicators: Array.from({ length: PER_ALERT }, (_, i) => ({ type: 'ipv4', value: ip(a * PER_ALERT + i) })),
      };
      const r = await t.api.http('POST', '/api/v1/alerts', key, body);
      if (r.status !== 202) {
        throw new Error(`seeding: POST /api/v1/alerts answered ${r.status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_IN_FLIGHT }, one));
  for (;;) {
    const n = Number(
      (await pg.query<{ n: string }>(`SELECT count(*) AS n FROM alerts WHERE status = 'published'`)).rows[0]!.n,
    );
    if (n >= ALERTS) {
      break;
    }
    await Promise.race([t.failure, new Promise((r) => setTimeout(r, 250))]);
  }
  return performance.now() - start;
}

/** One full pass over a collection with `limit` and `next`: the objects seen and the pages. */
async function pageAll(t: BenchTopology, collection: string, key: string): Promise<{ objects: number; pages: number }> {
  const basic = `Basic ${Buffer.from(`bench:${key}`).toString('base64')}`;
  const seen = new Set<string>();
  let objects = 0;
  let pages = 0;
  let next: string | undefined;
  do {
    const query = `?limit=${PAGE}${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`;
    const r = await t.api.http('GET', `/taxii2/api/collections/${collection}/objects/${query}`, null, undefined, {
      accept: ACCEPT,
      authorization: basic,
    });
    if (r.status !== 200) {
      throw new Error(`GET objects answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
    }
    const envelope = r.body as { more?: boolean; next?: string; objects?: { id: string; modified?: string }[] };
    for (const o of envelope.objects ?? []) {
      seen.add(`${o.id}|${o.modified ?? ''}`);
      objects += 1;
    }
    pages += 1;
    next = envelope.more === true ? envelope.next : undefined;
  } while (next !== undefined);
  if (seen.size !== objects) {
    throw new Error(`paging repeated objects: ${objects} served, ${seen.size} distinct`);
  }
  return { objects, pages };
}

export const taxii: BenchTopic = {
  description: 'TAXII 2.1 GET objects: paging 10,000+ objects with limit 1,000, objects/s and the api peak memory',
  async run(opts: BenchOptions) {
    const runs = Math.max(1, opts.runs);
    const t = await startBenchTopology({
      TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
      TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0',
    });
    const pg = new Client({ connectionString: t.databaseUrl });
    await pg.connect();
    try {
      const { ALL_COLLECTION_ID } = loadDist<Taxii>('libs/taxii/src/index.js');
      const sender = await seedOrg(t.api, 'TAXII bench sender', 3, ['operator']);
      const reader = await seedOrg(t.api, 'TAXII bench reader', 3, ['reader']);
      const seedMs = await seed(t, pg, sender.keys.operator!);
      const warm = await pageAll(t, ALL_COLLECTION_ID, reader.keys.reader!);

      const api = t.processes.api.pid;
      const before = memoryOf(api);
      const resettable = resetPeak(api);
      const rates: number[] = [];
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const t0 = performance.now();
        const pass = await pageAll(t, ALL_COLLECTION_ID, reader.keys.reader!);
        const elapsed = performance.now() - t0;
        if (pass.objects !== warm.objects) {
          throw new Error(`run ${run}: ${pass.objects} objects, the warm-up saw ${warm.objects}`);
        }
        times.push(elapsed);
        rates.push(pass.objects / (elapsed / 1000));
      }
      const after = memoryOf(api);
      const lines = [
        `taxii: GET /taxii2/api/collections/{all}/objects/ with limit ${PAGE}, following next, as a trust-3 reader`,
        ...environmentLines(),
        TARGET,
        `seeded:  ${ALERTS} GREEN alerts of ${PER_ALERT} ipv4 indicators through POST /api/v1/alerts, published in ${(seedMs / 1000).toFixed(1)} s`,
        `served:  ${warm.objects.toLocaleString('en')} objects in ${warm.pages} pages per pass (none repeated)`,
        `runs:    ${runs} (after 1 warm-up pass)`,
        `objects/s: median ${median(rates).toFixed(0)} (runs ${rates.map((r) => r.toFixed(0)).join(', ')})`,
        `pass:      median ${(median(times) / 1000).toFixed(2)} s`,
        `api peak memory (VmHWM) during the runs: ${mb(after.hwm)}${resettable ? '' : ' (since start: the peak could not be reset)'}; RSS before ${mb(before.rss)}, after ${mb(after.rss)}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await pg.end().catch(() => undefined);
      await t.close();
    }
  },
};
