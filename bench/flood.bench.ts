import { spawn } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { loadDist, seedOrg, startBenchHub, type BenchHub } from './harness';
import {
  EVENTS_TIMEOUT_MS,
  line,
  listen,
  measure,
  submitAll,
  type AlertListener,
  type RunResult,
} from './latency.bench';
import { environmentLines, median, ms, peakRss } from './report';
import type { BenchOptions, BenchTopic } from './run';

type QueuesLib = typeof import('@tocsin/queues');

/**
 * What the pipeline held while a phase ran: the most jobs pending in BullMQ (waiting, prioritized, active or
 * delayed, all queues) and rows waiting in the outbox, and the event loop's utilization and delay (the hub and the bench clients share this
 * process and its one JavaScript thread, so a CPU-bound flood of refused requests shows here, not in the queues).
 */
function phaseProbe(hub: BenchHub, pg: Client) {
  const lib = loadDist<QueuesLib>('libs/queues/src/index.js');
  const queues = hub.get(lib.Queues);
  const names = Object.values(lib.QueueName);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let maxPending = 0;
  let maxOutbox = 0;
  let timer: NodeJS.Timeout | null = null;
  let elu = performance.eventLoopUtilization();
  const sample = async () => {
    const counts = await Promise.all(
      names.map((n) => queues.get(n).getJobCounts('waiting', 'prioritized', 'active', 'delayed')),
    );
    const pending = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
    maxPending = Math.max(maxPending, pending);
    const outbox = await pg.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
    maxOutbox = Math.max(maxOutbox, Number(outbox.rows[0]?.n ?? 0));
  };
  return {
    start() {
      maxPending = 0;
      maxOutbox = 0;
      elu = performance.eventLoopUtilization();
      loop.reset();
      loop.enable();
      timer = setInterval(() => void sample().catch(() => undefined), 250);
    },
    stop(): string {
      if (timer) {
        clearInterval(timer);
      }
      loop.disable();
      const p = (q: number) => `${(loop.percentile(q) / 1e6).toFixed(0)} ms`;
      const busy = performance.eventLoopUtilization(elu).utilization;
      return (
        `jobs pending max ${maxPending}, outbox rows max ${maxOutbox}; event loop ${(busy * 100).toFixed(0)}% busy, ` +
        `delay p50 ${p(50)}, p99 ${p(99)}`
      );
    },
  };
}

/**
 * Splits the quiet org's latency over a phase (its alerts created between `from` and `to`, wall clock): submission
 * to publication (the pipeline: outbox, queues, handlers) and publication to the socket event (the gateway).
 */
async function split(pg: Client, listener: AlertListener, orgId: string, from: Date, to: Date): Promise<string> {
  const rows = await pg.query<{ id: string; created: Date; published: Date }>(
    `SELECT a.id, a.submitted_at AS created, p.published_at AS published
       FROM publish_log p JOIN alerts a ON a.id = p.alert_id
      WHERE p.event = 'alert' AND p.source_org_id = $1 AND a.submitted_at BETWEEN $2 AND $3`,
    [orgId, from, to],
  );
  const pipeline: number[] = [];
  const delivery: number[] = [];
  for (const r of rows.rows) {
    const arrived = listener.arrivals.get(r.id);
    pipeline.push(r.published.getTime() - r.created.getTime());
    if (arrived !== undefined) {
      delivery.push(performance.timeOrigin + arrived - r.published.getTime());
    }
  }
  const p50 = (xs: number[]) => ms(median(xs));
  return `quiet org p50 submit→publish ${p50(pipeline)}, publish→socket ${p50(delivery)} (${rows.rows.length} alerts)`;
}

const TARGET =
  "target: the quiet org's p50 202→event latency under a rate-limited flood close to its latency without one";

/**
 * The flooder's own process: `concurrency` requests in flight, as fast as answers come, until SIGTERM. It reports
 * on stdout: `A <id>` per accepted alert, `L <accepted so far>` at its first 429, `C <accepted> <limited> <other>` at
 * the end. A flood comes from another machine, so it must not share the hub's event loop (the hub and the quiet org's
 * clients are in the bench process).
 */
