import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';
import { freePort, startRole, type RoleProcess } from '../harness/processes';

/**
 * Server-kept cursors across a gateway killed with SIGKILL: the api and worker run in-process, each gateway is a
 * child process (the built dist/), on the same PostgreSQL and Redis prefix.
 */
let hub: TestHub;
const gateways: RoleProcess[] = [];
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({ roles: ['api', 'worker'] });
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all(gateways.map((g) => g.stop()));
  await hub?.close();
}, 60_000);

async function startGateway(): Promise<{ url: string; proc: RoleProcess }> {
  const port = await freePort();
  const proc = startRole('gateway', {
    DATABASE_URL: hub.db.url,
    REDIS_URL: hub.redisUrl,
    TOCSIN_REDIS_PREFIX: hub.prefix,
    TOCSIN_BOOTSTRAP_ADMIN_KEY: hub.adminKey,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TOCSIN_GATEWAY_POLL_MS: '200',
    TOCSIN_DB_POOL_SIZE: '3',
  });
  gateways.push(proc);
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    const r = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    expect(r.status).toBe(200);
  }, 60_000);
  return { url, proc };
}

function open(url: string, token: string, lastSeq: number | undefined, subscriptions: string[]): AlertClient {
  const c = connectAlerts(url, token, lastSeq, { subscriptions });
  clients.push(c);
  return c;
}

function ack(c: AlertClient, body: unknown): Promise<any> {
  return c.socket.timeout(10_000).emitWithAck('ack', body);
}

async function submit(key: string, n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await hub.http('POST', '/api/v1/alerts', key, buildAlert({ title: `${tag} ${i}` }));
    expect(r.status).toBe(202);
    ids.push(r.body.id);
  }
  return ids;
}

describe('server-kept cursors', () => {
  let source: SeededOrg;
  let member: SeededOrg;
  let other: SeededOrg;

  beforeAll(async () => {
    source = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
    member = await seedOrg(hub, { trustLevel: 3, country: 'SE' });
    other = await seedOrg(hub, { trustLevel: 3, country: 'NO' });
  });

  it('resumes after the last ack, with no gap, after the gateway is killed with SIGKILL and restarted', async () => {
    const s = (await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, { name: 'all' })).body.id as string;
    const t = (await hub.http('POST', '/api/v1/subscriptions', member.keys.operator, { name: 'other' })).body
      .id as string;
    const g1 = await startGateway();
    const c = open(g1.url, member.keys.reader, undefined, [s]);
    const d = open(g1.url, member.keys.reader, undefined, [t]);
    await Promise.all([c, d].map((s) => waitConnected(s)));

    const submitted = await submit(source.keys.operator, 10, 'before kill');
    await eventually(() => expect(new Set(c.events.map((e) => e.alert.id))).toEqual(new Set(submitted)), 30_000);
    // In seq (publication) order.
    const first = c.events.map((e) => e.alert.id);
    const seqs = c.events.map((e) => e.seq);
    await eventually(() => expect(d.events.map((e) => e.alert.id)).toEqual(first), 30_000);

    // Acks: answered once stored. S up to the 6th alert, T up to the 9th; a lower ack later never moves back.
    expect(await ack(c, { subscription: s, seq: seqs[5] })).toEqual({ ok: true, subscriptions: [s], seq: seqs[5] });
    expect(await ack(d, { seq: seqs[8] })).toEqual({ ok: true, subscriptions: [t], seq: seqs[8] });
    expect(await ack(d, { seq: seqs[2] })).toMatchObject({ ok: true });
    expect(await ack(c, { subscription: t, seq: seqs[5] })).toEqual({ ok: false, error: 'subscription-not-attached' });
    expect(await ack(c, { seq: -1 })).toMatchObject({ ok: false });
    expect(await ack(c, { seq: seqs[9]! + 1_000_000 })).toMatchObject({ ok: false });
    expect((await hub.http('GET', `/api/v1/subscriptions/${s}`, member.keys.reader)).body.ackedSeq).toBe(seqs[5]);
    expect((await hub.http('GET', `/api/v1/subscriptions/${t}`, member.keys.reader)).body.ackedSeq).toBe(seqs[8]);

    // Kill the gateway hard; publish more while it is down.
    g1.proc.child.kill('SIGKILL');
    await eventually(() => expect(g1.proc.child.exitCode ?? g1.proc.child.signalCode).toBe('SIGKILL'));
    const down = await submit(source.keys.operator, 5, 'while down');
    const published = await eventually(async () => {
      const views = await Promise.all(down.map((id) => hub.http('GET', `/api/v1/alerts/${id}`, source.keys.reader)));
      expect(views.every((v) => v.body.status === 'published')).toBe(true);
      return views.map((v) => ({ id: v.body.id as string, seq: v.body.seq as number }));
    }, 30_000);
    const during = published.sort((x, y) => x.seq - y.seq).map((x) => x.id);

    const g2 = await startGateway();
    // No lastSeq: S resumes after its ack (7th alert on), T after its own (10th on), both with no gap.
    const back = open(g2.url, member.keys.reader, undefined, [s]);
    const backT = open(g2.url, member.keys.reader, undefined, [t]);
    // Attached to both: from the lower of the two acks, so neither misses anything.
    const backBoth = open(g2.url, member.keys.reader, undefined, [t, s]);
    // lastSeq still wins when given.
    const explicit = open(g2.url, member.keys.reader, seqs[7], [s]);
    await Promise.all([back, backT, backBoth, explicit].map((s) => waitConnected(s)));
    await eventually(() => expect(back.events.map((e) => e.alert.id)).toEqual([...first.slice(6), ...during]), 30_000);
    await eventually(() => expect(backT.events.map((e) => e.alert.id)).toEqual([...first.slice(9), ...during]));
    await eventually(() => expect(backBoth.events.map((e) => e.alert.id)).toEqual([...first.slice(6), ...during]));
    expect(backBoth.events.every((e) => e.subscriptions?.join() === [t, s].join())).toBe(true);
    await eventually(() => expect(explicit.events.map((e) => e.alert.id)).toEqual([...first.slice(8), ...during]));

    // Then live on the new gateway, with no duplicate.
    const [after] = await submit(source.keys.operator, 1, 'after restart');
    await eventually(() => expect(back.events.map((e) => e.alert.id).at(-1)).toBe(after));
    const all = back.events.map((e) => e.seq);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort((x, y) => x - y));
  }, 180_000);

  it('keeps no server cursor for a socket attached to no subscription, and acks only the org’s own', async () => {
    const g = await startGateway();
    const whole = open(g.url, member.keys.reader, undefined, []);
    await waitConnected(whole);
    expect(await ack(whole, { seq: 0 })).toMatchObject({
      ok: false,
      error: expect.stringContaining('no-subscription'),
    });
    const theirs = (await hub.http('POST', '/api/v1/subscriptions', other.keys.reader, {})).body.id as string;
    expect(await ack(whole, { subscription: theirs, seq: 0 })).toMatchObject({ ok: false });
  }, 120_000);
});
