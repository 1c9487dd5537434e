import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { seedOrg, startBenchTopology, type RoleProcess } from './harness';
import { mb, memoryOf, resetPeak } from './procfs';
import { environmentLines, median, ms, peakRss, percentile } from './report';
import type { BenchTopic } from './run';
import { cpuMsOf, openFilesLimit, SocketClients } from './socket-clients';

const SOCKETS = 5_000;
const GATEWAYS = 2;
/** Receiving orgs, each with one reader key; SOCKETS / ORGS sockets share a key. */
const ORGS = 100;
const CLIENT_PROCESSES = 4;
/** Handshakes in flight per client process. */
const CONNECT_CONCURRENCY = 50;
const CONNECT_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 60_000;
const SETTLE_MS = 1_000;
const TARGET_P99_MS = 500;
const TARGET = `target:  publish → last socket p99 under ${TARGET_P99_MS} ms (printed, not asserted)`;

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

interface Run {
  /** Receipt latencies from the payload's publishedAt (the worker's clock, ms precision), ascending. */
  readonly fromPublish: number[];
  /** Receipt latencies from the HTTP 202 in the bench process, ascending. */
  readonly from202: number[];
  readonly received: number;
  readonly publishTo202: number;
  readonly clientCpuMs: number;
  readonly gatewayCpuMs: number[];
  readonly gatewayHwm: number[];
  /** Per gateway: publish → its first and its last socket's receipt. */
  readonly perGateway: { first: number; last: number; n: number }[];
  /** 1-minute load average of the machine just before the run (other work on the shared cores shows here). */
  readonly load: number;
}