const FLOODER = `
const [url, key, concurrency] = process.argv.slice(1);
let stopped = false, accepted = 0, limited = 0, other = 0, i = 0;
process.on('SIGTERM', () => { stopped = true; });
// Stops with the bench: its stdin is a pipe from the bench process, closed when that process ends in any way.
process.stdin.on('end', () => { stopped = true; }).on('error', () => { stopped = true; }).resume();
const body = (n) => JSON.stringify({ title: 'Bench flood alert ' + n, severity: 'medium', tlp: 'GREEN',
  indicators: [{ type: 'ipv4', value: '203.0.113.' + ((n % 250) + 1) }] });
const worker = async () => {
  while (!stopped) {
    try {
      const res = await fetch(url + '/api/v1/alerts', { method: 'POST', body: body(i++),
        headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' } });
      const text = await res.text();
      if (res.status === 202) { accepted++; process.stdout.write('A ' + JSON.parse(text).id + '\\n'); }
      else if (res.status === 429) { if (limited++ === 0) process.stdout.write('L ' + accepted + '\\n'); }
      else other++;
    } catch { other++; }
  }
};
Promise.all(Array.from({ length: Number(concurrency) }, worker)).then(() => {
  process.stdout.write('C ' + accepted + ' ' + limited + ' ' + other + '\\n', () => process.exit(0));
});
`;

