import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_CONFIG, Metrics } from '@tocsin/platform';
import { OrgDirectory } from '@tocsin/orgs';
import { AlertFeed } from './alert-feed';
import { SubscriptionRepository } from './subscription.repository';
import { eventually } from '../../../test/harness/eventually';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { DeliveryEngine, type SocketPort } from './delivery-engine';
import { DeliveryModule } from './delivery.module';
import type { WakeEntry } from './wake-entries';

/**
 * Issue 11 §4 at the engine's socket port: a socket that stops draining never holds up the others. The stalled
 * port's `drained()` does not resolve until the test releases it, so anything the engine awaited on it would stop
 * every socket; the other socket must still get each entry of the same tail pass.
 */
let ctx: IntContext;
let engine: DeliveryEngine;

const ORG = '00000000-0000-4000-8000-0000000000c1';
const SOURCE = '00000000-0000-4000-8000-0000000000c2';

interface TestPort extends SocketPort {
  readonly sent: { name: string; body: any }[];
  /** From now on its queue is full and it never drains, until `release`. */
  stall(): void;
  release(): void;
  readonly drainPending: boolean;
}

function port(id: string, maxQueue: number): TestPort {
  const sent: { name: string; body: any }[] = [];
  let stalled = false;
  let waiting: (() => void)[] = [];
  return {
    id,
    orgId: ORG,
    keyId: '00000000-0000-4000-8000-0000000000ff',
    connected: true,
    sent,
    emit: (name, body) => void sent.push({ name, body }),
    disconnect: () => undefined,
    backlog: () => (stalled ? maxQueue : 0),
    drained: () => (stalled ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve()),
    stall: () => {
      stalled = true;
    },
    release: () => {
      stalled = false;
      const w = waiting;
      waiting = [];
      w.forEach((resolve) => resolve());
    },
    get drainPending() {
      return waiting.length > 0;
    },
  };
}

const alertSeqs = (p: TestPort) => p.sent.filter((x) => x.name === 'alert').map((x) => x.body.seq as number);

let head = 0;
/** Appends n GREEN alert entries to the publish log and wakes the engine's tail; answers their seqs. */
async function publish(n: number): Promise<number[]> {
  const rows = await ctx.sql<{ seq: string }>(
    `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload)
     SELECT g, 'alert', gen_random_uuid(), 'GREEN', $1, '{}', '{}' FROM generate_series($2::bigint, $3::bigint) g
     RETURNING seq`,
    [SOURCE, head + 1, head + n],
  );
  head += n;
  engine.wake();
  return rows.map((r) => Number(r.seq));
}

beforeAll(async () => {
  ctx = await createIntContext([DeliveryModule]);
  engine = ctx.app.get(DeliveryEngine);
  await engine.start();
});

afterAll(async () => {
  await engine?.stop();
  await ctx?.close();
});

