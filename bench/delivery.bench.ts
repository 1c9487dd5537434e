import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { seedOrg, startBenchTopology, wasInterrupted, type BenchTopology } from './harness';
import { environmentLines, median, ms, peakRss, percentile } from './report';
import type { BenchOptions, BenchTopic } from './run';

const out = (s: string) => process.stdout.write(`${s}\n`);
const CONNECT_TIMEOUT_MS = 60_000;
const EVENTS_TIMEOUT_MS = 120_000;

/** Resolves when every socket has called `done`, or rejects after `msec` naming how many are missing. */
function allOf(count: number, msec: number, what: string): { done: () => void; wait: Promise<void> } {
  let left = count;
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const wait = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const timer = setTimeout(
    () => reject(new Error(`${what}: ${left} of ${count} missing after ${msec / 1000} s`)),
    msec,
  );
  return {
    done: () => {
      left -= 1;
      if (left === 0) {
        clearTimeout(timer);
        resolve();
      }
    },
    wait,
  };
}

function connect(url: string, auth: Record<string, unknown>): Socket {
  return io(`${url}/alerts`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

function connected(s: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not connect in time')), CONNECT_TIMEOUT_MS);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    s.once('connect_error', (e: Error) => {
      clearTimeout(timer);
      reject(new Error(`connect_error: ${e.message}`));
    });
  });
}

/**
 * One alert fanned out to SOCKETS sockets over 2 gateway processes: from its publication (its `publishedAt`, the
 * hub's clock, the same machine's) to each socket's `alert` event, p50/p99/max per run, medians across runs.
 */
const SOCKETS = 5_000;
export const fanout: BenchTopic = {
  description: 'one alert to 5,000 sockets over 2 gateway processes: publish → socket p50/p99/last',
  async run(opts: BenchOptions) {
    environmentLines().forEach(out);
    out('target:  publish → last socket p99 under 500 ms (printed, not asserted)');
    out(`n:       ${SOCKETS} sockets (one reader key), ${opts.runs} run(s); api, worker, 2 gateways as processes`);
    const topo = await startBenchTopology({}, { gateways: 2 });
    const sockets: Socket[] = [];
    try {
      const source = await seedOrg(topo.api, 'Bench fan-out source', 3, ['operator']);
      const receiver = await seedOrg(topo.api, 'Bench fan-out receiver', 3, ['reader']);
      const arrivals = new Map<string, { at: number[]; all: ReturnType<typeof allOf> }>();
      for (let i = 0; i < SOCKETS; i += 250) {
        const batch = Array.from({ length: Math.min(250, SOCKETS - i) }, (_, j) =>
          connect(topo.gatewayUrls[(i + j) % topo.gatewayUrls.length]!, { token: receiver.keys.reader }),
        );
        sockets.push(...batch);
        await Promise.race([Promise.all(batch.map(connected)), topo.failure]);
      }
      for (const s of sockets) {
        s.on('alert', (e: { alert: { id: string; publishedAt: string } }) => {
          const now = Date.now();
          const a = arrivals.get(e.alert.id);
          if (a) {
            a.at.push(now - Date.parse(e.alert.publishedAt));
            a.all.done();
          }
        });
      }
      const p50s: number[] = [];
      const p99s: number[] = [];
      const lasts: number[] = [];
      for (let run = 0; run <= opts.runs && !wasInterrupted(); run++) {
        const r = await topo.api.http('POST', '/api/v1/alerts', source.keys.operator!, {
          title: `fan-out ${run}`,
          severity: 'high',
          tlp: 'GREEN',
          indicators: [{ type: 'ipv4', value: '198.51.100.7' }],
        });
        if (r.status !== 202) {
          throw new Error(`submit: ${r.status} ${JSON.stringify(r.body)}`);
        }
        const entry = { at: [] as number[], all: allOf(SOCKETS, EVENTS_TIMEOUT_MS, `run ${run}`) };
        arrivals.set(r.body.id as string, entry);
        await Promise.race([entry.all.wait, topo.failure]);
        const sorted = [...entry.at].sort((a, b) => a - b);
        const label = run === 0 ? 'warm-up' : `run ${run}`;
        out(
          `${label.padEnd(8)} publish → socket p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, ` +
            `last ${ms(sorted[sorted.length - 1]!)} (${sorted.length} sockets)`,
        );
        if (run > 0) {
          p50s.push(percentile(sorted, 50));
          p99s.push(percentile(sorted, 99));
          lasts.push(sorted[sorted.length - 1]!);
        }
      }
      out(`median  p50 ${ms(median(p50s))}, p99 ${ms(median(p99s))}, last ${ms(median(lasts))}`);
      out(`client  ${peakRss()} (bench process: ${SOCKETS} socket.io clients)`);
    } finally {
      sockets.forEach((s) => s.close());
      await topo.close();
    }
  },
};

