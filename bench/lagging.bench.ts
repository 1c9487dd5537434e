import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { seedOrg, startBenchTopology, type RoleProcess } from './harness';
import { submitAtRate } from './latency.bench';
import { environmentLines, median, ms, peakRss, percentile } from './report';
import type { BenchTopic } from './run';
import { ChildChannel, cpuMsOf } from './socket-clients';

/**
 * TOCSIN_SOCKET_MAX_QUEUE for the bench (default 1,000): small, so that a stalled socket lags within a phase, but above
 * what one tail pass of the gateway sends a socket that reads normally. The gateway emits a pass's entries without
 * yielding to the event loop, so they all wait in the socket's buffer until the pass ends; the worker publishes up to
 * TOCSIN_GROUP_COMMIT_MAX (64) alerts in one transaction, and at 50 a watcher reading normally was told `lagging`.
 */
const MAX_QUEUE = 200;
/** TOCSIN_REPLAY_BATCH for the bench (default 500), as in test/e2e/lagging.e2e-spec.ts. */
const REPLAY_BATCH = 50;
/**
 * Characters of each alert's description. The kernel holds a few MB for a socket that does not read (the gateway's
 * send buffer and the client's receive buffer) before the gateway's own queue grows, so small alerts would take
 * tens of thousands of events to lag; these carry about 20 kB each (the longest description allowed), in both phases, so the watcher sees the same alerts.
 */
const DESCRIPTION_CHARS = 20_000;
const DEFAULT_RATE = 100;
/** Bound on waiting for a phase's alerts to reach the sockets after the last submission. */
const ARRIVE_TIMEOUT_MS = 120_000;
const SETTLE_MS = 1_000;
/** How often the gateway's log is read for its `socket lagging; replaying` warning. */
const WATCH_EVERY_MS = 20;

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

/**
 * One socket.io client on /alerts in a child process (`node -e`), so that neither the watcher's receipt times nor the
 * stalled socket's burst when it reads again share the bench's event loop (which submits the alerts). Every event is
 * noted with its receipt time (`performance.timeOrigin + performance.now()`, ms). `pause` stops reading the TCP socket
 * under the websocket transport (as test/e2e/lagging.e2e-spec.ts does): the kernel's buffers fill, then the gateway's
 * queue for the socket grows until the hub tells it `lagging`.
 */
const CHILD = String.raw`
const { io } = require('socket.io-client');
const { performance } = require('node:perf_hooks');
const now = () => performance.timeOrigin + performance.now();
let socket = null;
let log = [];
process.on('message', (m) => {
  if (m.type === 'connect') {
    log = [];
    socket = io(m.url + '/alerts', { auth: { token: m.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => process.send({ type: 'connected', error: null }));
    socket.once('connect_error', (e) => process.send({ type: 'connected', error: e.message }));
    socket.on('disconnect', (reason) => log.push({ name: 'disconnect', t: now(), reason }));
    socket.onAny((name, body) => {
      const t = now();
      const b = body || {};
      log.push({ name, t, seq: b.seq, id: b.alert ? b.alert.id : undefined,
        publishedAt: b.alert ? b.alert.publishedAt : undefined, queued: b.queued, bytes: JSON.stringify(body).length });
    });
  } else if (m.type === 'pause' || m.type === 'resume') {
    socket.io.engine.transport.ws._socket[m.type]();
    process.send({ type: m.type + 'd', t: now() });
  } else if (m.type === 'take') {
    process.send({ type: 'taken', events: log.splice(0) });
  } else if (m.type === 'disconnect') {
    if (socket) socket.close();
    socket = null;
    process.send({ type: 'disconnected' });
  } else if (m.type === 'exit') {
    process.send({ type: 'bye' });
    setTimeout(() => process.exit(0), 50);
  }
});
process.send({ type: 'ready' });
`;

interface Received {
  readonly name: string;
  /** Receipt time, ms since the epoch (performance.timeOrigin + performance.now() in the client process). */
  readonly t: number;
  readonly seq?: number;
  readonly id?: string;
  readonly publishedAt?: string;
  readonly queued?: number;
  readonly bytes?: number;
  readonly reason?: string;
}

