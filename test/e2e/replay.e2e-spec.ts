import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import {
  connectAlerts,
  startTestHub,
  submitAlerts,
  waitConnected,
  type AlertClient,
  type TestHub,
} from '../harness/hub';

let hub: TestHub;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

function open(token: string, lastSeq?: number): AlertClient {
  const c = connectAlerts(hub.url, token, lastSeq);
  clients.push(c);
  return c;
}

describe('replay by lastSeq', () => {
  let source: SeededOrg;
  let viewer: SeededOrg;
  let stranger: SeededOrg;

  beforeAll(async () => {
    source = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
    viewer = await seedOrg(hub, { trustLevel: 2, country: 'SE' });
    stranger = await seedOrg(hub, { trustLevel: 3, country: 'NO' });
  });

  it('gives a reconnecting client exactly the 200 missed alerts it may see, in seq order, then live ones', async () => {
    const first = open(viewer.keys.reader);
    await waitConnected(first);
    const before = await submitAlerts(hub, [
      { key: source.keys.operator, body: buildAlert({ title: 'before disconnect' }) },
    ]);
    const seen = await eventually(() => {
      const e = first.events.find((x) => x.alert.id === before[0]);
      if (!e) {
        throw new Error('not yet');
      }
      return e;
    });
    const lastSeq = seen.seq;
    first.close();

    // 200 alerts while the viewer is away: GREEN and AMBER it may see, RED to someone else it may not.
    const tlps = ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED', 'CLEAR'];
    const missed = Array.from({ length: 200 }, (_, i) => {
      const tlp = tlps[i % tlps.length]!;
      return {
        key: source.keys.operator,
        body: buildAlert({
          title: `missed ${i}`,
          tlp,
          ...(tlp === 'RED' ? { recipients: [stranger.id] } : {}),
          indicators: [{ type: 'ipv4', value: `198.51.100.${i % 250}` }],
        }),
      };
    });
    const ids = await submitAlerts(hub, missed);
    const visible = new Set(ids.filter((_, i) => missed[i]!.body.tlp !== 'RED'));
    const invisible = new Set(ids.filter((_, i) => missed[i]!.body.tlp === 'RED'));
    expect(visible.size).toBe(160);

    // Wait until all 200 are published (the stranger sees the RED ones, a trust-3 watcher the rest).
    await eventually(async () => {
      const statuses = await Promise.all(ids.map((id) => hub.http('GET', `/api/v1/alerts/${id}`, source.keys.reader)));
      expect(statuses.every((s) => s.body.status === 'published')).toBe(true);
    }, 60_000);

    const back = open(viewer.keys.reader, lastSeq);
    await waitConnected(back);
    await eventually(() => expect(back.events.length).toBeGreaterThanOrEqual(160), 30_000);
    const replayed = back.events.slice(0, 160);
    expect(new Set(replayed.map((e) => e.alert.id))).toEqual(visible);
    expect(replayed.some((e) => invisible.has(e.alert.id))).toBe(false);
    const seqs = replayed.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBeGreaterThan(lastSeq);

    // Then live, with no gap: a new alert arrives after the replayed ones, with a larger seq.
    const [live] = await submitAlerts(hub, [
      { key: source.keys.operator, body: buildAlert({ title: 'live after replay' }) },
    ]);
    await eventually(() => expect(back.events.map((e) => e.alert.id)).toContain(live));
    const all = back.events.map((e) => e.seq);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(new Set(all).size).toBe(all.length);
    expect(back.events.length).toBe(161);
  });

  it('replays across a hub restart, from PostgreSQL', async () => {
    const restartDb = hub.db;
    const c = open(viewer.keys.reader);
    await waitConnected(c);
    const [id] = await submitAlerts(hub, [
      { key: source.keys.operator, body: buildAlert({ title: 'before restart' }) },
    ]);
    const e = await eventually(() => {
      const x = c.events.find((y) => y.alert.id === id);
      if (!x) {
        throw new Error('not yet');
      }
      return x;
    });
    c.close();
    // A second hub process on the same database and Redis prefix stands in for a restarted one.
    const { startTestHub: start } = await import('../harness/hub');
    const second = await start({ db: restartDb, prefix: hub.prefix, adminKey: hub.adminKey });
    try {
      const replay = connectAlerts(second.url, viewer.keys.reader, e.seq - 1);
      clients.push(replay);
      await waitConnected(replay);
      await eventually(() => expect(replay.events.map((x) => x.seq)).toContain(e.seq));
      expect(replay.events[0]!.alert.id).toBe(id);
    } finally {
      await second.close();
    }
  });

  it('sends a client connecting without lastSeq only live alerts', async () => {
    const c = open(viewer.keys.reader);
    await waitConnected(c);
    const [id] = await submitAlerts(hub, [{ key: source.keys.operator, body: buildAlert({ title: 'live only' }) }]);
    await eventually(() => expect(c.events.map((x) => x.alert.id)).toEqual([id]));
  });
});
