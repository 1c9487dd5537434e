import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { seedOrg, startBenchHub, type BenchHub } from './harness';
import { AlertListener, EVENTS_TIMEOUT_MS, line, measure, post, submitAll, type RunResult } from './latency.bench';
import { environmentLines, median, ms, peakRss } from './report';
import type { BenchOptions, BenchTopic } from './run';

const TARGET =
  "target: the quiet org's p50 202→event latency under a rate-limited flood close to its latency without one";

/** A flooding org: `concurrency` requests in flight, as fast as answers come, until stopped; counts answers. */
function flood(hub: BenchHub, key: string, concurrency: number) {
  let stopped = false;
  const counts = { accepted: 0, limited: 0, other: 0, acceptedBeforeLimit: 0 };
  const ids: string[] = [];
  let firstLimited: () => void = () => undefined;
  const limited = new Promise<void>((resolve) => (firstLimited = resolve));
  let i = 0;
  const worker = async () => {
    while (!stopped) {
      const res = await post(hub, key, 'flood', i++);
      const text = await res.text();
      if (res.status === 202) {
        counts.accepted += 1;
        ids.push((JSON.parse(text) as { id: string }).id);
      } else if (res.status === 429) {
        if (counts.limited === 0) {
          counts.acceptedBeforeLimit = counts.accepted;
        }
        counts.limited += 1;
        firstLimited();
      } else {
        counts.other += 1;
      }
    }
  };
  const start = performance.now();
  const running = Promise.all(Array.from({ length: concurrency }, worker));
  return {
    counts,
    ids,
    limited,
    async stop() {
      stopped = true;
      await running;
      return (performance.now() - start) / 1000;
    },
  };
}

export const floodTopic: BenchTopic = {
  description: "another org's 202 → socket.io latency with and without a rate-limited flood from one org",
  async run(opts: BenchOptions) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    // The quiet org's own submissions (warm-up, then n per run, with and without the flood) stay under the limit;
    // the flooder, at the same concurrency without pause, passes it and is refused (429) from then on.
    const limit = opts.warmup + 2 * opts.n * opts.runs + 100;
    environmentLines().forEach(out);
    out(TARGET);
    out(
      `n:       ${opts.n} quiet alerts per run, concurrency ${opts.concurrency}, ${opts.runs} run(s) each way, ` +
        `${opts.warmup} warm-up; flooder at concurrency ${opts.concurrency}; ` +
        `TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE=${limit}; hub and clients in this process, loopback`,
    );
    const hub = await startBenchHub({ TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: String(limit) });
    let socket: Socket | null = null;
    try {
      const quiet = await seedOrg(hub, 'Bench quiet CERT', 3, ['operator']);
      const flooder = await seedOrg(hub, 'Bench flooding CERT', 3, ['operator']);
      const receiver = await seedOrg(hub, 'Bench receiving CERT', 3, ['reader']);
      socket = io(`${hub.url}/alerts`, {
        auth: { token: receiver.keys.reader },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const listener = new AlertListener(socket);
      await listener.connected();
      const key = quiet.keys.operator!;
      if (opts.warmup > 0) {
        const warm = await submitAll(hub, key, 'warm-up', opts.warmup, opts.concurrency);
        await listener.waitFor(warm.accepted.keys(), EVENTS_TIMEOUT_MS);
      }

      const without: RunResult[] = [];
      for (let r = 1; r <= opts.runs; r++) {
        without.push(await measure(hub, key, listener, `calm-${r}`, opts));
        out(line(`calm ${r}`, without[without.length - 1]!));
      }

      // The flood starts; once it is refused, its accepted alerts are let through before measuring, so what
      // follows is the quiet org under a flood that the limit holds back.
      const f = flood(hub, flooder.keys.operator!, opts.concurrency);
      await f.limited;
      const backlog = await listener.waitFor([...f.ids], EVENTS_TIMEOUT_MS);
      out(
        `flood:   ${f.counts.acceptedBeforeLimit} accepted before the first 429; ${backlog} of its accepted not delivered`,
      );
      const during: RunResult[] = [];
      for (let r = 1; r <= opts.runs; r++) {
        during.push(await measure(hub, key, listener, `flood-${r}`, opts));
        out(line(`flood ${r}`, during[during.length - 1]!));
      }
      const seconds = await f.stop();
      const total = f.counts.accepted + f.counts.limited + f.counts.other;
      out(
        `flooder: ${total} requests in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s): ` +
          `${f.counts.accepted} accepted, ${f.counts.limited} refused 429, ${f.counts.other} other`,
      );
      const med = (rs: RunResult[], pick: (r: RunResult) => number) => ms(median(rs.map(pick)));
      out(
        `median  quiet org p50 without flood ${med(without, (r) => r.p50)}, during flood ${med(during, (r) => r.p50)}; ` +
          `p99 ${med(without, (r) => r.p99)} vs ${med(during, (r) => r.p99)}`,
      );
      out(`peak RSS: ${peakRss()} (whole process: hub + bench clients)`);
      if ([...without, ...during].some((r) => r.missing > 0) || f.counts.other > 0) {
        process.exitCode = 1;
      }
    } finally {
      socket?.close();
      await hub.close();
    }
  },
};
