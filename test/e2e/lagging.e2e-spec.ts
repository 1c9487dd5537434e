import type { Socket as NetSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * A socket whose client stops reading: its TCP socket is paused, so the kernel buffers fill and the server's
 * queue for it grows past TOCSIN_SOCKET_MAX_QUEUE (set low here). It is told `lagging`, switched to replay, and
 * catches up with no gap and no duplicate once it reads again; another socket receives everything meanwhile.
 */
let hub: TestHub;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({ env: { TOCSIN_SOCKET_MAX_QUEUE: '30', TOCSIN_REPLAY_BATCH: '50' } });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

function open(token: string, opts: { subscriptions?: string[] } = {}): AlertClient {
  const c = connectAlerts(hub.url, token, undefined, opts);
  clients.push(c);
  return c;
}

/** The client's TCP socket (socket.io-client → engine.io-client websocket transport → ws). */
function tcpOf(c: AlertClient): NetSocket {
  const transport = c.socket.io.engine.transport as unknown as { ws: { _socket: NetSocket } };
  return transport.ws._socket;
}

async function laggingCount(): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const m = /tocsin_events_emitted_total\{kind="lagging"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

describe('a socket that stops reading', () => {
  let source: SeededOrg;
  let member: SeededOrg;

  beforeAll(async () => {
    source = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
    member = await seedOrg(hub, { trustLevel: 3, country: 'SE' });
  });

  it('is told lagging and recovers by replay, with no gap and no duplicate, while another socket receives all', async () => {
    const sub = (await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, {})).body.id as string;
    const slow = open(member.keys.reader, { subscriptions: [sub] });
    const fast = open(member.keys.reader);
    await Promise.all([slow, fast].map((s) => waitConnected(s)));
    tcpOf(slow).pause();

    // Large alerts (20,000-character descriptions) until the slow socket's queue overflows: the kernel's buffers
    // take a few MB first. Submitted one batch at a time, so the fast socket is checked after each.
    const big = 'x'.repeat(20_000);
    const ids: string[] = [];
    const before = await laggingCount();
    for (let round = 0; round < 40 && (await laggingCount()) === before; round++) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, async (_, i) => {
          const r = await hub.http(
            'POST',
            '/api/v1/alerts',
            source.keys.operator,
            buildAlert({ title: `slow ${round}/${i}`, description: big }),
          );
          expect(r.status).toBe(202);
          return r.body.id as string;
        }),
      );
      ids.push(...batch);
      await eventually(() => expect(fast.events.filter((e) => batch.includes(e.alert.id))).toHaveLength(25), 60_000);
    }
    expect(await laggingCount()).toBeGreaterThan(before);

    // The other socket got every alert, in seq order, while the slow one was not reading.
    const fastSeqs = fast.events.map((e) => e.seq);
    expect(new Set(fast.events.map((e) => e.alert.id))).toEqual(new Set(ids));
    expect(fastSeqs).toEqual([...fastSeqs].sort((a, b) => a - b));
    expect(fast.all.some((x) => x.name === 'lagging')).toBe(false);

    // The slow one reads again: what was queued, `lagging`, the rest by replay, then live.
    tcpOf(slow).resume();
    await eventually(() => expect(new Set(slow.events.map((e) => e.alert.id))).toEqual(new Set(ids)), 120_000);
    const lag = slow.all.findIndex((x) => x.name === 'lagging');
    expect(lag).toBeGreaterThanOrEqual(0);
    const lagSeq = slow.all[lag]!.body.seq as number;
    const beforeLag = slow.all.slice(0, lag).filter((x) => x.name === 'alert');
    expect(beforeLag.every((x) => x.body.seq <= lagSeq)).toBe(true);
    const slowSeqs = slow.events.map((e) => e.seq);
    expect(slowSeqs).toEqual(fastSeqs);
    expect(slow.events.every((e) => e.subscriptions?.join() === sub)).toBe(true);

    const [live] = await Promise.all([
      hub
        .http('POST', '/api/v1/alerts', source.keys.operator, buildAlert({ title: 'after lagging' }))
        .then((r) => r.body.id as string),
    ]);
    await eventually(() => expect(slow.events.at(-1)?.alert.id).toBe(live), 30_000);
    await eventually(() => expect(fast.events.at(-1)?.alert.id).toBe(live), 30_000);
    expect(new Set(slow.events.map((e) => e.seq)).size).toBe(slow.events.length);
  }, 600_000);
});
