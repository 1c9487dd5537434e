import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/harness/browser';
import { seedOrg, startBenchTopology, type HttpHub } from './harness';
import { listen, post, submitAtRate } from './latency.bench';
import { mb, memoryOf } from './procfs';
import { environmentLines, median, peakRss } from './report';
import type { BenchOptions, BenchTopic } from './run';

const TARGET =
  'target:  the console feed signed in while alerts arrive at 200/s for 60 s: no main-thread task over 200 ms ' +
  '(PerformanceObserver "longtask"; printed, not asserted)';
const PASSWORD = 'bench console password 42';
/** How long the hub, then the feed, may take after the last submission to deliver and show the newest alert. */
const CATCH_UP_MS = 60_000;

interface LongTask {
  readonly start: number;
  readonly duration: number;
}

interface RunResult {
  readonly submitted: number;
  readonly submitSeconds: number;
  /** `alert` events a reader's socket (in this process) received, and at what rate from the first to the last. */
  readonly delivered: number;
  readonly deliveredRate: number;
  readonly tasks: number;
  readonly longest: number;
  readonly over200: number;
  readonly over50: number;
  /** From the last submission to the feed showing the newest alert on top (ms), or null if not within CATCH_UP_MS. */
  readonly caughtUpMs: number | null;
  readonly rows: number;
}

// Runs in the page before the console: every main-thread task of 50 ms or more, kept in window.__longTasks.
const OBSERVER = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
`;

/** A reader of `org` with a password (second factors not required in this bench's hub). */
async function reader(api: HttpHub, orgId: string, adminKey: string): Promise<string> {
  const email = `bench.reader.${Date.now()}@cert.example`;
  const invited = await api.http('POST', `/api/v1/orgs/${orgId}/users`, adminKey, { email, role: 'reader' });
  if (invited.status !== 201) {
    throw new Error(`invite: HTTP ${invited.status}`);
  }
  const accepted = await api.http('POST', `/api/v1/invites/${invited.body.inviteToken as string}`, null, {
    password: PASSWORD,
  });
  if (accepted.status !== 200) {
    throw new Error(`accept invite: HTTP ${accepted.status}`);
  }
  return email;
}

async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status').filter({ hasText: 'Feed: live' }).waitFor({ timeout: 30_000 });
}

async function oneRun(
  api: HttpHub,
  page: Page,
  keys: { operator: string; reader: string },
  label: string,
  opts: { rate: number; seconds: number },
): Promise<RunResult> {
  const listener = await listen(api.url, keys.reader);
  await page.evaluate('window.__longTasks = []');
  const n = opts.rate * opts.seconds;
  const start = performance.now();
  const ids: string[] = [];
  try {
    await submitAtRate(n, opts.rate, start, async (i) => {
      const res = await post(api, keys.operator, label, i);
      const body = (await res.json()) as { id?: string };
      if (res.status !== 202 || typeof body.id !== 'string') {
        throw new Error(`submit ${label} #${i}: HTTP ${res.status}`);
      }
      ids.push(body.id);
    });
    const submitted = performance.now();
    // Caught up: every alert reached the reader's socket, and the feed's top row is the newest published alert.
    let caughtUpMs: number | null = null;
    if ((await listener.waitFor(ids, CATCH_UP_MS)) === 0) {
      // The list is ordered by submission, and group commit may give a later-submitted alert a lower seq: the
      // highest seq among the newest 50 is the newest published.
      const newest = await api.http('GET', '/api/v1/alerts?status=published&limit=50', keys.reader);
      const seq = String(Math.max(...(newest.body.items as { seq: number }[]).map((a) => a.seq)));
      try {
        await page
          .locator('tbody tr:first-child td:first-child', { hasText: new RegExp(`^${seq}$`) })
          .waitFor({ timeout: CATCH_UP_MS });
        caughtUpMs = performance.now() - submitted;
      } catch {
        caughtUpMs = null;
        const top = await page.locator('tbody tr:first-child td:first-child').textContent();
        const status = await page.getByRole('status').first().textContent();
        process.stdout.write(
          `        (not caught up: the feed's top row is #${top ?? '-'}, the newest #${seq}; ${status ?? ''})\n`,
        );
      }
    }
    const arrivals = [...listener.arrivals.values()].sort((a, b) => a - b);
    const span = arrivals.length > 1 ? (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000 : 0;
    const tasks = await page.evaluate<LongTask[]>('window.__longTasks');
    const rows = await page.locator('tbody tr').count();
    return {
      submitted: ids.length,
      submitSeconds: (submitted - start) / 1000,
      delivered: arrivals.length,
      deliveredRate: span > 0 ? arrivals.length / span : 0,
      tasks: tasks.length,
      longest: Math.max(0, ...tasks.map((t) => t.duration)),
      over200: tasks.filter((t) => t.duration > 200).length,
      over50: tasks.filter((t) => t.duration > 50).length,
      caughtUpMs,
      rows,
    };
  } finally {
    listener.socket.close();
  }
}

