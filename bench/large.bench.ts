import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { seedOrg, startBenchTopology, wasInterrupted, type BenchTopology, type Role } from './harness';
import { mb, memoryOf, resetPeak, RssSampler } from './procfs';
import { environmentLines, median, ms, peakRss } from './report';
import type { BenchTopic } from './run';

const N = 100_000;
const TARGET_DELIVERY_MS = 2_500;
const TARGET_WORKER_PEAK_BYTES = 300e6;
const TARGET =
  'target:  under 2.5 s from 202 to delivery on this 2-core machine (issue 12; issue 11 asked under 3 s); under 300 MB worker peak memory (printed, not asserted)';
const QUERY = '?title=Bench%20botnet%20controllers&tlp=AMBER';
const ROLES: readonly Role[] = ['api', 'worker', 'gateway'];
const SUBMIT_TIMEOUT_MS = 60_000;
/** From the 202 to the whole alert at the subscriber. */
const RUN_TIMEOUT_MS = 120_000;
const WARMUP_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;
const GET_TIMEOUT_MS = 10_000;
/** The status poll may trail the push by a poll or two; it gets this long after delivery to see `published`. */
const POLL_GRACE_MS = 5_000;
const POLL_EVERY_MS = 25;
const SAMPLE_EVERY_MS = 50;
/** Quiet time before each run, so one run's tail work (gateway poll, GC) does not fall into the next. */
const SETTLE_MS = 1_000;

const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

/** Resolves when `p` settles or after `msec`, whichever is first (the timer is cleared either way). */
async function atMost(p: Promise<unknown>, msec: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, msec)))]);
  clearTimeout(timer);
}