describe(DeliveryEngine.name, () => {
  it('sends every entry to the other sockets while one never drains, then catches that one up by replay', async () => {
    const max = 1_000; // TOCSIN_SOCKET_MAX_QUEUE's default, which the int context keeps
    const fast = port('fast', max);
    const slow = port('slow', max);
    for (const p of [fast, slow]) {
      engine.attach(p, { trustLevel: 3, subscriptions: [], startAfter: null });
    }
    const first = await publish(10);
    await eventually(() => expect(alertSeqs(slow)).toEqual(first));
    await eventually(() => expect(alertSeqs(fast)).toEqual(first));

    // The slow socket stops draining: the other gets every later entry while the slow one's drain is still pending.
    slow.stall();
    const during = await publish(40);
    await eventually(() => expect(alertSeqs(fast)).toEqual([...first, ...during]));
    const more = await publish(10);
    await eventually(() => expect(alertSeqs(fast)).toEqual([...first, ...during, ...more]));
    expect(slow.drainPending).toBe(true);
    expect(alertSeqs(slow)).toEqual(first);
    expect(slow.sent.filter((x) => x.name === 'lagging')).toEqual([
      { name: 'lagging', body: { seq: first.at(-1), queued: max } },
    ]);
    expect(fast.sent.some((x) => x.name === 'lagging')).toBe(false);

    // Released: the rest by replay, then live, with no gap and no duplicate.
    slow.release();
    await eventually(() => expect(alertSeqs(slow)).toEqual(alertSeqs(fast)));
    const after = await publish(1);
    await eventually(() => expect(alertSeqs(slow).slice(-1)).toEqual(after));
    await eventually(() => expect(alertSeqs(fast).slice(-1)).toEqual(after));
    expect(alertSeqs(slow)).toEqual([...first, ...during, ...more, ...after]);
    expect(alertSeqs(fast)).toEqual(alertSeqs(slow));
    engine.detach('fast');
    engine.detach('slow');
  });
  it("sends a wake-up's entries without reading the log when they follow on, and reads the log when they do not", async () => {
    const p = port('hinted', 1_000);
    engine.attach(p, { trustLevel: 3, subscriptions: [], startAfter: null });
    const wakeEntry = (seq: number, from: string): WakeEntry => ({
      seq,
      alertId: crypto.randomUUID(),
      tlp: 'GREEN',
      sourceOrgId: SOURCE,
      recipients: [],
      payload: JSON.stringify({ from }),
      publishedAt: new Date().toISOString(),
      sourceOrgName: null,
    });
    const fromOf = (seq: number) => p.sent.find((x) => x.name === 'alert' && x.body.seq === seq)?.body.alert.from;

    // Carried entries that follow on are sent as carried: these are not in the log yet, so no read could send them.
    const carried = [wakeEntry(head + 1, 'wake'), wakeEntry(head + 2, 'wake')];
    engine.wake(carried);
    await eventually(() => expect(alertSeqs(p)).toEqual([head + 1, head + 2]));
    expect([fromOf(head + 1), fromOf(head + 2)]).toEqual(['wake', 'wake']);
    await ctx.sql(
      `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload)
       SELECT g, 'alert', gen_random_uuid(), 'GREEN', $1, '{}', '{"from": "log"}' FROM generate_series($2::bigint, $3::bigint) g`,
      [SOURCE, head + 1, head + 2],
    );
    head += 2;

    // Entries after a gap (another group's wake-up still on its way), then a malformed wake-up: the log is read.
    engine.wake([wakeEntry(head + 2, 'wake'), wakeEntry(head + 3, 'wake')]);
    engine.wake([{ ...wakeEntry(head + 1, 'wake'), seq: 'one' }]);
    await ctx.sql(
      `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload)
       SELECT g, 'alert', gen_random_uuid(), 'GREEN', $1, '{}', '{"from": "log"}' FROM generate_series($2::bigint, $3::bigint) g`,
      [SOURCE, head + 1, head + 3],
    );
    engine.wake();
    await eventually(() => expect(alertSeqs(p).slice(-3)).toEqual([head + 1, head + 2, head + 3]));
    expect([fromOf(head + 1), fromOf(head + 2), fromOf(head + 3)]).toEqual(['log', 'log', 'log']);
    head += 3;
    // Each once, in seq order.
    expect(alertSeqs(p)).toEqual([head - 4, head - 3, head - 2, head - 1, head]);
    engine.detach('hinted');
  });
  it('skips a wake-up for a seq it has sent already, and tails for one beyond', async () => {
    const p = port('skips', 1_000);
    engine.attach(p, { trustLevel: 3, subscriptions: [], startAfter: null });
    const [seq] = await publish(1);
    await eventually(() => expect(alertSeqs(p)).toEqual([seq]));
    const tail = vi.spyOn(ctx.app.get(AlertFeed), 'tail');
    try {
      // A pass would read the log at once (wake() starts it synchronously): this one does not.
      engine.wake(undefined, String(seq));
      engine.wake(undefined, String(seq! - 1));
      expect(tail).not.toHaveBeenCalled();
      // Beyond what it has sent: it tails (and sends what the log holds).
      await ctx.sql(
        `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload)
         VALUES ($2, 'alert', gen_random_uuid(), 'GREEN', $1, '{}', '{}')`,
        [SOURCE, head + 1],
      );
      head += 1;
      engine.wake(undefined, String(head));
      await eventually(() => expect(alertSeqs(p)).toEqual([seq, head]));
    } finally {
      tail.mockRestore();
      engine.detach('skips');
    }
  });
  it('ignores wake-ups before it has started (it does not page the log from seq 0), then tails from the head', async () => {
    const fresh = new DeliveryEngine(
      ctx.app.get(AlertFeed),
      ctx.app.get(SubscriptionRepository),
      ctx.app.get(OrgDirectory),
      ctx.app.get(Metrics),
      ctx.app.get(APP_CONFIG),
    );
    const tail = vi.spyOn(ctx.app.get(AlertFeed), 'tail');
    try {
      fresh.wake();
      fresh.wake(undefined, String(head + 1));
      expect(tail).not.toHaveBeenCalled();
      await fresh.start();
      fresh.wake();
      expect(tail).toHaveBeenCalledWith(head, expect.any(Number));
    } finally {
      tail.mockRestore();
      await fresh.stop();
    }
  });
});