async function submit(apiUrl: string, key: string, i: number): Promise<{ id: string; t202: number }> {
  const res = await fetch(`${apiUrl}/api/v1/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: `Bench fan-out alert ${i}`,
      severity: 'medium',
      tlp: 'GREEN',
      indicators: [{ type: 'ipv4', value: `203.0.113.${(i % 250) + 1}` }],
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const t202 = now();
  const text = await res.text();
  if (res.status !== 202) {
    throw new Error(`submit: HTTP ${res.status} ${text.slice(0, 300)}`);
  }
  return { id: (JSON.parse(text) as { id: string }).id, t202 };
}

async function oneAlert(
  apiUrl: string,
  key: string,
  i: number,
  clients: readonly SocketClients[],
  gateways: readonly RoleProcess[],
): Promise<Run> {
  await Promise.all(clients.map((c) => c.arm()));
  const load = loadavg()[0]!;
  gateways.forEach((g) => resetPeak(g.pid));
  const cpuBefore = gateways.map((g) => cpuMsOf(g.pid));
  const { id, t202 } = await submit(apiUrl, key, i);
  const results = await Promise.all(clients.map((c) => c.collect(id, RUN_TIMEOUT_MS)));
  const times = results.flatMap((r) => r.times);
  const publishedAt = Date.parse(results.find((r) => r.publishedAt)?.publishedAt ?? '');
  const perGateway = gateways.map((_, g) => {
    const own = results.flatMap((r) => r.times.filter((_t, k) => r.gws[k] === g)).map((t) => t - publishedAt);
    return { first: Math.min(...own), last: Math.max(...own), n: own.length };
  });
  return {
    perGateway,
    load,
    fromPublish: times.map((t) => t - publishedAt).sort((a, b) => a - b),
    from202: times.map((t) => t - t202).sort((a, b) => a - b),
    received: times.length,
    publishTo202: publishedAt - t202,
    clientCpuMs: results.reduce((s, r) => s + r.cpuMs, 0),
    gatewayCpuMs: gateways.map((g, k) => cpuMsOf(g.pid) - cpuBefore[k]!),
    gatewayHwm: gateways.map((g) => memoryOf(g.pid).hwm),
  };
}

const f1 = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(1));

export const fanout: BenchTopic = {
  description: `one alert fanned out to ${SOCKETS} sockets over ${GATEWAYS} gateway processes: publish → each socket`,
  async run(opts) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    environmentLines().forEach(out);
    out(TARGET);
    out(
      `n:       ${SOCKETS} socket.io clients (websocket) split evenly over ${GATEWAYS} gateways, ${ORGS} trust-3 ` +
        `orgs with one reader key each (${SOCKETS / ORGS} sockets a key), held by ${CLIENT_PROCESSES} client ` +
        `processes (node -e, ${CONNECT_CONCURRENCY} handshakes in flight each); one small native TLP:GREEN alert ` +
        `per run from another trust-3 org; ${opts.runs} run(s) after one warm-up alert (--n, --concurrency and ` +
        `--warmup do not apply)`,
    );
    out(`open files limit (ulimit -n): ${openFilesLimit()}; each socket takes one descriptor on each side`);
    const topology = await startBenchTopology(
      {
        // No throttle on the bench's own traffic; the handshakes carry valid keys, so the failed-auth limit is unused.
        TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
        TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0',
      },
      { gateways: GATEWAYS },
    );
    const clients: SocketClients[] = [];
    try {
      const p = topology.processes;
      out(
        `processes: api pid ${p.api.pid}, worker pid ${p.worker.pid}, gateways pid ` +
          `${topology.gateways.map((g) => g.pid).join(', ')}: node dist/apps/<role>/src/main.js`,
      );
      out(
        `settings: ${Object.entries(topology.settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}; the rest default`,
      );
      out(
        'method:  a receipt time is `performance.timeOrigin + performance.now()` in the client process when the ' +
          "`alert` handler runs; publish = the payload's `publishedAt` (the worker's clock, ms precision), also " +
          'timed from the HTTP 202 in the bench process; one machine, one clock',
      );
      const submitter = await seedOrg(topology.api, 'Bench fan-out submitter', 3, ['operator']);
      const readers: string[] = [];
      for (let o = 0; o < ORGS; o++) {
        readers.push((await seedOrg(topology.api, `Bench fan-out receiver ${o}`, 3, ['reader'])).keys.reader!);
      }
      for (let c = 0; c < CLIENT_PROCESSES; c++) {
        clients.push(new SocketClients());
      }
      await Promise.all(clients.map((c) => c.ready()));
      const targets = Array.from({ length: SOCKETS }, (_, i) => ({
        url: topology.gateways[i % GATEWAYS]!.url,
        token: readers[i % ORGS]!,
        gw: i % GATEWAYS,
      }));
      const connectStart = now();
      const connected = await Promise.all(
        clients.map((c, k) =>
          c.connect(
            targets.filter((_, i) => i % CLIENT_PROCESSES === k),
            CONNECT_CONCURRENCY,
            CONNECT_TIMEOUT_MS,
          ),
        ),
      );
      const connectMs = now() - connectStart;
      const ok = connected.reduce((s, c) => s + c.n, 0);
      const failed = connected.reduce((s, c) => s + c.failed, 0);
      out(
        `connect: ${ok}/${SOCKETS} sockets in ${ms(connectMs)} (${f1(ok / (connectMs / 1000))} handshakes/s` +
          `${failed > 0 ? `; ${failed} FAILED: ${connected.flatMap((c) => c.errors).join('; ')}` : ''})`,
      );
      if (ok !== SOCKETS) {
        process.exitCode = 1;
        return;
      }
      const warm = await oneAlert(topology.api.url, submitter.keys.operator!, 0, clients, topology.gateways);
      out(`warm-up: ${warm.received}/${SOCKETS} received, last ${ms(warm.fromPublish.at(-1) ?? NaN)} after publish`);

      const runs: Run[] = [];
      for (let i = 1; i <= opts.runs; i++) {
        await sleep(SETTLE_MS);
        const r = await oneAlert(topology.api.url, submitter.keys.operator!, i, clients, topology.gateways);
        runs.push(r);
        const l = r.fromPublish;
        out(
          `run ${i}: ${r.received}/${SOCKETS} received; publish→receipt p50 ${ms(percentile(l, 50))} p95 ` +
            `${ms(percentile(l, 95))} p99 ${ms(percentile(l, 99))} max (last socket) ${ms(l.at(-1) ?? NaN)}; ` +
            `202→last ${ms(r.from202.at(-1) ?? NaN)} (publishedAt is ${ms(r.publishTo202)} after the 202); ` +
            `CPU during the run: clients ${ms(r.clientCpuMs)}, gateways ${r.gatewayCpuMs.map(ms).join(' + ')}; ` +
            `gateway VmHWM ${r.gatewayHwm.map(mb).join(', ')}; per gateway publish→first/last socket ` +
            `${r.perGateway.map((g) => `${f1(g.first)}/${f1(g.last)} ms (${g.n})`).join(', ')}; ` +
            `load average before ${r.load.toFixed(2)}`,
        );
        if (r.received !== SOCKETS) {
          out(`  PROBLEM run ${i}: ${SOCKETS - r.received} socket(s) did not receive the alert within 60 s`);
          process.exitCode = 1;
        }
      }
      const med = (f: (r: Run) => number) => median(runs.map(f));
      const p99 = med((r) => percentile(r.fromPublish, 99));
      out('');
      out(
        `median of ${runs.length} runs, publish→receipt: p50 ${ms(med((r) => percentile(r.fromPublish, 50)))}, ` +
          `p95 ${ms(med((r) => percentile(r.fromPublish, 95)))}, p99 ${ms(p99)}, max/last socket ` +
          `${ms(med((r) => r.fromPublish.at(-1) ?? NaN))}; 202→last socket ${ms(med((r) => r.from202.at(-1) ?? NaN))}`,
      );
      out(
        `clients' own overhead: ${ms(med((r) => r.clientCpuMs))} CPU per run over ${CLIENT_PROCESSES} processes ` +
          `(median; the gateways used ${ms(med((r) => r.gatewayCpuMs.reduce((a, b) => a + b, 0)))}) on ` +
          `the same 2 cores`,
      );
      out(
        `target p99 under ${TARGET_P99_MS} ms: median p99 ${ms(p99)} ` +
          `(${runs.map((r) => f1(percentile(r.fromPublish, 99))).join(', ')} ms): ` +
          `${Number.isNaN(p99) ? 'n/a' : p99 < TARGET_P99_MS ? 'met' : 'MISSED'}`,
      );
      out(`peak RSS: ${peakRss()} (the bench process; the clients and gateways are above)`);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await topology.close();
    }
  },
};