/** 100,000 distinct addresses of a public /8, one a line after a comment: test/e2e/large-alert.e2e-spec.ts's list. */
function botnetList(n: number): { text: string; values: string[] } {
  const values: string[] = [];
  for (let i = 1; i <= n; i++) {
    values.push(`11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  }
  return { text: ['# botnet controllers, one per line', ...values].join('\n') + '\n', values };
}

interface PushedIndicator {
  readonly type: string;
  readonly value: string;
}

interface AlertEvent {
  readonly seq: number;
  readonly alert: {
    readonly id: string;
    readonly indicators: readonly PushedIndicator[];
    readonly indicatorCount: number;
    readonly indicatorChunks?: { readonly size: number; readonly count: number };
    readonly publishedAt: string;
  };
}

interface ChunkEvent {
  readonly seq: number;
  readonly alertId: string;
  readonly chunk: number;
  readonly count: number;
  readonly indicators: readonly PushedIndicator[];
}

interface Received {
  alert: AlertEvent | null;
  alertAt: number;
  readonly chunks: Map<number, { readonly at: number; readonly event: ChunkEvent }>;
  duplicates: number;
}

const chunkCount = (r: Received): number => r.alert?.alert.indicatorChunks?.count ?? 1;
const isComplete = (r: Received): boolean => r.alert !== null && r.chunks.size >= chunkCount(r) - 1;

/** Holds every `alert` and `alert-indicators` event by alert id, with arrival times, and wakes a waiter. */
class Subscriber {
  private readonly byId = new Map<string, Received>();
  private readonly waiters = new Map<string, () => void>();

  constructor(readonly socket: Socket) {
    socket.on('alert', (e: AlertEvent) => {
      const at = performance.now();
      const id = e?.alert?.id;
      if (typeof id !== 'string') {
        return;
      }
      const r = this.entry(id);
      if (r.alert) {
        r.duplicates += 1;
        return;
      }
      r.alert = e;
      r.alertAt = at;
      this.check(id, r);
    });
    socket.on('alert-indicators', (c: ChunkEvent) => {
      const at = performance.now();
      if (typeof c?.alertId !== 'string') {
        return;
      }
      const r = this.entry(c.alertId);
      if (r.chunks.has(c.chunk)) {
        r.duplicates += 1;
        return;
      }
      r.chunks.set(c.chunk, { at, event: c });
      this.check(c.alertId, r);
    });
  }

  private entry(id: string): Received {
    let r = this.byId.get(id);
    if (!r) {
      r = { alert: null, alertAt: Number.NaN, chunks: new Map(), duplicates: 0 };
      this.byId.set(id, r);
    }
    return r;
  }

  private check(id: string, r: Received): void {
    if (isComplete(r)) {
      this.waiters.get(id)?.();
    }
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

  get(id: string): Received | undefined {
    return this.byId.get(id);
  }

  /** Drops what is held for an alert (100,000 indicators a run add up in the bench process). */
  forget(id: string): void {
    this.byId.delete(id);
  }

  /** Resolves 'complete' once the alert and all its chunks are held; or 'timeout', or 'disconnected: <reason>'. */
  wait(id: string, timeoutMs: number): Promise<string> {
    const r = this.byId.get(id);
    if (r && isComplete(r)) {
      return Promise.resolve('complete');
    }
    if (!this.socket.connected) {
      return Promise.resolve('disconnected before the wait');
    }
    return new Promise((resolve) => {
      const finish = (outcome: string) => {
        clearTimeout(timer);
        this.waiters.delete(id);
        this.socket.off('disconnect', onDisconnect);
        resolve(outcome);
      };
      const onDisconnect = (reason: string) => finish(`disconnected: ${reason}`);
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      this.socket.on('disconnect', onDisconnect);
      this.waiters.set(id, () => finish('complete'));
    });
  }
}

interface Seen {
  /** When the first answer showing this status arrived (an upper bound on the transition). */
  readonly at: number;
  readonly view: { status: string; submittedAt: string; updatedAt: string };
}

/** Polls `GET /api/v1/alerts/:id` every POLL_EVERY_MS, one request at a time, noting when each status first shows. */
class StatusPoller {
  readonly seen = new Map<string, Seen>();
  readonly getMs: number[] = [];
  errors: string[] = [];
  private stopped = false;
  readonly done: Promise<void>;

  constructor(url: string, key: string, id: string) {
    this.done = this.loop(url, key, id);
  }

  last(): string {
    return [...this.seen.keys()].at(-1) ?? 'none';
  }

  private async loop(url: string, key: string, id: string): Promise<void> {
    const deadline = performance.now() + RUN_TIMEOUT_MS + POLL_GRACE_MS;
    // On Ctrl-C it stops at once: requests still coming in would keep the api from closing during the cleanup.
    while (!this.stopped && !wasInterrupted() && performance.now() < deadline) {
      const sent = performance.now();
      try {
        const res = await fetch(`${url}/api/v1/alerts/${id}`, {
          headers: { authorization: `Bearer ${key}` },
          signal: AbortSignal.timeout(GET_TIMEOUT_MS),
        });
        const text = await res.text();
        const at = performance.now();
        this.getMs.push(at - sent);
        if (res.status !== 200) {
          this.errors.push(`HTTP ${res.status} ${text.slice(0, 200)}`);
        } else {
          const view = JSON.parse(text) as Seen['view'];
          if (!this.seen.has(view.status)) {
            this.seen.set(view.status, { at, view });
          }
          if (view.status !== 'queued' && view.status !== 'normalized') {
            return; // published (or, unexpectedly, pending_review / rejected): nothing further to see
          }
        }
      } catch (e) {
        this.errors.push((e as Error).message);
      }
      const wait = sent + POLL_EVERY_MS - performance.now();
      if (wait > 0) {
        await sleep(wait);
      }
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

interface Memory {
  /** VmHWM read after delivery: the peak since the reset before the run (or since start, if it could not reset). */
  readonly hwm: number;
  /** Highest VmRSS sampled every 50 ms during the run. */
  readonly sampled: number;
  /** VmRSS just before the run. */
  readonly before: number;
  /** VmHWM just before the run, before its reset: the peak up to then (start-up and earlier runs included). */
  readonly hwmBefore: number;
}

interface RunResult {
  readonly complete: boolean;
  readonly problems: string[];
  /** Milliseconds. */
  readonly sendTo202: number;
  readonly sendToResponse: number;
  readonly toNormalized: number;
  readonly normalizedToPublished: number;
  readonly publishedToAlert: number;
  readonly alertToLastChunk: number;
  readonly delivery: number;
  /** From the server clocks (same machine): the submit transaction's start, relative to the send and the 202. */
  readonly sendToSubmitTx: number;
  readonly submitTxTo202: number;
  /** Publish transaction start (alert updated_at) → the payload's publishedAt (worker clock) → `published` seen. */
  readonly publishTxToPublishedAt: number;
  readonly publishedAtToSeen: number;
  readonly chunks: number;
  readonly chunkSize: number;
  readonly indicators: number;
  readonly polls: number;
  readonly getMedian: number;
  readonly memory: Readonly<Record<Role, Memory>>;
}

/** A wall-clock ISO time from another process on this machine, on this process's performance.now() timeline. */
const onTimeline = (iso: string | undefined): number =>
  iso === undefined ? Number.NaN : Date.parse(iso) - performance.timeOrigin;

/** Checks the reassembled alert: chunk numbering, sizes, and the 100,000 values exactly as submitted. */
function verify(r: Received, values: readonly string[]): { indicators: number; problems: string[] } {
  const problems: string[] = [];
  const e = r.alert!;
  const count = chunkCount(r);
  const numbers = [...r.chunks.keys()].sort((a, b) => a - b);
  if (numbers.length !== count - 1 || numbers.some((c, i) => c !== i + 1)) {
    problems.push(`chunks ${numbers.join(',')} where 1..${count - 1} were expected`);
  }
  if ([...r.chunks.values()].some((c) => c.event.seq !== e.seq || c.event.count !== count)) {
    problems.push('a chunk carries another seq or count than its alert event');
  }
  if (r.duplicates > 0) {
    problems.push(`${r.duplicates} duplicate event(s)`);
  }
  const all = [...e.alert.indicators, ...numbers.flatMap((c) => r.chunks.get(c)!.event.indicators)];
  if (all.length !== N) {
    problems.push(`${all.length} indicators reassembled, ${N} expected`);
  }
  if (e.alert.indicatorCount !== N) {
    problems.push(`indicatorCount ${e.alert.indicatorCount}, ${N} expected`);
  }
  const distinct = new Set(all.map((i) => i.value)).size;
  if (distinct !== all.length) {
    problems.push(`${all.length - distinct} repeated value(s)`);
  }
  const wrongType = all.filter((i) => i.type !== 'ipv4').length;
  if (wrongType > 0) {
    problems.push(`${wrongType} indicator(s) not of type ipv4`);
  }
  const misplaced = all.reduce((k, ind, i) => (ind.value === values[i] ? k : k + 1), 0);
  if (misplaced > 0) {
    problems.push(`${misplaced} indicator(s) differ from the submitted list at their position`);
  }
  return { indicators: all.length, problems };
}

interface Context {
  readonly topology: BenchTopology;
  readonly subscriber: Subscriber;
  readonly operatorKey: string;
  readonly body: string;
  readonly values: readonly string[];
}

/** Submits the list as text/plain; returns the alert id and the send, 202 (headers) and response-end times. */
async function submit(
  ctx: Context,
  body: string,
  expected: number,
): Promise<{ id: string; tSend: number; t202: number; tResponse: number }> {
  const tSend = performance.now();
  let res: Response;
  try {
    res = await fetch(`${ctx.topology.api.url}/api/v1/alerts${QUERY}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.operatorKey}`, 'content-type': 'text/plain' },
      body,
      signal: AbortSignal.timeout(SUBMIT_TIMEOUT_MS),
    });
  } catch (e) {
    const why =
      (e as Error).name === 'TimeoutError' ? `no response within ${SUBMIT_TIMEOUT_MS / 1000} s` : (e as Error).message;
    throw new Error(`submit: ${why}`);
  }
  const t202 = performance.now();
  const text = await res.text();
  const tResponse = performance.now();
  if (res.status !== 202) {
    throw new Error(`submit: HTTP ${res.status} ${text.slice(0, 500)}`);
  }
  const accepted = JSON.parse(text) as { id?: unknown; indicators?: unknown };
  if (typeof accepted.id !== 'string' || accepted.indicators !== expected) {
    throw new Error(
      `submit: 202 without an id or with ${String(accepted.indicators)} indicators: ${text.slice(0, 300)}`,
    );
  }
  return { id: accepted.id, tSend, t202, tResponse };
}

/** One small alert through the same path, unmeasured: the pipeline is up end to end before the first run. */
async function warmUp(ctx: Context): Promise<void> {
  const { id } = await submit(ctx, '# warm-up\n11.255.255.1\n11.255.255.2\n11.255.255.3\n', 3);
  const outcome = await Promise.race([ctx.subscriber.wait(id, WARMUP_TIMEOUT_MS), ctx.topology.failure]);
  ctx.subscriber.forget(id);
  if (outcome !== 'complete') {
    throw new Error(`warm-up alert not delivered (${outcome})`);
  }
}

async function measure(ctx: Context, label: string): Promise<RunResult> {
  const procs = ctx.topology.processes;
  const before = Object.fromEntries(ROLES.map((role) => [role, memoryOf(procs[role].pid)])) as Record<
    Role,
    { rss: number; hwm: number }
  >;
  ROLES.forEach((role) => resetPeak(procs[role].pid));
  const sampler = new RssSampler(
    ROLES.map((role) => procs[role].pid),
    SAMPLE_EVERY_MS,
  );
  let poller: StatusPoller | null = null;
  let id: string | null = null;
  try {
    const sub = await submit(ctx, ctx.body, N);
    id = sub.id;
    poller = new StatusPoller(ctx.topology.api.url, ctx.operatorKey, sub.id);
    const outcome = await Promise.race([ctx.subscriber.wait(sub.id, RUN_TIMEOUT_MS), ctx.topology.failure]);
    if (wasInterrupted()) {
      throw new Error('interrupted'); // the signal handler cleans up and exits; report nothing half-measured
    }
    if (outcome === 'complete') {
      await atMost(poller.done, POLL_GRACE_MS);
    }
    poller.stop();
    await poller.done;
    sampler.stop();
    const memory = Object.fromEntries(
      ROLES.map((role) => [
        role,
        {
          hwm: memoryOf(procs[role].pid).hwm,
          sampled: sampler.peak.get(procs[role].pid) ?? NaN,
          before: before[role].rss,
          hwmBefore: before[role].hwm,
        },
      ]),
    ) as Record<Role, Memory>;

    const r = ctx.subscriber.get(sub.id);
    const problems: string[] = [];
    let indicators = 0;
    if (outcome !== 'complete' || !r) {
      const held = r?.alert ? `alert event held, ${r.chunks.size}/${chunkCount(r) - 1} chunks` : 'no alert event';
      problems.push(
        `${label}: delivery INCOMPLETE (${outcome === 'timeout' ? `not whole within ${RUN_TIMEOUT_MS / 1000} s` : outcome}): ${held}; ` +
          `status last seen: ${poller.last()}`,
      );
    } else {
      const v = verify(r, ctx.values);
      indicators = v.indicators;
      problems.push(...v.problems.map((p) => `${label}: ${p}`));
    }
    if (poller.errors.length > 0) {
      problems.push(`${label}: ${poller.errors.length} status poll error(s), first: ${poller.errors[0]}`);
    }
    const seen = (status: string) => poller!.seen.get(status)?.at ?? Number.NaN;
    const tNormalized = seen('normalized');
    const tPublished = seen('published');
    const tAlert = r?.alertAt ?? Number.NaN;
    const lastChunk = r && r.chunks.size > 0 ? Math.max(...[...r.chunks.values()].map((c) => c.at)) : tAlert;
    const firstView = poller.seen.values().next().value?.view;
    const publishedView = poller.seen.get('published')?.view;
    const publishedAt = onTimeline(r?.alert?.alert.publishedAt);
    return {
      complete: outcome === 'complete',
      problems,
      sendTo202: sub.t202 - sub.tSend,
      sendToResponse: sub.tResponse - sub.tSend,
      toNormalized: tNormalized - sub.t202,
      normalizedToPublished: tPublished - tNormalized,
      publishedToAlert: tAlert - tPublished,
      alertToLastChunk: lastChunk - tAlert,
      delivery: outcome === 'complete' ? Math.max(tAlert, lastChunk) - sub.t202 : Number.NaN,
      sendToSubmitTx: onTimeline(firstView?.submittedAt) - sub.tSend,
      submitTxTo202: sub.t202 - onTimeline(firstView?.submittedAt),
      publishTxToPublishedAt: publishedAt - onTimeline(publishedView?.updatedAt),
      publishedAtToSeen: tPublished - publishedAt,
      chunks: r ? chunkCount(r) : Number.NaN,
      chunkSize: r?.alert?.alert.indicatorChunks?.size ?? Number.NaN,
      indicators,
      polls: poller.getMs.length,
      getMedian: median(poller.getMs),
      memory,
    };
  } finally {
    sampler.stop();
    poller?.stop();
    if (id !== null) {
      ctx.subscriber.forget(id);
    }
  }
}

const fixed = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(1));
/** Beside a target: met, MISSED, or n/a when there is no figure (no complete run). */
const verdict = (v: number, target: number): string => (Number.isNaN(v) ? 'n/a' : v < target ? 'met' : 'MISSED');

function details(label: string, r: RunResult, bodyBytes: number): string[] {
  const pad = ' '.repeat(label.length + 2);
  return [
    `${label}: 202→delivery ${ms(r.delivery)}; worker VmHWM ${mb(r.memory.worker.hwm)} ` +
      `(sampled VmRSS peak ${mb(r.memory.worker.sampled)}, ${mb(r.memory.worker.before)} before the run); ` +
      `api VmHWM ${mb(r.memory.api.hwm)}, gateway VmHWM ${mb(r.memory.gateway.hwm)}`,
    `${pad}phases: send→202 ${ms(r.sendTo202)} | 202→normalized ${ms(r.toNormalized)} | ` +
      `normalized→published ${ms(r.normalizedToPublished)} | published→alert event ${ms(r.publishedToAlert)} | ` +
      `alert event→last chunk ${ms(r.alertToLastChunk)}`,
    `${pad}submit: ${bodyBytes} bytes text/plain, 202 headers after ${ms(r.sendTo202)}, response read after ` +
      `${ms(r.sendToResponse)}; server clocks: send→submit transaction start ${ms(r.sendToSubmitTx)}, ` +
      `submit transaction start→202 ${ms(r.submitTxTo202)}`,
    `${pad}publish: transaction start→payload publishedAt ${ms(r.publishTxToPublishedAt)}, ` +
      `publishedAt→\`published\` seen ${ms(r.publishedAtToSeen)} (server clocks)`,
    `${pad}delivered: ` +
      (r.complete
        ? `\`alert\` + ${r.chunks - 1} \`alert-indicators\` of ${r.chunkSize} = ${r.indicators} indicators` +
          (r.problems.length === 0 ? ' (distinct, ipv4, as submitted and in order)' : ' (see PROBLEM)')
        : 'incomplete (see PROBLEM)') +
      `; ${r.polls} status polls, GET median ${ms(r.getMedian)}`,
  ];
}

