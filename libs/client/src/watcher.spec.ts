import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/harness/eventually';
import { MemoryCursorStore } from './cursor-store';
import { AlertWatcher, type FeedSocket, type WatchEvents, type WatchOptions } from './watcher';

type Handler = (...args: unknown[]) => void;

/** A stand-in for the gateway's side of one socket.io connection: what the watcher asked and what it is sent. */
class FakeSocket {
  readonly handlers = new Map<string, Handler[]>();
  readonly acks: number[] = [];
  connected = false;
  closed = false;
  ackAnswer: (seq: number) => unknown = (seq) => ({ ok: true, subscriptions: ['s'], seq });

  constructor(readonly auth: Record<string, unknown>) {}

  on(event: string, fn: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  removeAllListeners(): this {
    this.handlers.clear();
    return this;
  }
  disconnect(): this {
    this.connected = false;
    this.closed = true;
    return this;
  }
  timeout(): { emitWithAck: (event: string, body: { seq: number }) => Promise<unknown> } {
    return {
      emitWithAck: (_event, body) => {
        this.acks.push(body.seq);
        return Promise.resolve(this.ackAnswer(body.seq));
      },
    };
  }
  /** The gateway's side. */
  fire(event: string, payload?: unknown): void {
    (this.handlers.get(event) ?? []).forEach((fn) => fn(payload));
  }
  accept(): void {
    this.connected = true;
    this.fire('connect');
  }
  refuse(message: string): void {
    this.fire('connect_error', new Error(message));
  }
  cut(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }
}

function start(opts: WatchOptions = {}) {
  const sockets: FakeSocket[] = [];
  const connect = (_url: string, o: unknown) => {
    const s = new FakeSocket((o as { auth: Record<string, unknown> }).auth);
    sockets.push(s);
    return s as unknown as FeedSocket;
  };
  const watcher = new AlertWatcher(
    { url: 'http://hub.example', key: 'tcs_k' },
    { reconnect: { initialDelayMs: 1, maxDelayMs: 8, jitter: 0 }, ...opts, connect },
  );
  const log: string[] = [];
  for (const e of ['connected', 'disconnected', 'reconnecting', 'error', 'lagging', 'ack-error'] as const) {
    watcher.on(e, (p: WatchEvents[typeof e]) => {
      log.push(
        `${e} ${p instanceof Error ? `${p.message} fatal=${String((p as { fatal: boolean }).fatal)}` : JSON.stringify(p)}`,
      );
    });
  }
  const last = async (n: number): Promise<FakeSocket> => {
    await eventually(() => expect(sockets.length).toBe(n));
    return sockets[n - 1]!;
  };
  return { watcher, sockets, log, last };
}

const alert = (seq: number, extra: Record<string, unknown> = {}) => ({ seq, alert: { id: `a${seq}`, seq, ...extra } });

describe(AlertWatcher.name, () => {
  it('hands events one at a time in arrival order, awaiting an async listener before the next', async () => {
    const { watcher, last } = start();
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    watcher.on('alert', async (e) => {
      calls.push(`start ${e.seq}`);
      if (e.seq === 1) {
        await gate;
      }
      calls.push(`end ${e.seq}`);
    });
    const s = await last(1);
    s.accept();
    s.fire('alert', alert(1));
    s.fire('alert-revoked', { seq: 2, alertId: 'a1', reason: 'r', revokedAt: 'now' });
    s.fire('alert', alert(3));
    await eventually(() => expect(calls).toEqual(['start 1']));
    release();
    await eventually(() => expect(calls).toEqual(['start 1', 'end 1', 'start 3', 'end 3']));
    expect(watcher.lastSeq).toBe(3);
    await watcher.close();
  });

  it('never hands a seq twice, nor one at or below the saved cursor, across a reconnection', async () => {
    const cursor = new MemoryCursorStore(5);
    const { watcher, last, log } = start({ cursor });
    const seen: number[] = [];
    watcher.on('alert', (e) => {
      seen.push(e.seq);
    });
    const first = await last(1);
    expect(first.auth).toEqual({ token: 'tcs_k', lastSeq: 5 });
    first.accept();
    [4, 5, 6, 7, 7].forEach((seq) => first.fire('alert', alert(seq)));
    await eventually(() => expect(seen).toEqual([6, 7]));
    first.cut();
    const second = await last(2);
    // It asks again for the seq in progress (its parts may not all have come), and lets through only what is new.
    expect(second.auth).toEqual({ token: 'tcs_k', lastSeq: 6 });
    second.accept();
    [7, 8].forEach((seq) => second.fire('alert', alert(seq)));
    await eventually(() => expect(seen).toEqual([6, 7, 8]));
    expect(await cursor.load()).toBe(8);
    expect(log).toEqual([
      'connected {"lastSeq":5}',
      'disconnected {"reason":"transport close"}',
      'reconnecting {"attempt":1,"delayMs":1,"reason":"transport close"}',
      'connected {"lastSeq":6}',
    ]);
    await watcher.close();
  });

  it('retries refusals it can outlive with a growing delay, and starts again from the first after connecting', async () => {
    const { watcher, last, log } = start({ reconnect: { initialDelayMs: 1, maxDelayMs: 4, jitter: 0 } });
    for (let n = 1; n <= 4; n++) {
      (await last(n)).refuse(n === 2 ? 'rate-limited' : 'unavailable');
    }
    (await last(5)).accept();
    (await last(5)).cut('ping timeout');
    await last(6);
    expect(log.filter((l) => l.startsWith('reconnecting')).map((l) => JSON.parse(l.slice(13)))).toEqual([
      { attempt: 1, delayMs: 1, reason: 'refused: unavailable' },
      { attempt: 2, delayMs: 2, reason: 'refused: rate-limited' },
      { attempt: 3, delayMs: 4, reason: 'refused: unavailable' },
      { attempt: 4, delayMs: 4, reason: 'refused: unavailable' },
      { attempt: 1, delayMs: 1, reason: 'ping timeout' },
    ]);
    await watcher.close();
  });

  it('uses the injected random source for the jitter', async () => {
    const { watcher, last, log } = start({
      reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0.5 },
      random: () => 0.5,
    });
    (await last(1)).refuse('unavailable');
    await last(2);
    expect(log).toEqual(['reconnecting {"attempt":1,"delayMs":8,"reason":"refused: unavailable"}']);
    await watcher.close();
  });

  it.each([
    ['unauthorized', 'unauthorized'],
    ['forbidden', 'forbidden'],
    ['subscription-not-found', 'subscription-not-found'],
    ['invalid lastSeq: a non-negative integer', 'invalid-handshake'],
    ['invalid subscriptions: a list of at most 20 subscription ids', 'invalid-handshake'],
  ])('stops on the fatal refusal %s', async (message, code) => {
    const { watcher, last, log, sockets } = start();
    const errors: { code: string; fatal: boolean }[] = [];
    watcher.on('error', (e) => {
      errors.push({ code: e.code, fatal: e.fatal });
    });
    (await last(1)).refuse(message);
    await watcher.done;
    expect(errors).toEqual([{ code, fatal: true }]);
    expect(log).toEqual([`error the hub refused the connection: ${message} fatal=true`]);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.closed).toBe(true);
  });

