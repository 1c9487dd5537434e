import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { makeCliHome, runCli, spawnCli, type CliHome, type CliProcess } from '../harness/cli';
import { eventually } from '../harness/eventually';
import { startTestHub, submitAlerts, type TestHub } from '../harness/hub';

/**
 * `tocsin watch` as a child process of the built CLI: stopped (SIGTERM) or killed (SIGKILL), alerts submitted
 * meanwhile, started again: it prints exactly the alerts it missed, once each, in seq order.
 */
let hub: TestHub;
const homes: CliHome[] = [];
const running: CliProcess[] = [];

beforeAll(async () => {
  hub = await startTestHub();
}, 90_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.kill('SIGKILL')));
  await Promise.all(homes.map((h) => h.remove()));
  await hub?.close();
});

async function newHome(): Promise<CliHome> {
  const h = await makeCliHome();
  homes.push(h);
  return h;
}

interface Line {
  event: string;
  seq: number;
  alert?: { id: string; title: string };
}

function events(p: CliProcess): Line[] {
  return p.lines().map((l) => JSON.parse(l) as Line);
}

/** Starts `tocsin watch ...args` and resolves once it says it is connected (on stderr). */
async function watch(env: Record<string, string>, args: string[] = []): Promise<CliProcess> {
  const p = spawnCli(['watch', '--json', ...args], env);
  running.push(p);
  await eventually(() => expect(p.stderr()).toContain('watching '), 30_000);
  return p;
}

/** Submits alerts and answers their ids and seqs once each is published, in seq order. */
async function publish(source: SeededOrg, titles: string[]): Promise<{ id: string; seq: number }[]> {
  const ids: string[] = [];
  for (const title of titles) {
    // One at a time: seq order is then submission order.
    const [id] = await submitAlerts(hub, [{ key: source.keys.operator, body: buildAlert({ title, tlp: 'GREEN' }) }]);
    ids.push(id!);
    await eventually(async () => {
      expect((await hub.http('GET', `/api/v1/alerts/${id}`, source.keys.operator)).body.status).toBe('published');
    });
  }
  const out: { id: string; seq: number }[] = [];
  for (const id of ids) {
    out.push({ id, seq: (await hub.http('GET', `/api/v1/alerts/${id}`, source.keys.operator)).body.seq as number });
  }
  return out;
}

async function cursorOf(home: CliHome): Promise<number | undefined> {
  const dir = join(home.env.XDG_STATE_HOME!, 'tocsin', 'cursors');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
  if (files.length === 0) {
    return undefined;
  }
  expect(files).toHaveLength(1);
  return (JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as { lastSeq: number }).lastSeq;
}

