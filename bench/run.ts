import { parseArgs } from 'node:util';
import { wasInterrupted } from './harness';

/** Options shared by every topic; each topic reads the ones it needs. */
export interface BenchOptions {
  readonly n: number;
  readonly concurrency: number;
  readonly runs: number;
  readonly warmup: number;
  /** Alerts per second submitted on a steady schedule (open loop), when given; else `concurrency` in flight. */
  readonly rate: number | undefined;
  /** Worker processes of a multi-process topic (`throughput`). */
  readonly workers: number;
  /** `latency`: the hub in the bench process itself, sharing its event loop with the client (as before issue 12's bench). */
  readonly inProcess: boolean;
  /** `console-feed`: how long each run publishes, in seconds. */
  readonly seconds: number;
}

export interface BenchTopic {
  readonly description: string;
  run(opts: BenchOptions): Promise<void>;
}

const TOPICS: Record<string, () => Promise<BenchTopic>> = {
  latency: async () => (await import('./latency.bench')).latency,
  throughput: async () => (await import('./latency.bench')).throughput,
  large: async () => (await import('./large.bench')).large,
  correlation: async () => (await import('./correlation.bench')).correlation,
  constituency: async () => (await import('./constituency.bench')).constituency_,
  lookup: async () => (await import('./lookup.bench')).lookup,
  flood: async () => (await import('./flood.bench')).floodTopic,
  fanout: async () => (await import('./fanout.bench')).fanout,
  replay: async () => (await import('./replay.bench')).replay,
  lagging: async () => (await import('./lagging.bench')).lagging,
  taxii: async () => (await import('./taxii.bench')).taxii,
  'console-feed': async () => (await import('./console-feed.bench')).consoleFeed,
  'console-detail': async () => (await import('./console-detail.bench')).consoleDetail,
};

const USAGE = `usage: npm run bench -- [topic ...] [--n N] [--concurrency C] [--rate A] [--workers K] [--in-process] [--runs R] [--warmup W] [--seconds S]
topics: ${Object.keys(TOPICS).join(', ')} (all when none is given)`;

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) {
    return fallback;
  }
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) {
    throw new Error(`--${name} must be an integer >= ${min} (got ${raw})`);
  }
  return v;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        n: { type: 'string' },
        concurrency: { type: 'string' },
        runs: { type: 'string' },
        warmup: { type: 'string' },
        rate: { type: 'string' },
        workers: { type: 'string' },
        'in-process': { type: 'boolean' },
        seconds: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = parsed.positionals.filter((t) => !(t in TOPICS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown topic: ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  let opts: BenchOptions;
  try {
    opts = {
      n: positiveInt('n', parsed.values.n, 1000),
      concurrency: positiveInt('concurrency', parsed.values.concurrency, 16),
      runs: positiveInt('runs', parsed.values.runs, 3),
      warmup: positiveInt('warmup', parsed.values.warmup, 20, 0),
      rate: parsed.values.rate === undefined ? undefined : positiveInt('rate', parsed.values.rate, 1),
      workers: positiveInt('workers', parsed.values.workers, 2),
      inProcess: parsed.values['in-process'] === true,
      seconds: positiveInt('seconds', parsed.values.seconds, 60),
    };
    if (opts.rate !== undefined && opts.rate > 5_000) {
      throw new Error(`--rate must be at most 5000 alerts/s (got ${opts.rate})`);
    }
    if (opts.workers > 8) {
      throw new Error(`--workers must be at most 8 (got ${opts.workers})`);
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const topics = parsed.positionals.length > 0 ? parsed.positionals : Object.keys(TOPICS);
  for (const name of topics) {
    const topic = await TOPICS[name]!();
    process.stdout.write(`\n== ${name}: ${topic.description}\n`);
    await topic.run(opts);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) {
      process.exitCode = code;
    }
    // A clean bench leaves no handle open; should a library keep one, do not hang: the bench stops by itself.
    setTimeout(() => {
      process.stderr.write('bench: handles still open 5 s after the end; exiting\n');
      process.exit(process.exitCode ?? 0);
    }, 5_000).unref();
  },
  (e: unknown) => {
    if (wasInterrupted()) {
      return; // the signal handler finishes the cleanup and exits
    }
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