  it('surfaces lagging in order with the events, without moving the cursor', async () => {
    const { watcher, last, log } = start();
    const order: string[] = [];
    watcher.on('alert', (e) => {
      order.push(`alert ${e.seq}`);
    });
    watcher.on('lagging', (e) => {
      order.push(`lagging ${e.seq} ${e.queued}`);
    });
    const s = await last(1);
    s.accept();
    s.fire('alert', alert(1));
    s.fire('lagging', { seq: 1, queued: 1000 });
    s.fire('alert', alert(2));
    await eventually(() => expect(order).toEqual(['alert 1', 'lagging 1 1000', 'alert 2']));
    expect(log).toContain('lagging {"seq":1,"queued":1000}');
    expect(watcher.lastSeq).toBe(2);
    await watcher.close();
  });

  it('acknowledges a seq only after its listener settles, and a chunked alert only after its last chunk', async () => {
    const { watcher, last } = start({ subscriptions: ['s'] });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const chunks: number[] = [];
    watcher.on('alert', async (e) => {
      if (e.seq === 1) {
        await gate;
      }
    });
    watcher.on('alert-indicators', (e) => {
      chunks.push(e.chunk);
    });
    const s = await last(1);
    expect(s.auth).toEqual({ token: 'tcs_k', subscriptions: ['s'] });
    s.accept();
    s.fire('alert', alert(1));
    await eventually(() => expect(watcher.lastSeq).toBeUndefined());
    expect(s.acks).toEqual([]);
    release();
    await eventually(() => expect(s.acks).toEqual([1]));
    s.fire('alert', alert(2, { indicatorChunks: { size: 2, count: 3 } }));
    s.fire('alert-indicators', { seq: 2, alertId: 'a2', chunk: 1, count: 3, indicators: [] });
    await eventually(() => expect(chunks).toEqual([1]));
    expect(watcher.lastSeq).toBe(1);
    s.fire('alert-indicators', { seq: 2, alertId: 'a2', chunk: 2, count: 3, indicators: [] });
    s.fire('constituency-hit', { seq: 2, alertId: 'a2', countries: [], indicators: [], matchCount: 0 });
    await eventually(() => expect(s.acks).toEqual([1, 2]));
    expect(watcher.lastSeq).toBe(2);
    await watcher.close();
  });

