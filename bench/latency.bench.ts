import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { seedOrg, startBenchHub, startBenchTopology, type BenchHub, type HttpHub } from './harness';
import { mb, memoryOf } from './procfs';
import { environmentLines, median, ms, peakRss, percentile } from './report';
import type { BenchOptions, BenchTopic } from './run';

const TARGET =
  'target:  1,000 small alerts at a steady 200/s (--rate 200): 202 → socket p50 < 15 ms, p99 < 60 ms, no backlog (printed, not asserted)';
const THROUGHPUT_TARGET =
  "target:  maximum sustained alerts/s with 2 workers at least 3x the code's before issue 12 (printed, not asserted)";
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;
export const EVENTS_TIMEOUT_MS = 120_000;

export interface RunResult {
  readonly n: number;
  readonly received: number;
  readonly missing: number;
  readonly negative: number;
  /** Alerts per second from the first submit to the last event. */
  readonly throughput: number;
  /** Alerts per second from the first submit to the last 202. */
  readonly acceptRate: number;
  readonly wallMs: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly min: number;
  /** p50 of the first and of the last fifth of the alerts in submit order: a backlog shows as the second growing. */
  readonly p50First: number;
  readonly p50Last: number;
  /** From the last 202 to the last event: what was still queued when submitting stopped. */
  readonly drainMs: number;
  /** Rate mode: submissions sent more than 5 ms after their slot. */
  readonly late: number;
  /** p50 from the 202 to the payload's publishedAt (the pipeline), and from there to the socket event (the gateway). */
  readonly p50ToPublish: number;
  readonly p50PublishToSocket: number;
}

/** Records the first `alert` event per alert id, with its arrival time, and wakes whoever waits for a set. */
export class AlertListener {
  readonly arrivals = new Map<string, number>();
  /** The payload's `alert.publishedAt` (the worker's wall clock, ms precision) per alert id, as performance.now() time. */
  readonly published = new Map<string, number>();
  duplicates = 0;
  private waiting: { remaining: Set<string>; done: () => void } | null = null;

  constructor(readonly socket: Socket) {
    socket.on('alert', (e: { alert?: { id?: unknown; publishedAt?: unknown } }) => {
      const t = performance.now();
      const id = e?.alert?.id;
      if (typeof id !== 'string') {
        return;
      }
      if (this.arrivals.has(id)) {
        this.duplicates += 1;
        return;
      }
      this.arrivals.set(id, t);
      const publishedAt = typeof e.alert?.publishedAt === 'string' ? Date.parse(e.alert.publishedAt) : Number.NaN;
      if (!Number.isNaN(publishedAt)) {
        this.published.set(id, publishedAt - performance.timeOrigin);
      }
      const w = this.waiting;
      if (w && w.remaining.delete(id) && w.remaining.size === 0) {
        w.done();
      }
    });
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket did not connect within 10 s')), CONNECT_TIMEOUT_MS);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.once('connect_error', (e: Error) => {
        clearTimeout(timer);
        reject(new Error(`socket connect_error: ${e.message}`));
      });
    });
  }

  /** Resolves with how many of `ids` are still missing once all arrived, the socket dropped, or the time ran out. */
  waitFor(ids: Iterable<string>, timeoutMs: number): Promise<number> {
    const remaining = new Set([...ids].filter((id) => !this.arrivals.has(id)));
    if (remaining.size === 0) {
      return Promise.resolve(0);
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.socket.off('disconnect', finish);
        this.waiting = null;
        resolve(remaining.size);
      };
      const timer = setTimeout(finish, timeoutMs);
      this.socket.on('disconnect', finish);
      this.waiting = { remaining, done: finish };
    });
  }
}

/** A receiver's socket on /alerts (websocket, no reconnection), connected, with a listener recording its `alert` events. */
export async function listen(socketUrl: string, token: string): Promise<AlertListener> {
  const listener = new AlertListener(
    io(`${socketUrl}/alerts`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true }),
  );
  try {
    await listener.connected();
  } catch (e) {
    listener.socket.close();
    throw e;
  }
  return listener;
}