const COLUMNS: readonly [string, (r: RunResult) => number, 'ms' | 'MB'][] = [
  ['202→delivery', (r) => r.delivery, 'ms'],
  ['send→202', (r) => r.sendTo202, 'ms'],
  ['202→norm.', (r) => r.toNormalized, 'ms'],
  ['norm.→publ.', (r) => r.normalizedToPublished, 'ms'],
  ['publ.→alert', (r) => r.publishedToAlert, 'ms'],
  ['alert→last', (r) => r.alertToLastChunk, 'ms'],
  ['worker HWM', (r) => r.memory.worker.hwm, 'MB'],
  ['worker smp.', (r) => r.memory.worker.sampled, 'MB'],
  ['api HWM', (r) => r.memory.api.hwm, 'MB'],
  ['gateway HWM', (r) => r.memory.gateway.hwm, 'MB'],
];

function table(results: readonly RunResult[]): string[] {
  const width = 13;
  const cell = (v: number, unit: 'ms' | 'MB') => (unit === 'ms' ? fixed(v) : fixed(v / 1e6)).padStart(width);
  const lines = [
    `${'(ms, MB)'.padEnd(8)}${COLUMNS.map(([h]) => h.padStart(width)).join('')}`,
    ...results.map((r, i) => `${`run ${i + 1}`.padEnd(8)}${COLUMNS.map(([, f, u]) => cell(f(r), u)).join('')}`),
  ];
  const complete = results.filter((r) => r.complete);
  if (complete.length > 1) {
    lines.push(`${'median'.padEnd(8)}${COLUMNS.map(([, f, u]) => cell(median(complete.map(f)), u)).join('')}`);
  }
  return lines;
}