/** Alerts submitted one at a time on a quiet hub before the runs. */
const SINGLES = 10;

/**
 * Submits `n` alerts one after another, each once the previous is on screen: from the moment its 202 arrived to the
 * moment the feed shows its row (Playwright's polling of the page adds a few ms).
 */
async function alone(api: HttpHub, page: Page, operatorKey: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await post(api, operatorKey, 'alone', i);
    const accepted = performance.now();
    if (res.status !== 202) {
      throw new Error(`submit alone #${i}: HTTP ${res.status}`);
    }
    await page.getByRole('link', { name: `Bench alone alert ${i}`, exact: true }).waitFor({ timeout: CATCH_UP_MS });
    times.push(performance.now() - accepted);
  }
  return times;
}

function line(name: string, r: RunResult): string {
  return (
    `${name.padEnd(7)} submitted ${r.submitted} in ${r.submitSeconds.toFixed(1)} s, ` +
    `delivered ${r.delivered} at ${r.deliveredRate.toFixed(0)}/s; long tasks ${r.tasks} ` +
    `(longest ${r.longest.toFixed(0)} ms, ${r.over200} over 200 ms); ` +
    `feed showed the newest ${r.caughtUpMs === null ? 'NOT within 60 s' : `${r.caughtUpMs.toFixed(0)} ms`} after the last submit; ` +
    `${r.rows} rows`
  );
}

export const consoleFeed: BenchTopic = {
  description: 'the web console live feed in headless Chromium while alerts arrive at a steady rate: long tasks',
  async run(opts: BenchOptions) {
    const out = (s: string) => process.stdout.write(`${s}\n`);
    const rate = opts.rate ?? 200;
    const seconds = opts.seconds;
    environmentLines().forEach(out);
    out(TARGET);
    out(
      `n:       ${rate} alerts/s for ${seconds} s per run (--rate, --seconds), ${opts.runs} run(s); hub ` +
        '(api+worker+gateway) in one process of its own, Debian Chromium headless signed in on /console/ as a reader, ' +
        'a reader socket in this process counting deliveries; loopback',
    );
    const topology = await startBenchTopology(
      {
        TOCSIN_DB_POOL_SIZE: '10',
        TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
        TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0',
        TOCSIN_TOTP_REQUIRED_ROLES: 'none',
      },
      { oneProcess: true },
    );
    const browser = await launchChromium();
    try {
      const api = topology.api;
      const submitter = await seedOrg(api, 'Bench submitting CERT', 3, ['operator']);
      const receiver = await seedOrg(api, 'Bench receiving CERT', 3, ['admin', 'reader']);
      const email = await reader(api, receiver.id, receiver.keys.admin!);
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.addInitScript(OBSERVER);
      await Promise.race([signIn(page, api.url, email), topology.failure]);
      const keys = { operator: submitter.keys.operator!, reader: receiver.keys.reader! };
      const single = await Promise.race([alone(api, page, keys.operator, SINGLES), topology.failure]);
      out(
        `alone   ${SINGLES} alerts one at a time, 202 → row in the feed (ms): ` +
          `${single.map((t) => t.toFixed(0)).join(', ')}; median ${median(single).toFixed(0)}, ` +
          `max ${Math.max(...single).toFixed(0)} (the issue: within 2 s)`,
      );
      const results: RunResult[] = [];
      for (let r = 0; r < opts.runs; r++) {
        const result = await Promise.race([oneRun(api, page, keys, `feed${r}`, { rate, seconds }), topology.failure]);
        results.push(result);
        out(line(`run ${r + 1}`, result));
      }
      const med = (f: (r: RunResult) => number) => median(results.map(f));
      out(
        `median  longest task ${med((r) => r.longest).toFixed(0)} ms, tasks over 200 ms ${med((r) => r.over200)}, ` +
          `over 50 ms ${med((r) => r.over50)}, delivered ${med((r) => r.deliveredRate).toFixed(0)}/s of ${rate}/s asked`,
      );
      out(`peak RSS: hub ${mb(memoryOf(topology.processes.api.pid).hwm)}, bench client ${peakRss()}`);
    } finally {
      await browser.close();
      await topology.close();
    }
  },
};