/** POSTs one small native alert; a stalled hub fails the run after REQUEST_TIMEOUT_MS instead of hanging it. */
export async function post(hub: Pick<BenchHub, 'url'>, key: string, label: string, i: number): Promise<Response> {
  try {
    return await fetch(`${hub.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `Bench ${label} alert ${i}`,
        severity: 'medium',
        tlp: 'GREEN',
        indicators: [{ type: 'ipv4', value: `203.0.113.${(i % 250) + 1}` }],
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (e) {
    const reason =
      (e as Error).name === 'TimeoutError'
        ? `no response within ${REQUEST_TIMEOUT_MS / 1000} s`
        : `${(e as Error).message}${(e as Error).cause ? ` (${String((e as Error).cause)})` : ''}`;
    throw new Error(`submit ${label} #${i}: ${reason}`);
  }
}

/**
 * Submits `n` small native alerts with at most `concurrency` in flight; returns the time each 202 arrived
 * (when the response headers did, before the body is read) keyed by alert id, and when submitting began.
 */
export async function submitAll(
  hub: Pick<BenchHub, 'url'>,
  key: string,
  label: string,
  n: number,
  concurrency: number,
  rate?: number,
): Promise<{ accepted: Map<string, number>; start: number; lastAccepted: number; late: number }> {
  const accepted = new Map<string, number>();
  let next = 0;
  let failed = false;
  let lastAccepted = 0;
  const submitOne = async (i: number) => {
    const res = await post(hub, key, label, i);
    const t202 = performance.now();
    const text = await res.text();
    if (res.status !== 202) {
      throw new Error(`submit ${label} #${i}: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id !== 'string') {
      throw new Error(`submit ${label} #${i}: 202 without an id: ${text.slice(0, 300)}`);
    }
    accepted.set(id, t202);
    lastAccepted = Math.max(lastAccepted, t202);
  };
  const worker = async () => {
    while (!failed && next < n) {
      const i = next++;
      try {
        await submitOne(i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const start = performance.now();
  if (rate !== undefined) {
    const late = await submitAtRate(n, rate, start, submitOne);
    return { accepted, start, lastAccepted, late };
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { accepted, start, lastAccepted, late: 0 };
}

/** Requests in flight at most in rate mode: a hub that stops answering is not buried under an unbounded pile. */
const MAX_IN_FLIGHT = 512;
/** A submission more than this behind its slot is counted late (the client, not the hub, could not keep the rate). */
const LATE_MS = 5;

/**
 * Open loop: the i-th alert is sent at start + i / rate, whether or not earlier ones were answered, so a slow hub
 * shows as growing latency (a backlog), not as a lower send rate. Returns how many were sent late.
 */
export async function submitAtRate(
  n: number,
  rate: number,
  start: number,
  submitOne: (i: number) => Promise<void>,
): Promise<number> {
  const inFlight = new Set<Promise<void>>();
  let late = 0;
  const failed: { error: Error | null } = { error: null };
  for (let i = 0; i < n && failed.error === null; i++) {
    const slot = start + (i * 1000) / rate;
    const wait = slot - performance.now();
    if (wait > 0) {
      await new Promise((r) => setTimeout(r, wait));
    }
    while (inFlight.size >= MAX_IN_FLIGHT) {
      await Promise.race(inFlight);
    }
    if (performance.now() - slot > LATE_MS) {
      late += 1;
    }
    const p: Promise<void> = submitOne(i).then(
      () => void inFlight.delete(p),
      (e: unknown) => {
        inFlight.delete(p);
        failed.error ??= e instanceof Error ? e : new Error(String(e));
      },
    );
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  if (failed.error !== null) {
    throw failed.error;
  }
  return late;
}

export async function measure(
  hub: Pick<BenchHub, 'url'>,
  key: string,
  listener: AlertListener,
  label: string,
  opts: BenchOptions,
): Promise<RunResult> {
  const { accepted, start, lastAccepted, late } = await submitAll(hub, key, label, opts.n, opts.concurrency, opts.rate);
  const missing = await listener.waitFor(accepted.keys(), EVENTS_TIMEOUT_MS);
  const latencies: number[] = [];
  const toPublish: number[] = [];
  const publishToSocket: number[] = [];
  /** In the order of the 202s, which in rate mode is the submit order give or take a request. */
  const inOrder: number[] = [];
  let lastEvent = start;
  for (const [id, t202] of [...accepted].sort((a, b) => a[1] - b[1])) {
    const tEvent = listener.arrivals.get(id);
    if (tEvent !== undefined) {
      latencies.push(tEvent - t202);
      inOrder.push(tEvent - t202);
      const tPublished = listener.published.get(id);
      if (tPublished !== undefined) {
        toPublish.push(tPublished - t202);
        publishToSocket.push(tEvent - tPublished);
      }
      lastEvent = Math.max(lastEvent, tEvent);
    }
  }
  latencies.sort((a, b) => a - b);
  const fifth = Math.max(1, Math.floor(inOrder.length / 5));
  const p50Of = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const wallMs = lastEvent - start;
  return {
    n: opts.n,
    received: latencies.length,
    missing,
    negative: latencies.filter((l) => l < 0).length,
    throughput: missing === 0 && wallMs > 0 ? (opts.n * 1000) / wallMs : Number.NaN,
    acceptRate: (opts.n * 1000) / (lastAccepted - start),
    wallMs,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    min: latencies[0] ?? Number.NaN,
    p50First: p50Of(inOrder.slice(0, fifth)),
    p50Last: p50Of(inOrder.slice(-fifth)),
    drainMs: lastEvent - lastAccepted,
    late,
    p50ToPublish: p50Of(toPublish),
    p50PublishToSocket: p50Of(publishToSocket),
  };
}

const rate = (v: number): string => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(1)} alerts/s`);

export function line(name: string, r: RunResult): string {
  return (
    `${name.padEnd(7)} throughput ${rate(r.throughput).padStart(16)}  ` +
    `p50 ${ms(r.p50).padStart(9)}  p95 ${ms(r.p95).padStart(9)}  p99 ${ms(r.p99).padStart(9)}  ` +
    `max ${ms(r.max).padStart(9)}  | accepted ${rate(r.acceptRate)}, ${(r.wallMs / 1000).toFixed(2)} s, ` +
    `received ${r.received}/${r.n}, missing ${r.missing}, negative ${r.negative} (min ${ms(r.min)}) | ` +
    `backlog: p50 first fifth ${ms(r.p50First)}, last fifth ${ms(r.p50Last)}, drain ${ms(r.drainMs)}` +
    (r.late > 0 ? `, ${r.late} sent late` : '') +
    ` | p50 202 → publishedAt ${ms(r.p50ToPublish)}, publishedAt → socket ${ms(r.p50PublishToSocket)}`
  );
}

/** `tocsin_db_queries_total` by role, summed over the processes' `/metrics` (statements sent to PostgreSQL). */
export async function statementsByRole(metricsUrls: readonly string[]): Promise<Map<string, number>> {
  const byRole = new Map<string, number>();
  for (const url of metricsUrls) {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).text();
    for (const m of text.matchAll(/^tocsin_db_queries_total\{role="([^"]+)"\} (\d+)$/gm)) {
      byRole.set(m[1]!, (byRole.get(m[1]!) ?? 0) + Number(m[2]));
    }
  }
  return byRole;
}

/** Statements per alert during a run, by role: the database round trips an alert cost under this load. */
export function statementsLine(before: Map<string, number>, after: Map<string, number>, n: number): string {
  const roles = [...after.keys()].sort();
  const per = (role: string) => ((after.get(role) ?? 0) - (before.get(role) ?? 0)) / n;
  const total = roles.reduce((s, role) => s + per(role), 0);
  return `        statements per alert ${total.toFixed(2)} (${roles.map((r) => `${r} ${per(r).toFixed(2)}`).join(', ')})`;
}

/** Seeds a submitter and a receiver, connects the receiver's socket, warms up, then measures `opts.runs` runs. */
async function runAll(
  hub: HttpHub,
  socketUrl: string,
  opts: BenchOptions,
  out: (s: string) => void,
  metricsUrls: readonly string[] = [hub.url],
): Promise<void> {
  let socket: Socket | null = null;
  try {
    const submitter = await seedOrg(hub, 'Bench submitting CERT', 3, ['operator']);
    const receiver = await seedOrg(hub, 'Bench receiving CERT', 3, ['reader']);
    const listener = await listen(socketUrl, receiver.keys.reader!);
    socket = listener.socket;
    const operator = submitter.keys.operator!;

    if (opts.warmup > 0) {
      const warm = await submitAll(hub, operator, 'warm-up', opts.warmup, opts.concurrency);
      const missing = await listener.waitFor(warm.accepted.keys(), EVENTS_TIMEOUT_MS);
      if (missing > 0) {
        throw new Error(`warm-up: ${missing} of ${opts.warmup} alerts never reached the receiver's socket`);
      }
    }

    const results: RunResult[] = [];
    for (let r = 1; r <= opts.runs; r++) {
      const before = await statementsByRole(metricsUrls);
      const result = await measure(hub, operator, listener, `run-${r}`, opts);
      results.push(result);
      out(line(`run ${r}`, result));
      out(statementsLine(before, await statementsByRole(metricsUrls), opts.n));
    }
    const med = (f: (r: RunResult) => number) => median(results.map(f));
    out(
      `median  throughput ${rate(med((r) => r.throughput)).padStart(16)}  ` +
        `p50 ${ms(med((r) => r.p50)).padStart(9)}  p95 ${ms(med((r) => r.p95)).padStart(9)}  ` +
        `p99 ${ms(med((r) => r.p99)).padStart(9)}  max ${ms(med((r) => r.max)).padStart(9)}  ` +
        `| accepted ${rate(med((r) => r.acceptRate))} | backlog: p50 first fifth ${ms(med((r) => r.p50First))}, ` +
        `last fifth ${ms(med((r) => r.p50Last))}, drain ${ms(med((r) => r.drainMs))}`,
    );
    const missing = results.reduce((s, r) => s + r.missing, 0);
    const negative = results.reduce((s, r) => s + r.negative, 0);
    out(
      `totals:  missing ${missing}, negative latencies ${negative}, duplicate events ${listener.duplicates}` +
        ` (throughput is n/a for a run with missing events)`,
    );
    if (missing > 0) {
      process.exitCode = 1;
    }
  } finally {
    socket?.close();
  }
}

const loadLine = (opts: BenchOptions): string =>
  opts.rate !== undefined
    ? `a steady ${opts.rate} alerts/s (open loop, at most ${MAX_IN_FLIGHT} in flight)`
    : `concurrency ${opts.concurrency} (closed loop)`;

export const latency: BenchTopic = {
  description: 'HTTP 202 → socket.io `alert` event latency and sustained alerts/s, small native alerts',
  async run(opts) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    environmentLines().forEach(out);
    out(TARGET);
    out(
      `n:       ${opts.n} alerts per run, ${loadLine(opts)}, ${opts.runs} run(s), ` +
        `${opts.warmup} warm-up alerts; ` +
        (opts.inProcess
          ? 'hub (api+worker+gateway) and client in this process, loopback'
          : 'hub (api+worker+gateway) in one process of its own (`node dist/apps/hub/src/main.js`), the client in this one, loopback'),
    );
    if (opts.inProcess) {
      const hub = await startBenchHub();
      try {
        await runAll(hub, hub.url, opts, out);
        out(`peak RSS: ${peakRss()} (whole process: hub + bench client)`);
      } finally {
        await hub.close();
      }
      return;
    }
    const topology = await startBenchTopology(
      {
        TOCSIN_DB_POOL_SIZE: '10',
        TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
        TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0',
      },
      { oneProcess: true },
    );
    try {
      await Promise.race([runAll(topology.api, topology.gatewayUrl, opts, out), topology.failure]);
      out(`peak RSS: hub ${mb(memoryOf(topology.processes.api.pid).hwm)}, bench client ${peakRss()}`);
    } finally {
      await topology.close();
    }
  },
};

export const throughput: BenchTopic = {
  description: 'sustained alerts/s and 202 → socket latency, api + `--workers` workers + gateway as separate processes',
  async run(opts) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    environmentLines().forEach(out);
    out(THROUGHPUT_TARGET);
    out(
      `n:       ${opts.n} alerts per run, ${loadLine(opts)}, ${opts.runs} run(s), ${opts.warmup} warm-up alerts; ` +
        `1 api, ${opts.workers} worker(s), 1 gateway, each its own process; the client in this process`,
    );
    // Throughput, not admission control: no rate limit (the defaults hold one org to 100 alerts/s).
    const topology = await startBenchTopology(
      { TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0', TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0' },
      { workers: opts.workers },
    );
    try {
      const urls = [topology.processes.api, ...topology.workers, ...topology.gateways].map((p) => p.url);
      await Promise.race([runAll(topology.api, topology.gatewayUrl, opts, out, urls), topology.failure]);
      const peaks = [topology.processes.api, ...topology.workers, topology.processes.gateway].map(
        (p) => `${p.role} ${mb(memoryOf(p.pid).hwm)}`,
      );
      out(`peak RSS: ${peaks.join(', ')}`);
    } finally {
      await topology.close();
    }
  },
};
