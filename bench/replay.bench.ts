import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { seedOrg, startBenchTopology } from './harness';
import { mb, memoryOf, resetPeak, RssSampler } from './procfs';
import { environmentLines, median, ms, peakRss } from './report';
import type { BenchTopic } from './run';
import { cpuMsOf } from './socket-clients';

const BEHIND = 100_000;
const TARGET_RATE = 20_000;
const TARGET = `target:  replay faster than ${TARGET_RATE} alerts/s (printed, not asserted)`;
const RUN_TIMEOUT_MS = 120_000;
const SETTLE_MS = 1_000;
const SAMPLE_EVERY_MS = 50;

const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

interface AlertEvent {
  readonly seq: number;
  readonly alert: { readonly id: string };
}

/**
 * Connects with `auth.lastSeq` and counts `alert` events until one with seq `until` arrives (or the bound);
 * times on this process's performance.now().
 */
function replayOnce(
  gatewayUrl: string,
  token: string,
  lastSeq: number,
  until: number,
): Promise<{ tStart: number; tConnect: number; tFirst: number; tLast: number; events: number; outOfOrder: number }> {
  return new Promise((resolve, reject) => {
    const tStart = performance.now();
    let tConnect = Number.NaN;
    let tFirst = Number.NaN;
    let events = 0;
    let outOfOrder = 0;
    let prev = lastSeq;
    const socket: Socket = io(`${gatewayUrl}/alerts`, {
      auth: { token, lastSeq },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    let done = false;
    const finish = (err: Error | null, tLast = Number.NaN) => {
      if (done) {
        return; // close() below fires 'disconnect' again
      }
      done = true;
      clearTimeout(timer);
      socket.close();
      if (err) {
        reject(err);
      } else {
        resolve({ tStart, tConnect, tFirst, tLast, events, outOfOrder });
      }
    };
    const timer = setTimeout(
      () => finish(new Error(`replay not done within ${RUN_TIMEOUT_MS / 1000} s (${events} events)`)),
      RUN_TIMEOUT_MS,
    );
    socket.once('connect', () => (tConnect = performance.now()));
    socket.once('connect_error', (e: Error) => finish(new Error(`connect_error: ${e.message}`)));
    socket.on('disconnect', (reason: string) => finish(new Error(`disconnected: ${reason} (${events} events)`)));
    socket.on('alert', (e: AlertEvent) => {
      const t = performance.now();
      if (events === 0) {
        tFirst = t;
      }
      events += 1;
      if (e.seq <= prev) {
        outOfOrder += 1;
      }
      prev = e.seq;
      if (e.seq >= until) {
        finish(null, t);
      }
    });
  });
}

interface Run {
  readonly events: number;
  readonly outOfOrder: number;
  readonly rate: number;
  readonly toLive: number;
  readonly connect: number;
  readonly connectToFirst: number;
  readonly gatewayHwm: number;
  readonly gatewaySampled: number;
  readonly gatewayBefore: number;
  readonly gatewayCpuMs: number;
  readonly clientCpuMs: number;
}

export const replay: BenchTopic = {
  description: `a socket ${BEHIND.toLocaleString('en')} alerts behind: replay speed, time to live, gateway peak memory`,
  async run(opts) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    environmentLines().forEach(out);
    out(TARGET);
    out(
      `n:       ${BEHIND} TLP:GREEN alert entries in the publish log (seeded by SQL: copies of one real published ` +
        `alert's entry, each its own seq and payload id), replayed to one trust-3 reader socket connecting with ` +
        `lastSeq = head − ${BEHIND}; ${opts.runs} run(s) on the same log (--n, --concurrency and --warmup do not apply)`,
    );
    const topology = await startBenchTopology({
      TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
      TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0',
    });
    const db = new Client({ connectionString: topology.databaseUrl });
    await db.connect();
    try {
      const p = topology.processes;
      out(
        `processes: api pid ${p.api.pid}, worker pid ${p.worker.pid}, gateway pid ${p.gateway.pid}: ` +
          `node dist/apps/<role>/src/main.js`,
      );
      out(
        `settings: ${Object.entries(topology.settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}; the rest default (TOCSIN_REPLAY_BATCH 500)`,
      );
      out(
        'method:  times are performance.now() in the bench process, which holds the one socket: from io() to the ' +
          '`alert` event of the head seq (the gateway switches the socket to live right after it: "time to live"); ' +
          `alerts/s = ${BEHIND} ÷ (connect → last event); gateway VmHWM reset before each run (clear_refs), VmRSS ` +
          `sampled every ${SAMPLE_EVERY_MS} ms`,
      );
      const submitter = await seedOrg(topology.api, 'Bench replay submitter', 3, ['operator']);
      const reader = await seedOrg(topology.api, 'Bench replay reader', 3, ['reader']);
      const token = reader.keys.reader!;

      // One real alert through the whole path, so its log entry has the shape the hub writes.
      const res = await fetch(`${topology.api.url}/api/v1/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${submitter.keys.operator}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'Bench replay alert',
          severity: 'medium',
          tlp: 'GREEN',
          indicators: [{ type: 'ipv4', value: '203.0.113.7' }],
        }),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status !== 202) {
        throw new Error(`submit: HTTP ${res.status} ${await res.text()}`);
      }
      const probe = await replayOnce(topology.gatewayUrl, token, 0, 1);
      if (probe.events < 1) {
        throw new Error('the seed alert was not delivered');
      }

      const tSeed = performance.now();
      await db.query(
        `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload, published_at)
         SELECT p.seq + g, p.event, p.alert_id, p.tlp, p.source_org_id, p.recipients,
                jsonb_set(p.payload, '{id}', to_jsonb(gen_random_uuid()::text)), now()
         FROM publish_log p, generate_series(1, $1::int) g WHERE p.seq = 1`,
        [BEHIND],
      );
      const head = Number((await db.query<{ max: string }>('SELECT MAX(seq) AS max FROM publish_log')).rows[0]!.max);
      out(`seeded: ${BEHIND} entries in ${ms(performance.now() - tSeed)}; head seq ${head}`);
      // The gateway replays up to what its tail has processed: wait until it has read the seeded entries.
      const tCatch = performance.now();
      await replayOnce(topology.gatewayUrl, token, head - 1, head);
      out(`gateway tail caught up with the seeded log in ${ms(performance.now() - tCatch)} (no socket attached)`);

      const runs: Run[] = [];
      for (let i = 1; i <= opts.runs; i++) {
        await sleep(SETTLE_MS);
        const load = loadavg()[0]!;
        const gw = p.gateway.pid;
        const before = memoryOf(gw).rss;
        resetPeak(gw);
        const sampler = new RssSampler([gw], SAMPLE_EVERY_MS);
        const cpu0 = cpuMsOf(gw);
        const client0 = process.cpuUsage();
        const r = await Promise.race([replayOnce(topology.gatewayUrl, token, head - BEHIND, head), topology.failure]);
        sampler.stop();
        const clientCpu = process.cpuUsage(client0);
        const run: Run = {
          events: r.events,
          outOfOrder: r.outOfOrder,
          rate: BEHIND / ((r.tLast - r.tConnect) / 1000),
          toLive: r.tLast - r.tStart,
          connect: r.tConnect - r.tStart,
          connectToFirst: r.tFirst - r.tConnect,
          gatewayHwm: memoryOf(gw).hwm,
          gatewaySampled: sampler.peak.get(gw) ?? Number.NaN,
          gatewayBefore: before,
          gatewayCpuMs: cpuMsOf(gw) - cpu0,
          clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
        };
        runs.push(run);
        out(
          `run ${i}: ${run.events} events${run.outOfOrder > 0 ? ` (${run.outOfOrder} OUT OF ORDER)` : ''}; ` +
            `${run.rate.toFixed(0)} alerts/s; time to live ${ms(run.toLive)} (handshake ${ms(run.connect)}, ` +
            `connect→first event ${ms(run.connectToFirst)}); gateway VmHWM ${mb(run.gatewayHwm)} (sampled ` +
            `${mb(run.gatewaySampled)}, ${mb(run.gatewayBefore)} before), gateway CPU ${ms(run.gatewayCpuMs)}, ` +
            `bench client CPU ${ms(run.clientCpuMs)}; load average before ${load.toFixed(2)}`,
        );
        if (run.events !== BEHIND || run.outOfOrder > 0) {
          out(`  PROBLEM run ${i}: ${run.events} events, ${BEHIND} expected, ${run.outOfOrder} out of order`);
          process.exitCode = 1;
        }
      }
      const med = (f: (r: Run) => number) => median(runs.map(f));
      const rate = med((r) => r.rate);
      out('');
      out(
        `median of ${runs.length} runs: ${rate.toFixed(0)} alerts/s, time to live ${ms(med((r) => r.toLive))}, ` +
          `gateway VmHWM ${mb(med((r) => r.gatewayHwm))} (highest ${mb(Math.max(...runs.map((r) => r.gatewayHwm)))}), ` +
          `gateway CPU ${ms(med((r) => r.gatewayCpuMs))}, bench client CPU ${ms(med((r) => r.clientCpuMs))}`,
      );
      out(
        `target over ${TARGET_RATE} alerts/s: median ${rate.toFixed(0)} ` +
          `(${runs.map((r) => r.rate.toFixed(0)).join(', ')}): ${rate > TARGET_RATE ? 'met' : 'MISSED'}`,
      );
      out(`peak RSS: ${peakRss()} (the bench process: the replayed socket; the gateway is above)`);
    } finally {
      await db.end();
      await topology.close();
    }
  },
};
