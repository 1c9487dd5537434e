import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectFormat,
  FileCursorStore,
  TocsinClient,
  TocsinConnectionError,
  TocsinProblem,
  type AlertView,
  type Watcher,
  type WatchEvents,
} from '@tocsin/client';
import { SocketBroadcaster } from '@tocsin/platform';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';

/** The typed client (@tocsin/client) against a real in-process hub: every route family, formats, and watch(). */
let hub: TestHub;
let source: SeededOrg;
let member: SeededOrg;
const watchers: Watcher[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'tocsin-client-e2e-'));

beforeAll(async () => {
  hub = await startTestHub({ env: { TOCSIN_GATEWAY_POLL_MS: '200' } });
  source = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
  member = await seedOrg(hub, { trustLevel: 3, country: 'SE' });
});

afterAll(async () => {
  await Promise.all(watchers.map((w) => w.close()));
  await hub?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const as = (key: string): TocsinClient => new TocsinClient({ url: hub.url, key, timeoutMs: 20_000 });
const word = (): string => `w${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** A watcher whose 'alert' events are recorded, with every other event by name. */
function record(w: Watcher): { alerts: { seq: number; id: string; title: string }[]; log: string[] } {
  const out = { alerts: [] as { seq: number; id: string; title: string }[], log: [] as string[] };
  w.on('alert', (e) => {
    out.alerts.push({ seq: e.seq, id: String(e.alert.id), title: String(e.alert.title) });
  });
  for (const name of ['connected', 'disconnected', 'reconnecting', 'error', 'lagging'] as const) {
    w.on(name, (p: WatchEvents[typeof name]) => {
      out.log.push(`${name} ${p instanceof Error ? p.message : JSON.stringify(p)}`);
    });
  }
  watchers.push(w);
  return out;
}

async function submitNative(client: TocsinClient, title: string, tlp = 'GREEN'): Promise<string> {
  const r = await client.alerts.submit({ content: JSON.stringify(buildAlert({ title, tlp })), fileName: 'a.json' });
  if ('alerts' in r) {
    throw new Error('one native alert gives one answer');
  }
  return r.id;
}

function connectedOnce(w: Watcher): Promise<void> {
  return new Promise((ok) => {
    const fn = (): void => {
      w.off('connected', fn);
      ok();
    };
    w.on('connected', fn);
  });
}

const FIXTURES = resolve(__dirname, '../fixtures');
const SAMPLES = ['stix', 'misp', 'csv', 'intelmq'].flatMap((format) =>
  readdirSync(join(FIXTURES, format))
    .filter((f) => f !== 'SOURCE.md' && statSync(join(FIXTURES, format, f)).isFile())
    .sort()
    .map((f) => ({ format, file: `${format}/${f}` })),
);

describe('TocsinClient.alerts.submit', () => {
  it.each(SAMPLES)('detects $file as $format, submits it and waits for the outcome', async ({ format, file }) => {
    const content = readFileSync(join(FIXTURES, file));
    const fileName = file.split('/')[1]!;
    expect(detectFormat(content, fileName).format).toBe(format);
    const client = as(source.keys.operator);
    const answer = await client.alerts.submit({ content, fileName }, { title: `sample ${fileName}`, tlp: 'GREEN' });
    const ids = 'alerts' in answer ? answer.alerts.map((a) => a.id) : [answer.id];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const alert = await client.alerts.waitForOutcome(id, { timeoutMs: 30_000, intervalMs: 100 });
      expect(alert.status).toBe('published');
      expect(alert.sourceFormat).toBe(format);
    }
  });

  it('submits native JSON from text with no file name, reports real upload progress and honours Idempotency-Key', async () => {
    const client = as(source.keys.operator);
    const indicators = Array.from({ length: 3000 }, (_, i) => ({
      type: 'ipv4',
      value: `198.51.${100 + Math.floor(i / 250)}.${i % 250}`,
    }));
    const content = JSON.stringify(buildAlert({ title: 'progress', indicators }));
    const progress: [number, number][] = [];
    const key = word();
    const first = await client.alerts.submit(
      { content },
      { idempotencyKey: key, onUploadProgress: (sent, total) => progress.push([sent, total]) },
    );
    const total = Buffer.byteLength(content);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[0]).toEqual([0, total]);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress.map(([s]) => s)).toEqual([...progress.map(([s]) => s)].sort((a, b) => a - b));
    const again = await client.alerts.submit({ content }, { idempotencyKey: key });
    expect(again).toEqual(first);
    const alert = await client.alerts.waitForOutcome((first as { id: string }).id, { intervalMs: 100 });
    expect(alert).toMatchObject({ status: 'published', indicatorCount: 3000 });
  });
});

describe('TocsinClient lists and searches', () => {
  it('follows nextCursor through every page of alerts, indicators, orgs, lookups and the audit trail', async () => {
    const client = as(source.keys.operator);
    const w = word();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await submitNative(client, `${w} number ${i}`));
    }
    const listed: AlertView[] = [];
    for await (const a of client.alerts.list({ q: w, limit: 2 })) {
      listed.push(a);
    }
    expect(listed.map((a) => a.id)).toEqual([...ids].reverse());
    const page = await client.alerts.page({ q: w, limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));

    const indicators = [];
    for await (const i of client.alerts.indicators(ids[0]!, { limit: 1 })) {
      indicators.push(i);
    }
    expect(indicators.map((i) => i.canonicalValue)).toEqual(['198.51.100.23', 'c2.example.net']);

    await eventually(async () => {
      const sightings = [];
      for await (const s of as(member.keys.reader).indicators.sightings('198[.]51[.]100[.]23', { limit: 2 })) {
        sightings.push(s.alertId);
      }
      expect(sightings).toEqual(expect.arrayContaining(ids));
    });
    const lookup = await as(member.keys.reader).indicators.lookup('c2.example.net', { limit: 1 });
    expect(lookup.items).toHaveLength(1);
    expect(lookup.alertCount).toBeGreaterThanOrEqual(5);

    const admin = as(hub.adminKey);
    const orgs = [];
    for await (const o of admin.orgs.list({ limit: 1 })) {
      orgs.push(o.id);
    }
    expect(orgs).toEqual(expect.arrayContaining([source.id, member.id]));
    expect(new Set(orgs).size).toBe(orgs.length);
  });
});

describe('TocsinClient routes', () => {
  it('manages orgs, keys, trust, constituency and subscriptions, and reads health and whoami', async () => {
    const admin = as(hub.adminKey);
    expect(await admin.health()).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
    expect((await admin.whoami()).org.isHub).toBe(true);
    const org = await admin.orgs.create({ name: `CERT ${word()}`, country: 'EE', trustLevel: 2 });
    expect(await admin.orgs.get(org.id)).toEqual(org);
    const key = await admin.orgs.keys.create(org.id, { role: 'admin', label: 'ops' });
    expect(key.key).toMatch(/^tcs_/);
    const own = as(key.key);
    expect((await own.whoami()).org.id).toBe(org.id);
    const reader = await own.orgs.keys.create(org.id, { role: 'reader' });
    expect((await own.orgs.keys.list(org.id)).map((k) => k.id)).toEqual([key.id, reader.id]);
    expect((await own.orgs.keys.revoke(org.id, reader.id)).revokedAt).toEqual(expect.any(String));
    expect((await admin.orgs.setTrust(org.id, 3, 'vetted in person')).trustLevel).toBe(3);
    expect((await admin.orgs.setTrust(org.id, 2, 'second thoughts')).trustLevel).toBe(2);
    const audit = [];
    for await (const e of admin.audit.list({ orgId: org.id, limit: 1 })) {
      audit.push(e);
    }
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(new Set(audit.map((e) => e.id)).size).toBe(audit.length);
    const constituency = await own.orgs.constituency.set(org.id, { countries: ['EE'], cidrs: ['203.0.113.0/24'] });
    expect(await own.orgs.constituency.get(org.id)).toEqual(constituency);
    expect(constituency).toMatchObject({ countries: ['EE'], cidrs: ['203.0.113.0/24'] });

    const sub = await own.subscriptions.create({ name: 'high', filters: { minSeverity: 'high' } });
    expect(await own.subscriptions.list()).toEqual([sub]);
    expect(await own.subscriptions.get(sub.id)).toEqual(sub);
    expect((await own.subscriptions.update(sub.id, { name: 'renamed' })).name).toBe('renamed');
    await own.subscriptions.delete(sub.id);
    expect(await own.subscriptions.list()).toEqual([]);
  });

  it('reviews, revises, revokes, reports sightings and exports alerts', async () => {
    const low = await seedOrg(hub, { trustLevel: 1, country: 'LV' });
    const held = await submitNative(as(low.keys.operator), 'held for review');
    expect((await as(low.keys.operator).alerts.waitForOutcome(held, { intervalMs: 100 })).status).toBe(
      'pending_review',
    );
    const reviewer = await seedOrg(hub, { trustLevel: 4, country: 'LT' });
    const queue = [];
    for await (const a of as(reviewer.keys.vetter).alerts.list({ status: 'pending_review' })) {
      queue.push(a.id);
    }
    expect(queue).toContain(held);
    const approved = await as(reviewer.keys.vetter).alerts.review(held, 'approve', 'checked the indicators');
    expect(approved.id).toBe(held);
    await eventually(async () => expect((await as(low.keys.operator).alerts.get(held)).status).toBe('published'));

    const op = as(source.keys.operator);
    const id = await submitNative(op, 'to revise');
    await op.alerts.waitForOutcome(id, { intervalMs: 100 });
    const revised = await op.alerts.update(id, { severity: 'critical' });
    expect(revised).toMatchObject({ severity: 'critical', revision: 2 });
    const sighting = await as(member.keys.operator).alerts.sighting(id, { type: 'sighting' });
    expect(sighting).toMatchObject({ recorded: true, sightingCount: 1 });
    const detail = await op.alerts.get(id);
    expect(detail).toMatchObject({ id, sightingCount: 1, linkedAlerts: expect.any(Array) });
    const stix = (await op.alerts.export(id, 'stix')) as { type: string };
    expect(stix.type).toBe('bundle');
    const misp = (await op.alerts.export(id, 'misp')) as { Event: unknown };
    expect(misp.Event).toEqual(expect.any(Object));
    expect((await op.alerts.revoke(id, 'false alarm')).status).toBe('revoked');
    const coordinated = [];
    for await (const c of op.coordinated.list({ status: 'active' })) {
      coordinated.push(c);
    }
    expect(Array.isArray(coordinated)).toBe(true);
  });
});

describe('TocsinProblem', () => {
  it('reads a 400 with its pointers, a 404 and a 403 as typed problems, never showing the key', async () => {
    const op = as(source.keys.operator);
    const bad = await op.subscriptions.create({ filters: { minSeverity: 'urgent' } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TocsinProblem);
    expect(bad).toMatchObject({ status: 400, code: 'invalid-body', type: 'urn:tocsin:problem:invalid-body' });
    expect((bad as TocsinProblem).errors).toEqual([expect.objectContaining({ pointer: '/filters/minSeverity' })]);
    expect((bad as TocsinProblem).instance).toEqual(expect.any(String));

    const csv = await op.alerts
      .submit({ content: 'type,value\nipv4,198.51.100.7\nipv4,not-an-ip\n', fileName: 'list.csv' }, { tlp: 'GREEN' })
      .catch((e: unknown) => e);
    expect(csv).toMatchObject({ status: 400, code: 'invalid-body' });
    expect((csv as TocsinProblem).errors).toEqual([expect.objectContaining({ pointer: '?title' })]);

    const missing = await op.alerts.get(randomUUID()).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'alert-not-found' });
    const forbidden = await as(source.keys.reader)
      .alerts.submit({ content: JSON.stringify(buildAlert()) })
      .catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ status: 403, code: 'forbidden' });
    for (const e of [bad, csv, missing, forbidden]) {
      expect(String((e as Error).message)).not.toContain(source.keys.operator);
      expect(String((e as Error).message)).not.toContain(source.keys.reader);
    }

    const nowhere = new TocsinClient({ url: 'http://127.0.0.1:9', key: source.keys.reader, timeoutMs: 5000 });
    const refused = await nowhere.alerts.get(randomUUID()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TocsinConnectionError);
    expect((refused as Error).message).not.toContain(source.keys.reader);
  });
});

describe('TocsinClient.watch', () => {
  it('resumes from a FileCursorStore: after a restart, exactly the missed alerts, once, in order', async () => {
    const op = as(source.keys.operator);
    const cursor = new FileCursorStore(join(tmp, 'nested', 'cursor.json'));
    const tag = word();
    const first = record(as(member.keys.reader).watch({ cursor }));
    await eventually(() => expect(first.log).toContain('connected {}'));
    const before = [await submitNative(op, `${tag} a`), await submitNative(op, `${tag} b`)];
    await eventually(() => expect(first.alerts.map((a) => a.id)).toEqual(before));
    await watchers.at(-1)!.close();
    const saved = await cursor.load();
    expect(saved).toBe(first.alerts.at(-1)!.seq);

    const missed: string[] = [];
    for (let i = 0; i < 3; i++) {
      missed.push(await submitNative(op, `${tag} missed ${i}`));
    }
    for (const id of missed) {
      await op.alerts.waitForOutcome(id, { intervalMs: 100 });
    }
    const second = record(as(member.keys.reader).watch({ cursor }));
    await eventually(() => expect(second.alerts.map((a) => a.id)).toEqual(missed));
    const after = await submitNative(op, `${tag} live`);
    await eventually(() => expect(second.alerts.map((a) => a.id)).toEqual([...missed, after]));
    const seqs = second.alerts.map((a) => a.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBeGreaterThan(saved!);
    expect(second.log[0]).toBe(`connected ${JSON.stringify({ lastSeq: saved })}`);
  });

  it('resumes from the server-kept cursor of a subscription through acks, across a restart of the watcher', async () => {
    const op = as(source.keys.operator);
    const reader = as(member.keys.reader);
    const tag = word();
    const sub = await reader.subscriptions.create({ name: tag, filters: { sourceCountries: ['FI'] } });
    const first = record(reader.watch({ subscriptions: [sub.id] }));
    await eventually(() => expect(first.log).toContain(`connected ${JSON.stringify({ subscriptions: [sub.id] })}`));
    const before = [await submitNative(op, `${tag} a`), await submitNative(op, `${tag} b`)];
    await eventually(() => expect(first.alerts.map((a) => a.id)).toEqual(before));
    await eventually(async () => expect((await reader.subscriptions.get(sub.id)).ackedSeq).toBe(first.alerts[1]!.seq));
    await watchers.at(-1)!.close();

    const missed = [await submitNative(op, `${tag} c`), await submitNative(op, `${tag} d`)];
    for (const id of missed) {
      await op.alerts.waitForOutcome(id, { intervalMs: 100 });
    }
    const second = record(reader.watch({ subscriptions: [sub.id] }));
    await eventually(() => expect(second.alerts.map((a) => a.id)).toEqual(missed));
    await eventually(async () => expect((await reader.subscriptions.get(sub.id)).ackedSeq).toBe(second.alerts[1]!.seq));
  });

  it('reconnects with backoff after the hub cuts its socket, losing and repeating nothing', async () => {
    const op = as(source.keys.operator);
    const tag = word();
    const seen = record(
      as(member.keys.reader).watch({ startSeq: undefined, reconnect: { initialDelayMs: 200, maxDelayMs: 1000 } }),
    );
    await eventually(() => expect(seen.log).toContain('connected {}'));
    const ids = [await submitNative(op, `${tag} 0`)];
    await eventually(() => expect(seen.alerts.map((a) => a.id)).toEqual(ids));
    hub.running.app.get(SocketBroadcaster).disconnectKey(member.keyIds.reader);
    await eventually(() => expect(seen.log.some((l) => l.startsWith('disconnected'))).toBe(true));
    ids.push(await submitNative(op, `${tag} 1`), await submitNative(op, `${tag} 2`));
    await eventually(() => expect(seen.alerts.map((a) => a.id)).toEqual(ids));
    expect(seen.log.filter((l) => l.startsWith('reconnecting'))).toEqual([
      expect.stringMatching(/^reconnecting \{"attempt":1,"delayMs":\d+,"reason":"io server disconnect"\}$/),
    ]);
    const reconnected = seen.log.filter((l) => l.startsWith('connected')).at(-1)!;
    expect(JSON.parse(reconnected.slice('connected '.length))).toEqual({ lastSeq: seen.alerts[0]!.seq - 1 });
  });

  it('stops with a fatal error when the key is revoked', async () => {
    const admin = as(hub.adminKey);
    const key = await admin.orgs.keys.create(member.id, { role: 'reader' });
    const w = as(key.key).watch();
    const seen = record(w);
    await connectedOnce(w);
    await admin.orgs.keys.revoke(member.id, key.id);
    await w.done;
    expect(seen.log.filter((l) => l.startsWith('error'))).toEqual([
      'error the hub refused the connection: unauthorized',
    ]);
  });
});