export const large: BenchTopic = {
  description:
    'one 100,000-indicator alert (text/plain): 202 → whole alert at a subscriber, phases, worker peak memory',
  async run(opts) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    environmentLines().forEach(out);
    out(TARGET);
    const { text: body, values } = botnetList(N);
    const bodyBytes = Buffer.byteLength(body);
    out(
      `n:       1 alert of ${N} distinct IPv4 addresses per run, ${opts.runs} run(s) on one topology; ` +
        `POST /api/v1/alerts${QUERY}, text/plain, ${bodyBytes} bytes; trust-3 submitter, trust-3 reader ` +
        `subscribed on the gateway (--n, --concurrency and --warmup do not apply)`,
    );
    const topology = await startBenchTopology();
    let socket: Socket | null = null;
    try {
      const p = topology.processes;
      out(
        `processes: api pid ${p.api.pid}, worker pid ${p.worker.pid}, gateway pid ${p.gateway.pid}: ` +
          `node dist/apps/<role>/src/main.js, each on its own loopback port`,
      );
      out(
        `settings: ${Object.entries(topology.settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}; the rest default`,
      );
      const startHwm = memoryOf(p.worker.pid).hwm; // before the first reset: the start-up peak
      const resettable = ROLES.every((role) => resetPeak(p[role].pid));
      out(
        `method:  GET /api/v1/alerts/:id as the submitter every ${POLL_EVERY_MS} ms (a status time is when the first ` +
          `answer showing it arrived); VmRSS sampled every ${SAMPLE_EVERY_MS} ms; VmHWM read after delivery, ` +
          (resettable
            ? 'reset before each run (clear_refs), so it is the peak during that run'
            : 'NOT resettable here (clear_refs refused), so it is the peak since the process started') +
          `; one 3-indicator warm-up alert first; ${SETTLE_MS / 1000} s quiet before each run`,
      );

      const submitter = await seedOrg(topology.api, 'Bench submitting CERT', 3, ['operator']);
      const receiver = await seedOrg(topology.api, 'Bench receiving CERT', 3, ['reader']);
      socket = io(`${topology.gatewayUrl}/alerts`, {
        auth: { token: receiver.keys.reader },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const subscriber = new Subscriber(socket);
      await subscriber.connected();
      const ctx: Context = { topology, subscriber, operatorKey: submitter.keys.operator!, body, values };
      await warmUp(ctx);

      const results: RunResult[] = [];
      let failed = false;
      for (let i = 1; i <= opts.runs; i++) {
        await sleep(SETTLE_MS);
        const r = await measure(ctx, `run ${i}`);
        results.push(r);
        details(`run ${i}`, r, bodyBytes).forEach(out);
        r.problems.forEach((msg) => out(`  PROBLEM ${msg}`));
        if (r.problems.length > 0) {
          failed = true;
        }
        if (!r.complete) {
          for (const role of ['worker', 'gateway'] as const) {
            const tail = p[role].output().trimEnd().split('\n').slice(-10).join('\n    ');
            out(`  ${role} output (last lines):\n    ${tail || '(none)'}`);
          }
          break; // the topology is suspect: no further runs
        }
      }

      out('');
      table(results).forEach(out);
      out(
        '(HWM: VmHWM read after delivery, the peak during the run; smp.: highest VmRSS sampled every 50 ms; ' +
          'norm. = status normalized, publ. = status published, alert→last = `alert` event → last chunk)',
      );
      const complete = results.filter((r) => r.complete);
      const delivery = median(complete.map((r) => r.delivery));
      // Every run's memory counts, an incomplete one's too: it was measured all the same.
      const workerPeak = results.length > 0 ? Math.max(...results.map((r) => r.memory.worker.hwm)) : Number.NaN;
      // Each reset hides the earlier peaks from VmHWM: the peak since start is the highest read before a reset or after a run.
      const since = Math.max(
        startHwm,
        ...results.flatMap((r) => [r.memory.worker.hwmBefore, r.memory.worker.hwm]),
        memoryOf(p.worker.pid).hwm,
      );
      out(
        `target 202→delivery under ${TARGET_DELIVERY_MS / 1000} s: median ${ms(delivery)} ` +
          `(${results.map((r) => fixed(r.delivery)).join(', ')} ms): ` +
          `${verdict(delivery, TARGET_DELIVERY_MS)}`,
      );
      out(
        `target worker peak under ${TARGET_WORKER_PEAK_BYTES / 1e6} MB: highest run VmHWM ${mb(workerPeak)}: ` +
          `${verdict(workerPeak, TARGET_WORKER_PEAK_BYTES)}` +
          ` (worker VmHWM since its start, start-up, warm-up and every run included: ${mb(since)})`,
      );
      out(`peak RSS: ${peakRss()} (the bench process: client and subscriber; the hub's processes are above)`);
      if (failed) {
        process.exitCode = 1;
      }
    } finally {
      socket?.close();
      await topology.close();
    }
  },
};