/** A flooding org in a child process (see FLOODER); counts its answers as it reports them. */
function flood(hub: BenchHub, key: string, concurrency: number) {
  const counts = { accepted: 0, limited: 0, other: 0, acceptedBeforeLimit: 0 };
  const ids: string[] = [];
  let firstLimited: () => void = () => undefined;
  const limited = new Promise<void>((resolve) => (firstLimited = resolve));
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const child = spawn(process.execPath, ['-e', FLOODER, hub.url, key, String(concurrency)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buffered = '';
  child.stdout.on('data', (b: Buffer) => {
    buffered += b.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const l of lines) {
      const [kind, ...rest] = l.split(' ');
      if (kind === 'A' && rest[0]) {
        ids.push(rest[0]);
      } else if (kind === 'L') {
        counts.acceptedBeforeLimit = Number(rest[0]);
        firstLimited();
      } else if (kind === 'C') {
        [counts.accepted, counts.limited, counts.other] = rest.map(Number) as [number, number, number];
        finished();
      }
    }
  });
  child.once('exit', () => finished());
  const start = performance.now();
  return {
    counts,
    ids,
    limited,
    async stop() {
      child.kill('SIGTERM');
      await done;
      return (performance.now() - start) / 1000;
    },
  };
}

/** TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST's default (libs/platform's env schema). */
const DEFAULT_BURST = 600;

export const floodTopic: BenchTopic = {
  description: "another org's 202 → socket.io latency with and without a rate-limited flood from one org",
  async run(opts: BenchOptions) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    // The quiet org's own submissions (warm-up, then n per run, with and without the flood) stay under the limit;
    // the flooder, at the same concurrency without pause, passes it and is refused (429) from then on.
    const limit = opts.warmup + 2 * opts.n * opts.runs + Math.min(opts.n, 50) + 100;
    // The hub's default burst unless the environment names one (0: a whole minute's worth, as before the setting).
    const burstEnv = process.env.TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST;
    const hubEnv: Record<string, string> = { TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: String(limit) };
    // The quiet org's whole need must fit in its bucket, or a slow run ends in its own 429s (the bucket refills at
    // limit/min but holds only the burst): above the hub's default burst (600) the burst is raised to the limit.
    if (burstEnv !== undefined) {
      hubEnv.TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST = burstEnv;
    } else if (limit > DEFAULT_BURST) {
      hubEnv.TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST = String(limit);
    }
    environmentLines().forEach(out);
    out(TARGET);
    out(
      `n:       ${opts.n} quiet alerts per run, concurrency ${opts.concurrency}, ${opts.runs} run(s) each way, ` +
        `${opts.warmup} warm-up; flooder at concurrency ${opts.concurrency} in its own process; ` +
        `TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE=${limit}, ` +
        `TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST=${hubEnv.TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST ?? 'default'}; hub and the quiet org's clients in this process, the flooder in its own, loopback`,
    );
    const hub = await startBenchHub(hubEnv);
    let socket: Socket | null = null;
    const pg = new Client({ connectionString: hub.databaseUrl });
    await pg.connect();
    try {
      const quiet = await seedOrg(hub, 'Bench quiet CERT', 3, ['operator']);
      const flooder = await seedOrg(hub, 'Bench flooding CERT', 3, ['operator']);
      const receiver = await seedOrg(hub, 'Bench receiving CERT', 3, ['reader']);
      const listener = await listen(hub.url, receiver.keys.reader!);
      socket = listener.socket;
      const key = quiet.keys.operator!;
      if (opts.warmup > 0) {
        const warm = await submitAll(hub, key, 'warm-up', opts.warmup, opts.concurrency);
        await listener.waitFor(warm.accepted.keys(), EVENTS_TIMEOUT_MS);
      }

      const probe = phaseProbe(hub, pg);
      const without: RunResult[] = [];
      const calmFrom = new Date();
      probe.start();
      for (let r = 1; r <= opts.runs; r++) {
        without.push(await measure(hub, key, listener, `calm-${r}`, opts));
        out(line(`calm ${r}`, without[without.length - 1]!));
      }
      out(`calm:    ${probe.stop()}`);
      out(`calm:    ${await split(pg, listener, quiet.id, calmFrom, new Date())}`);

      // The flood starts; once it is refused, its accepted alerts are let through before measuring, so what
      // follows is the quiet org under a flood that the limit holds back.
      const f = flood(hub, flooder.keys.operator!, opts.concurrency);
      await f.limited;
      // While the flooder's accepted burst is still in the pipeline: a few quiet alerts (fair scheduling's case).
      const backlogFrom = new Date();
      const amid = await measure(hub, key, listener, 'backlog', { ...opts, n: Math.min(opts.n, 50) });
      out(line('backlog', amid));
      out(`backlog: ${await split(pg, listener, quiet.id, backlogFrom, new Date())}`);
      const backlog = await listener.waitFor([...f.ids], EVENTS_TIMEOUT_MS);
      out(
        `flood:   ${f.counts.acceptedBeforeLimit} accepted before the first 429; ${backlog} of its accepted not delivered`,
      );
      const during: RunResult[] = [];
      const floodFrom = new Date();
      probe.start();
      for (let r = 1; r <= opts.runs; r++) {
        during.push(await measure(hub, key, listener, `flood-${r}`, opts));
        out(line(`flood ${r}`, during[during.length - 1]!));
      }
      out(`flood:   ${probe.stop()}`);
      out(`flood:   ${await split(pg, listener, quiet.id, floodFrom, new Date())}`);
      const seconds = await f.stop();
      const total = f.counts.accepted + f.counts.limited + f.counts.other;
      out(
        `flooder: ${total} requests in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s): ` +
          `${f.counts.accepted} accepted, ${f.counts.limited} refused 429, ${f.counts.other} other`,
      );
      const med = (rs: RunResult[], pick: (r: RunResult) => number) => ms(median(rs.map(pick)));
      out(
        `median  quiet org p50 without flood ${med(without, (r) => r.p50)}, during flood ${med(during, (r) => r.p50)}; ` +
          `p99 ${med(without, (r) => r.p99)} vs ${med(during, (r) => r.p99)}; ` +
          `min ${med(without, (r) => r.min)} vs ${med(during, (r) => r.min)}`,
      );
      out(`peak RSS: ${peakRss()} (whole process: hub + bench clients)`);
      if ([...without, ...during].some((r) => r.missing > 0) || f.counts.other > 0) {
        process.exitCode = 1;
      }
    } finally {
      socket?.close();
      await pg.end();
      await hub.close();
    }
  },
};