  it('reports a refused ack and goes on', async () => {
    const { watcher, last, log } = start({ subscriptions: ['s'] });
    const s = await last(1);
    s.ackAnswer = () => ({ ok: false, error: 'unavailable' });
    s.accept();
    s.fire('alert', alert(4));
    await eventually(() => expect(log).toContain('ack-error {"seq":4,"error":"unavailable"}'));
    await watcher.close();
  });

  it('reports a listener that throws, and counts the event as handled', async () => {
    const { watcher, last, log } = start();
    watcher.on('alert', () => {
      throw new Error('disk full');
    });
    const s = await last(1);
    s.accept();
    s.fire('alert', alert(1));
    await eventually(() => expect(watcher.lastSeq).toBe(1));
    expect(log).toContain("error a 'alert' listener failed: disk full fatal=false");
    await watcher.close();
  });

  it('lets the socket go when listeners fall behind, and resumes after what it handled once they catch up', async () => {
    const { watcher, last, log } = start({ maxQueue: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: number[] = [];
    watcher.on('alert', async (e) => {
      await gate;
      seen.push(e.seq);
    });
    const s = await last(1);
    s.accept();
    [1, 2, 3].forEach((seq) => s.fire('alert', alert(seq)));
    expect(s.closed).toBe(true);
    expect(log).toContain('disconnected {"reason":"paused: listeners are behind"}');
    release();
    const again = await last(2);
    expect(seen).toEqual([1, 2, 3]);
    expect(again.auth).toEqual({ token: 'tcs_k', lastSeq: 2 });
    await watcher.close();
  });

  it('on close, finishes the event in hand, drops the queued ones and connects no more', async () => {
    const cursor = new MemoryCursorStore();
    const { watcher, last, sockets } = start({ cursor });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: number[] = [];
    watcher.on('alert', async (e) => {
      await gate;
      seen.push(e.seq);
    });
    const s = await last(1);
    s.accept();
    [1, 2].forEach((seq) => s.fire('alert', alert(seq)));
    const closing = watcher.close();
    release();
    await closing;
    await watcher.done;
    expect(seen).toEqual([1]);
    expect(await cursor.load()).toBe(1);
    expect(s.closed).toBe(true);
    expect(sockets).toHaveLength(1);
  });

  it('stops with a fatal error when the cursor cannot be read', async () => {
    const sockets: unknown[] = [];
    const watcher = new AlertWatcher(
      { url: 'http://hub.example', key: 'tcs_k' },
      {
        cursor: { load: () => Promise.reject(new Error('EACCES')), save: () => Promise.resolve() },
        connect: () => {
          sockets.push(1);
          return {} as FeedSocket;
        },
      },
    );
    const errors: string[] = [];
    watcher.on('error', (e) => {
      errors.push(`${e.code} ${e.message}`);
    });
    await watcher.done;
    expect(errors).toEqual(['cursor cannot read the cursor: EACCES']);
    expect(sockets).toEqual([]);
  });
});