describe('tocsin watch', () => {
  let source: SeededOrg;
  let receiver: SeededOrg;

  beforeAll(async () => {
    source = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
    receiver = await seedOrg(hub, { trustLevel: 3, country: 'SE' });
  });

  it('prints exactly the missed alerts once, in order, after a SIGTERM and after a SIGKILL', async () => {
    const home = await newHome();
    const env = { ...home.env, TOCSIN_URL: hub.url, TOCSIN_KEY: receiver.keys.reader };

    // 1. The first watch starts from now and prints each alert as one JSON line.
    const first = await watch(env);
    const a = await publish(source, ['a1', 'a2', 'a3']);
    await eventually(() => expect(events(first).filter((e) => e.event === 'alert')).toHaveLength(3));
    expect(events(first).map((e) => e.seq)).toEqual(a.map((x) => x.seq));
    expect(events(first).map((e) => e.alert?.id)).toEqual(a.map((x) => x.id));

    // 2. SIGTERM: it stops cleanly (exit 0), its cursor saved at the last seq printed.
    const stopped = await first.kill('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain(`stopped after seq ${a[2]!.seq}`);
    expect(await cursorOf(home)).toBe(a[2]!.seq);

    // 3. Alerts published while nobody watches; the next watch prints exactly those, in order, then live ones.
    const b = await publish(source, ['b1', 'b2', 'b3']);
    const second = await watch(env);
    expect(second.stderr()).toContain(`after seq ${a[2]!.seq}`);
    await eventually(() => expect(events(second)).toHaveLength(3));
    const live = await publish(source, ['b4']);
    await eventually(() => expect(events(second)).toHaveLength(4));
    expect(events(second).map((e) => e.seq)).toEqual([...b, ...live].map((x) => x.seq));
    expect(events(second).map((e) => e.alert?.title)).toEqual(['b1', 'b2', 'b3', 'b4']);

    // 4. SIGKILL: the cursor is saved after each event is printed, so once the file holds the last seq printed a
    //    kill -9 loses nothing and repeats nothing.
    await eventually(async () => expect(await cursorOf(home)).toBe(live[0]!.seq));
    const killed = await second.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const c = await publish(source, ['c1', 'c2']);
    const third = await watch(env);
    const sentinel = await publish(source, ['c3']);
    await eventually(() => expect(events(third)).toHaveLength(3));
    expect(events(third).map((e) => e.seq)).toEqual([...c, ...sentinel].map((x) => x.seq));
    expect(events(third).map((e) => e.alert?.title)).toEqual(['c1', 'c2', 'c3']);
    expect((await third.kill('SIGINT')).code).toBe(0);
  }, 120_000);

  it('replays everything visible with --from-start, and prints human lines by default', async () => {
    const home = await newHome();
    const env = { ...home.env, TOCSIN_URL: hub.url, TOCSIN_KEY: receiver.keys.reader };
    const [x] = await publish(source, ['Human readable']);
    const p = spawnCli(['watch', '--from-start'], env);
    running.push(p);
    await eventually(() => expect(p.stdout()).toContain('Human readable'), 30_000);
    const line = p.lines().find((l) => l.includes('Human readable'))!;
    expect(line).toContain(`#${x!.seq} `);
    expect(line).toContain('HIGH TLP:GREEN Human readable · FI trusted');
    expect(line).toContain('2 indicators');
    expect(line).not.toContain('\u001b'); // not a terminal: no colour
    expect((await p.kill('SIGTERM')).code).toBe(0);
  }, 60_000);

  it('resumes from the hub-kept cursor of a subscription', async () => {
    const home = await newHome();
    const env = { ...home.env, TOCSIN_URL: hub.url, TOCSIN_KEY: receiver.keys.reader };
    const created = await runCli(['subscriptions', 'create', '--name', 'FI', '--source-country', 'FI', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const sub = (JSON.parse(created.stdout) as { id: string }).id;

    const first = await watch(env, ['--subscription', sub]);
    const a = await publish(source, ['s1', 's2']);
    await eventually(() => expect(events(first)).toHaveLength(2));
    // Acked as printed: the subscription's cursor is at the last one once the hub has stored the ack.
    await eventually(async () => {
      expect((await hub.http('GET', `/api/v1/subscriptions/${sub}`, receiver.keys.reader)).body.ackedSeq).toBe(
        a[1]!.seq,
      );
    });
    expect((await first.kill('SIGTERM')).code).toBe(0);

    const b = await publish(source, ['s3', 's4']);
    const second = await watch(env, ['--subscription', sub]);
    await eventually(() => expect(events(second)).toHaveLength(2));
    expect(events(second).map((e) => e.seq)).toEqual(b.map((x) => x.seq));
    expect(events(second).every((e) => (e as { subscriptions?: string[] }).subscriptions?.includes(sub))).toBe(true);
    expect((await second.kill('SIGTERM')).code).toBe(0);
  }, 120_000);

  it('exits 4 when the key is refused and 3 for a subscription that is not the organisation’s', async () => {
    const home = await newHome();
    const bad = await runCli(['watch'], {
      ...home.env,
      TOCSIN_URL: hub.url,
      TOCSIN_KEY: 'tcs_AAAAAAAAAAAA_' + 'y'.repeat(43),
    });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('set TOCSIN_KEY');
    const missing = await runCli(['watch', '--subscription', '0b9f4c1e-5a7d-4f0e-9d61-2f3c8a7b6e10'], {
      ...home.env,
      TOCSIN_URL: hub.url,
      TOCSIN_KEY: receiver.keys.reader,
    });
    expect(missing.code).toBe(3);
  }, 60_000);
});