const BEHIND = 100_000;

/** Seeds BEHIND published GREEN alerts straight into the publish log (one statement). */
async function seedLog(topo: BenchTopology, sourceOrgId: string): Promise<void> {
  const c = new Client({ connectionString: topo.databaseUrl });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload, published_at)
       SELECT g, 'alert', gen_random_uuid(), 'GREEN', $1::uuid, '{}',
              jsonb_build_object(
                'title', 'Bench replay ' || g, 'description', NULL, 'severity', 'high', 'confidence', NULL,
                'tlp', 'GREEN', 'tlpDefaulted', false,
                'classification', jsonb_build_object('taxonomy', 'malicious-code', 'type', 'c2-server'),
                'sectors', '[]'::jsonb, 'countries', '["FR"]'::jsonb, 'firstSeen', NULL, 'lastSeen', NULL,
                'validUntil', NULL, 'references', '[]'::jsonb,
                'sourceOrg', jsonb_build_object('id', $1::text, 'name', 'Bench', 'country', 'FR'),
                'sourceFormat', 'native', 'indicatorCount', 2, 'warningCount', 0,
                'indicators', jsonb_build_array(
                  jsonb_build_object('type', 'ipv4', 'value', '198.51.' || (g % 256) || '.' || (g / 256 % 256), 'flags', '[]'::jsonb),
                  jsonb_build_object('type', 'domain', 'value', 'c2-' || g || '.example.net', 'flags', '[]'::jsonb)),
                'indicatorChunks', jsonb_build_object('size', 5000, 'count', 1),
                'submittedAt', now(), 'publishedAt', now()),
              now()
       FROM generate_series(1, $2::int) g`,
      [sourceOrgId, BEHIND],
    );
  } finally {
    await c.end();
  }
}

/** Replays BEHIND alerts to one socket (lastSeq 0), whole feed and attached to a subscription: alerts/s. */
export const replay: BenchTopic = {
  description: 'a client 100,000 alerts behind: replay alerts/s, whole feed and through a subscription',
  async run(opts: BenchOptions) {
    environmentLines().forEach(out);
    out('target:  over 20,000 alerts/s (printed, not asserted)');
    out(`n:       ${BEHIND} alerts in the publish log (seeded by SQL), ${opts.runs} run(s) each; gateway a process`);
    const topo = await startBenchTopology();
    try {
      const source = await seedOrg(topo.api, 'Bench replay source', 3, ['operator']);
      const receiver = await seedOrg(topo.api, 'Bench replay receiver', 3, ['reader']);
      await seedLog(topo, source.id);
      const sub = await topo.api.http('POST', '/api/v1/subscriptions', receiver.keys.reader!, {
        filters: { minSeverity: 'medium', classifications: ['malicious-code'] },
      });
      if (sub.status !== 201) {
        throw new Error(`subscription: ${sub.status} ${JSON.stringify(sub.body)}`);
      }
      for (const variant of ['whole feed', 'subscription'] as const) {
        const rates: number[] = [];
        for (let run = 1; run <= opts.runs && !wasInterrupted(); run++) {
          const auth = {
            token: receiver.keys.reader,
            lastSeq: 0,
            ...(variant === 'subscription' ? { subscriptions: [sub.body.id as string] } : {}),
          };
          const all = allOf(BEHIND, EVENTS_TIMEOUT_MS, `${variant} run ${run}`);
          let last = 0;
          let disorder = 0;
          const t0 = performance.now();
          const s = connect(topo.gatewayUrl, auth);
          s.on('alert', (e: { seq: number }) => {
            if (e.seq <= last) {
              disorder += 1;
            }
            last = e.seq;
            if (e.seq <= BEHIND) {
              all.done();
            }
          });
          try {
            await Promise.race([connected(s), topo.failure]);
            await Promise.race([all.wait, topo.failure]);
          } finally {
            s.close();
          }
          const secs = (performance.now() - t0) / 1000;
          rates.push(BEHIND / secs);
          out(
            `${variant.padEnd(12)} run ${run}: ${BEHIND} alerts in ${ms(secs * 1000)} → ${Math.round(BEHIND / secs)} alerts/s` +
              (disorder > 0 ? ` (${disorder} out of order!)` : ''),
          );
        }
        out(`${variant.padEnd(12)} median ${Math.round(median(rates))} alerts/s`);
      }
      out(`client  ${peakRss()} (bench process)`);
    } finally {
      await topo.close();
    }
  },
};