class SocketChild {
  private readonly channel = new ChildChannel(CHILD);
  /** Every event taken from the child so far, since the last connect. */
  readonly events: Received[] = [];

  get pid(): number {
    return this.channel.pid;
  }

  ready(): Promise<unknown> {
    return this.channel.receive('ready', 30_000);
  }

  async connect(url: string, token: string): Promise<void> {
    this.events.length = 0;
    this.channel.send({ type: 'connect', url, token });
    const r = await this.channel.receive<{ error: string | null }>('connected', 30_000);
    if (r.error !== null) {
      throw new Error(`connect_error: ${r.error}`);
    }
  }

  /** Stops reading; resolves with the time it did. */
  async pause(): Promise<number> {
    this.channel.send({ type: 'pause' });
    return (await this.channel.receive<{ t: number }>('paused', 30_000)).t;
  }

  async resume(): Promise<number> {
    this.channel.send({ type: 'resume' });
    return (await this.channel.receive<{ t: number }>('resumed', 30_000)).t;
  }

  /** Moves what the child received since the last call into `events`. */
  async take(): Promise<Received[]> {
    this.channel.send({ type: 'take' });
    this.events.push(...(await this.channel.receive<{ events: Received[] }>('taken', 30_000)).events);
    return this.events;
  }

  async disconnect(): Promise<void> {
    this.channel.send({ type: 'disconnect' });
    await this.channel.receive('disconnected', 30_000);
  }

  async close(): Promise<void> {
    if (this.channel.ended !== null) {
      return;
    }
    this.channel.send({ type: 'exit' });
    await this.channel.receive('bye', 10_000).catch(() => undefined);
    if (this.channel.ended === null) {
      this.channel.kill();
    }
  }
}

/** Polls the child until `done` holds for its events (or the bound); returns them. */
async function takeUntil(
  s: SocketChild,
  done: (events: readonly Received[]) => boolean,
  timeoutMs: number,
  failure: Promise<never>,
): Promise<Received[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await Promise.race([s.take(), failure]);
    if (done(events) || Date.now() > deadline) {
      return events;
    }
    await sleep(100);
  }
}

/**
 * The gateway's `socket lagging; replaying` warnings (pino JSON on its output, LOG_LEVEL=warn): their count, and the
 * time (ms since the epoch, the gateway's clock) of the last one.
 */
function laggingWarnings(gateway: RoleProcess): { count: number; lastAt: number } {
  let count = 0;
  let lastAt = Number.NaN;
  for (const line of gateway.output().split('\n')) {
    if (line.includes('socket lagging; replaying')) {
      count += 1;
      const m = /"time":(\d+)/.exec(line);
      lastAt = m ? Number(m[1]) : Number.NaN;
    }
  }
  return { count, lastAt };
}

/**
 * Reads the gateway's output every WATCH_EVERY_MS while `going()`; calls `onWarning` (with the warning's time) once,
 * for the first `socket lagging` warning beyond the `before` first ones.
 */
async function pollGateway(
  gateway: RoleProcess,
  going: () => boolean,
  before: number,
  onWarning: (at: number) => void,
): Promise<void> {
  let told = false;
  while (going()) {
    await sleep(WATCH_EVERY_MS);
    const w = laggingWarnings(gateway);
    if (!told && w.count > before) {
      told = true;
      onWarning(Number.isNaN(w.lastAt) ? now() : w.lastAt);
    }
  }
}

async function submitPhase(
  apiUrl: string,
  key: string,
  label: string,
  n: number,
  rate: number,
  onAccepted: (count: number) => void = () => undefined,
): Promise<{ ids: string[]; late: number }> {
  const ids: string[] = [];
  const description = `Bench lagging alert. ${'x'.repeat(DESCRIPTION_CHARS)}`.slice(0, DESCRIPTION_CHARS);
  const submitOne = async (i: number): Promise<void> => {
    const res = await fetch(`${apiUrl}/api/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `Bench lagging ${label} ${i}`,
        description,
        severity: 'medium',
        tlp: 'GREEN',
        indicators: [{ type: 'ipv4', value: `203.0.113.${(i % 250) + 1}` }],
      }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status !== 202) {
      throw new Error(`submit ${label} #${i}: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
    ids.push((JSON.parse(text) as { id: string }).id);
    onAccepted(ids.length);
  };
  const late = await submitAtRate(n, rate, performance.now(), submitOne);
  return { ids, late };
}

/** The watcher's publish → receipt latencies (ms, ascending) for these alerts, and how many of them it got. */
function latencies(events: readonly Received[], ids: ReadonlySet<string>): { sorted: number[]; got: number } {
  const seen = new Set<string>();
  const sorted: number[] = [];
  for (const e of events) {
    if (e.name === 'alert' && e.id !== undefined && ids.has(e.id) && !seen.has(e.id)) {
      seen.add(e.id);
      sorted.push(e.t - Date.parse(e.publishedAt ?? ''));
    }
  }
  return { sorted: sorted.sort((a, b) => a - b), got: seen.size };
}

const hasAll = (ids: ReadonlySet<string>) => (events: readonly Received[]) =>
  new Set(events.filter((e) => e.name === 'alert' && e.id !== undefined && ids.has(e.id)).map((e) => e.id)).size >=
  ids.size;

/** The `lagging` events among these, as `seq …, queued …`; null when none. */
function laggingOf(events: readonly Received[]): string | null {
  const told = events.filter((e) => e.name === 'lagging');
  return told.length === 0 ? null : told.map((e) => `seq ${e.seq}, queued ${e.queued}`).join('; ');
}

interface Phase {
  readonly sorted: number[];
  readonly got: number;
  readonly late: number;
  readonly gatewayCpuMs: number;
  readonly load: number;
  /** What the watcher was told if it was told `lagging` itself (it never should be). */
  readonly watcherLagged: string | null;
}

interface Stall {
  /** The gateway logged `socket lagging` for the stalled socket during the phase. */
  readonly told: boolean;
  /** Pause → the gateway's warning (its log time), ms. */
  readonly toldAfterMs: number;
  /** Alerts submitted (202) by the time the warning was seen. */
  readonly alertsBefore: number;
  /** What the `lagging` event said (seq up to which the socket has everything, packets queued), once read. */
  readonly laggingSeq: number;
  readonly queued: number;
  /** Bytes of the events the socket had been sent before `lagging` (JSON of their bodies). */
  readonly bytesBefore: number;
  /** Resume → every alert published before the resume received, ms. */
  readonly caughtUpMs: number;
  readonly received: number;
  readonly expected: number;
  readonly missing: number;
  /** Alerts it got that were not of the phase. */
  readonly unexpected: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  /** Alerts that arrived on the wrong side of the `lagging` event (seq above it before it, or not above it after). */
  readonly misplaced: number;
  readonly laggingEvents: number;
  readonly disconnected: boolean;
}

/** Checks the stalled socket's events against the phase's alerts (as the watcher got them, in seq order). */
function checkStall(
  events: readonly Received[],
  expected: readonly Received[],
  pausedAt: number,
  resumedAt: number,
  warning: { at: number; alertsBefore: number } | null,
): Stall {
  const alerts = events.filter((e) => e.name === 'alert' && e.id !== undefined);
  const want = new Set(expected.map((e) => e.id));
  const got = new Set(alerts.map((e) => e.id));
  let outOfOrder = 0;
  for (let i = 1; i < alerts.length; i++) {
    if (alerts[i]!.seq! <= alerts[i - 1]!.seq!) {
      outOfOrder += 1;
    }
  }
  const lagIndex = events.findIndex((e) => e.name === 'lagging');
  const lag = lagIndex >= 0 ? events[lagIndex]! : null;
  let misplaced = 0;
  let bytesBefore = 0;
  if (lag) {
    events.forEach((e, i) => {
      if (e.name !== 'alert') {
        return;
      }
      if (i < lagIndex) {
        bytesBefore += e.bytes ?? 0;
      }
      if ((i < lagIndex && e.seq! > lag.seq!) || (i > lagIndex && e.seq! <= lag.seq!)) {
        misplaced += 1;
      }
    });
  }
  // Caught up: it holds every alert published before the resume (the last of them, by seq, received).
  const before = expected.filter((e) => Date.parse(e.publishedAt ?? '') <= resumedAt);
  const lastBefore = before.at(-1);
  const caught = lastBefore ? alerts.find((e) => e.id === lastBefore.id) : undefined;
  return {
    told: warning !== null,
    toldAfterMs: warning ? warning.at - pausedAt : Number.NaN,
    alertsBefore: warning ? warning.alertsBefore : Number.NaN,
    laggingSeq: lag?.seq ?? Number.NaN,
    queued: lag?.queued ?? Number.NaN,
    bytesBefore: lag ? bytesBefore : Number.NaN,
    caughtUpMs: caught ? caught.t - resumedAt : Number.NaN,
    received: alerts.length,
    expected: want.size,
    missing: [...want].filter((id) => !got.has(id)).length,
    unexpected: [...got].filter((id) => !want.has(id)).length,
    duplicates: alerts.length - got.size,
    outOfOrder,
    misplaced,
    laggingEvents: events.filter((e) => e.name === 'lagging').length,
    disconnected: events.some((e) => e.name === 'disconnect'),
  };
}

const recovered = (s: Stall): boolean =>
  s.told &&
  s.laggingEvents === 1 &&
  s.missing === 0 &&
  s.unexpected === 0 &&
  s.duplicates === 0 &&
  s.outOfOrder === 0 &&
  s.misplaced === 0 &&
  !s.disconnected;

const kb = (bytes: number): string => (Number.isNaN(bytes) ? 'n/a' : `${(bytes / 1000).toFixed(0)} kB`);
const pcts = (l: readonly number[]): string =>
  `p50 ${ms(percentile(l, 50))} p95 ${ms(percentile(l, 95))} p99 ${ms(percentile(l, 99))} max ${ms(l.at(-1) ?? NaN)}`;

export const lagging: BenchTopic = {
  description:
    "a socket that stops reading is told `lagging` and recovers by replay: another socket's publish → receipt latency, alone and meanwhile",
  async run(opts) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    const rate = opts.rate ?? DEFAULT_RATE;
    const n = opts.n;
    environmentLines().forEach(out);
    out(
      "target:  the watcher's latency with a stalled socket beside it close to its latency alone; the stalled socket " +
        'told `lagging` and caught up by replay with no gap and no duplicate (printed, not asserted)',
    );
    out(
      `n:       per run, two phases of ${n} TLP:GREEN alerts (${DESCRIPTION_CHARS}-character description, one ipv4) ` +
        `at a steady ${rate}/s (open loop) from a trust-3 org: (A) the watcher alone, (B) the watcher and a stalled ` +
        `socket of another trust-3 org, (A) first in odd runs and (B) first in even ones; ${opts.runs} run(s) after ` +
        `${opts.warmup} warm-up alert(s) (--concurrency ` +
        'and --workers do not apply)',
    );
    const topology = await startBenchTopology({
      TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
      TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0',
      TOCSIN_SOCKET_MAX_QUEUE: String(MAX_QUEUE),
      TOCSIN_REPLAY_BATCH: String(REPLAY_BATCH),
    });
    const watcher = new SocketChild();
    const stalled = new SocketChild();
    try {
      const p = topology.processes;
      const gw = p.gateway;
      out(
        `processes: api pid ${p.api.pid}, worker pid ${p.worker.pid}, gateway pid ${gw.pid}: node ` +
          `dist/apps/<role>/src/main.js; watcher pid ${watcher.pid}, stalled socket pid ${stalled.pid} (node -e, ` +
          'socket.io-client, websocket)',
      );
      out(
        `settings: ${Object.entries(topology.settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}; the rest default`,
      );
      out(
        "method:  latency = receipt in the watcher's process (`performance.timeOrigin + performance.now()` when the " +
          "event arrives) − the payload's `publishedAt` (the worker's clock, ms precision; one machine). In (B) the " +
          'stalled socket connects, its TCP socket is paused (it stops reading), and it is resumed as soon as the gateway ' +
          `logs \`socket lagging; replaying\` (its output read every ${WATCH_EVERY_MS} ms, in (A) too), so its replay runs while ` +
          'alerts keep coming; then every alert of (B) must reach it once, in seq order, on the right side of `lagging`',
      );
      const submitter = await seedOrg(topology.api, 'Bench lagging submitter', 3, ['operator']);
      const watching = await seedOrg(topology.api, 'Bench lagging watcher', 3, ['reader']);
      const stalling = await seedOrg(topology.api, 'Bench lagging stalled', 3, ['reader']);
      const key = submitter.keys.operator!;
      await Promise.all([watcher.ready(), stalled.ready()]);
      await watcher.connect(gw.url, watching.keys.reader!);

      if (opts.warmup > 0) {
        const warm = await submitPhase(topology.api.url, key, 'warm-up', opts.warmup, rate);
        const ids = new Set(warm.ids);
        const events = await takeUntil(watcher, hasAll(ids), ARRIVE_TIMEOUT_MS, topology.failure);
        out(`warm-up: ${latencies(events, ids).got}/${opts.warmup} received`);
      }

      const phases: { a: Phase; b: Phase; stall: Stall }[] = [];
      /** (A) the watcher alone. */
      const alone = async (run: number): Promise<Phase> => {
        await sleep(SETTLE_MS);
        watcher.events.length = 0;
        const load = loadavg()[0]!;
        const cpu0 = cpuMsOf(gw.pid);
        // The gateway's output is read as often as in (B), so that both phases have the same bench process.
        const state = { submitting: true };
        const watch = pollGateway(
          gw,
          () => state.submitting,
          laggingWarnings(gw).count,
          () => undefined,
        );
        watch.catch(() => undefined); // awaited below
        const a = await submitPhase(topology.api.url, key, `A${run}`, n, rate).finally(
          () => (state.submitting = false),
        );
        await watch;
        const ids = new Set(a.ids);
        const events = await takeUntil(watcher, hasAll(ids), ARRIVE_TIMEOUT_MS, topology.failure);
        return {
          ...latencies(events, ids),
          late: a.late,
          gatewayCpuMs: cpuMsOf(gw.pid) - cpu0,
          load,
          watcherLagged: laggingOf(events),
        };
      };

      /** (B) the watcher, and a socket that stops reading until the hub tells it `lagging`, then reads again. */
      const beside = async (run: number): Promise<{ phase: Phase; stall: Stall }> => {
        await sleep(SETTLE_MS);
        watcher.events.length = 0;
        await stalled.connect(gw.url, stalling.keys.reader!);
        const pausedAt = await stalled.pause();
        const warningsBefore = laggingWarnings(gw).count;
        const state = {
          warning: null as { at: number; alertsBefore: number } | null,
          submitted: 0,
          submitting: true,
          resumed: null as Promise<number> | null,
        };
        // Resumes the stalled socket once the gateway has told it `lagging` (or once the phase's alerts are all in).
        const watch = pollGateway(
          gw,
          () => state.submitting,
          warningsBefore,
          (at) => {
            state.warning = { at, alertsBefore: state.submitted };
            state.resumed = stalled.resume();
            state.resumed.catch(() => undefined); // awaited below
          },
        );
        watch.catch(() => undefined); // awaited below; a failed submission must not leave its rejection unhandled
        const load = loadavg()[0]!;
        const cpu0 = cpuMsOf(gw.pid);
        const b = await submitPhase(topology.api.url, key, `B${run}`, n, rate, (c) => (state.submitted = c)).finally(
          () => (state.submitting = false),
        );
        const ids = new Set(b.ids);
        await watch;
        // Resumed as soon as told `lagging`; if it never was, once the phase's alerts are all in.
        const resumedAt = await (state.resumed ?? stalled.resume());
        const events = await takeUntil(watcher, hasAll(ids), ARRIVE_TIMEOUT_MS, topology.failure);
        const phase: Phase = {
          ...latencies(events, ids),
          late: b.late,
          gatewayCpuMs: cpuMsOf(gw.pid) - cpu0,
          load,
          watcherLagged: laggingOf(events),
        };
        const stalledEvents = await takeUntil(stalled, hasAll(ids), ARRIVE_TIMEOUT_MS, topology.failure);
        const expected = events
          .filter((e) => e.name === 'alert' && e.id !== undefined && ids.has(e.id))
          .sort((x, y) => x.seq! - y.seq!);
        const stall = checkStall(stalledEvents, expected, pausedAt, resumedAt, state.warning);
        await stalled.disconnect();
        return { phase, stall };
      };

      for (let run = 1; run <= opts.runs; run++) {
        // Odd runs (A) then (B), even runs (B) then (A): the hub and the machine warm up over the first minutes, so
        // a phase always run first would look slower for it.
        const bFirst = run % 2 === 0;
        let phaseA: Phase;
        let b: { phase: Phase; stall: Stall };
        if (bFirst) {
          b = await beside(run);
          phaseA = await alone(run);
        } else {
          phaseA = await alone(run);
          b = await beside(run);
        }
        const { phase: phaseB, stall } = b;
        phases.push({ a: phaseA, b: phaseB, stall });

        const phaseLine = (name: string, ph: Phase) =>
          `  ${name}: ${ph.got}/${n} received; publish→receipt ${pcts(ph.sorted)}; gateway CPU ${ms(ph.gatewayCpuMs)}` +
          `${ph.late > 0 ? `; ${ph.late} submission(s) late` : ''}` +
          `${ph.watcherLagged !== null ? `; WATCHER TOLD LAGGING (${ph.watcherLagged})` : ''}` +
          `; load average before ${ph.load.toFixed(2)}`;
        out(`run ${run} (${bFirst ? '(B) then (A)' : '(A) then (B)'}):`);
        out(phaseLine('(A) watcher alone      ', phaseA));
        out(phaseLine('(B) with stalled socket', phaseB));
        out(
          `  stalled socket: ${
            stall.told
              ? `told lagging ${ms(stall.toldAfterMs)} after it stopped reading (after ${stall.alertsBefore} of the ` +
                `${n} alerts; ${kb(stall.bytesBefore)} of events sent to it before, ${stall.queued} packets queued ` +
                `in the gateway, lagging seq ${stall.laggingSeq})`
              : 'NOT told lagging during the phase'
          }; caught up ${ms(stall.caughtUpMs)} after it read again; ${stall.received}/${stall.expected} alerts, ` +
            `${stall.missing} missing, ${stall.unexpected} unexpected, ${stall.duplicates} duplicate(s), ${stall.outOfOrder} out of order, ` +
            `${stall.misplaced} on the wrong side of lagging, ${stall.laggingEvents} lagging event(s)` +
            `${stall.disconnected ? ', DISCONNECTED' : ''}: ${recovered(stall) ? 'recovered' : 'NOT RECOVERED'}`,
        );
        if (
          phaseA.got !== n ||
          phaseB.got !== n ||
          !recovered(stall) ||
          phaseA.watcherLagged !== null ||
          phaseB.watcherLagged !== null
        ) {
          out(`  PROBLEM run ${run}: see above`);
          process.exitCode = 1;
        }
      }

      const med = (f: (r: (typeof phases)[number]) => number) => median(phases.map(f));
      const medPcts = (f: (r: (typeof phases)[number]) => Phase) =>
        `p50 ${ms(med((r) => percentile(f(r).sorted, 50)))}, p95 ${ms(med((r) => percentile(f(r).sorted, 95)))}, ` +
        `p99 ${ms(med((r) => percentile(f(r).sorted, 99)))}`;
      out('');
      out(`median of ${phases.length} runs, the watcher's publish→receipt:`);
      out(`  (A) alone:                   ${medPcts((r) => r.a)}`);
      out(`  (B) beside a stalled socket: ${medPcts((r) => r.b)}`);
      out(
        `  stalled socket: told lagging in ${phases.filter((r) => r.stall.told).length}/${phases.length} runs, ` +
          `${ms(med((r) => r.stall.toldAfterMs))} after it stopped reading (median), caught up ` +
          `${ms(med((r) => r.stall.caughtUpMs))} after it read again; recovered with no gap and no duplicate in ` +
          `${phases.filter((r) => recovered(r.stall)).length}/${phases.length} runs`,
      );
      out(`peak RSS: ${peakRss()} (the bench process: the submitter)`);
    } finally {
      await Promise.all([watcher.close(), stalled.close()]);
      await topology.close();
    }
  },
};
