import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@tocsin/delivery';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { CursorStore } from './cursor-store';
import { partOf, SeqGate } from './seq-gate';
import type { AckResult, ServerEvents } from './types';

/** Every event of the feed, in the order of the gateway's ServerToClientEvents map (checked below). */
export const FEED_EVENTS = [
  'alert',
  'alert-updated',
  'alert-revoked',
  'sighting',
  'alert-indicators',
  'coordinated-alert',
  'coordinated-alert-updated',
  'coordinated-alert-withdrawn',
  'constituency-hit',
  'lagging',
] as const satisfies readonly (keyof ServerToClientEvents)[];
type FeedEvent = (typeof FEED_EVENTS)[number];
/** Fails to compile when the server adds an event this client does not listen to. */
const everyEventHandled: [Exclude<keyof ServerToClientEvents, FeedEvent>] extends [never] ? true : false = true;
void everyEventHandled;

/** Handshake refusals (`connect_error` messages) that retrying cannot mend: the watcher stops. */
const FATAL_REFUSALS = ['unauthorized', 'forbidden', 'subscription-not-found'];

/** What went wrong while watching. `fatal`: the watcher has stopped (a refused key, subscription, cursor…). */
export class TocsinWatchError extends Error {
  override readonly name = 'TocsinWatchError';
  constructor(
    message: string,
    /** `unauthorized`, `forbidden`, `subscription-not-found`, `invalid-handshake`, `listener`, `cursor`. */
    readonly code: string,
    readonly fatal: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface WatchEvents extends ServerEvents {
  /** The handshake was accepted; `lastSeq` is what it asked to resume after (absent: the server-kept cursor or live). */
  connected: { lastSeq?: number; subscriptions?: readonly string[] };
  disconnected: { reason: string };
  /** The next connection attempt is in `delayMs`; `reason` is why the last one ended or failed. */
  reconnecting: { attempt: number; delayMs: number; reason: string };
  /** An ack the hub refused or did not answer; a later ack covers it (acks only move forward). */
  'ack-error': { seq: number; error: string };
  error: TocsinWatchError;
}
export type WatchEventName = keyof WatchEvents;
type Listener<E extends WatchEventName> = (payload: WatchEvents[E]) => void | Promise<void>;

export interface WatchOptions {
  /** Attach to these subscriptions (1–20 ids): only what they match; the hub keeps their cursor from acks. */
  subscriptions?: readonly string[];
  /** Client-kept cursor: resume after its `lastSeq`, saved after each event is handled. Wins over the server's. */
  cursor?: CursorStore;
  /** The `lastSeq` to start from when the cursor store holds none (0: replay everything visible). */
  startSeq?: number;
  /** Acknowledge each handled seq to the hub (the server-kept cursor); default true when subscriptions are given. */
  ack?: boolean;
  reconnect?: BackoffOptions;
  /** Events held while listeners work; past it the socket is let go and picked up again once they catch up. */
  maxQueue?: number;
  /** For tests: the random source of the jitter, and the socket factory. */
  random?: () => number;
  connect?: (url: string, opts: Parameters<typeof io>[1]) => FeedSocket;
}

export type FeedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Watcher {
  on<E extends WatchEventName>(event: E, fn: Listener<E>): this;
  off<E extends WatchEventName>(event: E, fn: Listener<E>): this;
  /** Stops: the event being handled finishes, the queued ones are dropped (they come again next time), the last ack is sent. */
  close(): Promise<void>;
  /** The last seq handled (saved to the cursor store, acknowledged), or undefined. */
  readonly lastSeq: number | undefined;
  /** Settles when the watcher stops: close(), or a fatal error. */
  readonly done: Promise<void>;
}

interface Queued {
  readonly event: FeedEvent;
  readonly payload: unknown;
}

const DEFAULT_MAX_QUEUE = 1000;
const ACK_TIMEOUT_MS = 10_000;

/**
 * The live feed of one key: connects to `/alerts`, resumes from the cursor store or the server-kept cursor,
 * handles events one at a time in seq order (a listener's promise is awaited), lets each (seq, part) through once,
 * saves or acknowledges each seq once handled, and reconnects by itself with exponential backoff and jitter
 * (socket.io's own reconnection is off, so each new handshake carries the current `lastSeq`).
 */
export class AlertWatcher implements Watcher {
  private readonly listeners = new Map<WatchEventName, Listener<WatchEventName>[]>();
  private readonly queue: Queued[] = [];
  private gate: SeqGate | undefined;
  private socket: FeedSocket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = false;
  private paused = false;
  private draining: Promise<void> | undefined;
  private handled: number | undefined;
  /** The seq whose `alert` said more chunks follow: it is complete (saved, acked) after the last one. */
  private openChunks: { seq: number; last: number } | undefined;
  private ackWanted: number | undefined;
  private acking: Promise<void> | undefined;
  private finish!: () => void;
  readonly done: Promise<void>;
  private readonly ack: boolean;

  constructor(
    private readonly conn: { url: string; key: string },
    private readonly opts: WatchOptions = {},
  ) {
    this.ack = opts.ack ?? (opts.subscriptions !== undefined && opts.subscriptions.length > 0);
    this.done = new Promise((resolve) => (this.finish = resolve));
    void this.start();
  }

  get lastSeq(): number | undefined {
    return this.handled;
  }

  on<E extends WatchEventName>(event: E, fn: Listener<E>): this {
    const list = this.listeners.get(event) ?? [];
    list.push(fn as Listener<WatchEventName>);
    this.listeners.set(event, list);
    return this;
  }

  off<E extends WatchEventName>(event: E, fn: Listener<E>): this {
    const list = this.listeners.get(event);
    if (list) {
      this.listeners.set(
        event,
        list.filter((f) => f !== fn),
      );
    }
    return this;
  }

  async close(): Promise<void> {
    if (this.stopped) {
      return this.done;
    }
    this.stopped = true;
    clearTimeout(this.timer);
    this.queue.length = 0;
    await this.draining;
    await this.acking;
    this.dropSocket();
    this.finish();
    return this.done;
  }

  private async start(): Promise<void> {
    let saved: number | undefined;
    try {
      saved = this.opts.cursor ? await this.opts.cursor.load() : undefined;
    } catch (e) {
      this.fail(new TocsinWatchError(`cannot read the cursor: ${(e as Error).message}`, 'cursor', true, { cause: e }));
      return;
    }
    this.handled = saved;
    this.gate = new SeqGate(saved);
    this.connect(saved ?? this.opts.startSeq);
  }

  private connect(lastSeq: number | undefined): void {
    if (this.stopped) {
      return;
    }
    const subscriptions = this.opts.subscriptions;
    const auth = {
      token: this.conn.key,
      ...(lastSeq !== undefined ? { lastSeq } : {}),
      ...(subscriptions && subscriptions.length > 0 ? { subscriptions: [...subscriptions] } : {}),
    };
    const make = this.opts.connect ?? ((url, o) => io(url, o));
    const socket = make(`${this.conn.url}/alerts`, {
      auth,
      reconnection: false,
      forceNew: true,
      transports: ['websocket'],
      timeout: 20_000,
    });
    this.socket = socket;
    for (const event of FEED_EVENTS) {
      socket.on(event, (payload: unknown) => this.receive(event, payload));
    }
    socket.on('connect', () => {
      this.attempt = 0;
      if (this.ack && this.ackWanted !== undefined) {
        this.acking ??= this.sendAcks();
      }
      void this.emitNow('connected', {
        ...(lastSeq !== undefined ? { lastSeq } : {}),
        ...(auth.subscriptions ? { subscriptions: auth.subscriptions } : {}),
      });
    });
    socket.on('connect_error', (err: Error) => {
      if (this.socket !== socket) {
        return;
      }
      this.dropSocket();
      const refusal = err.message;
      if (FATAL_REFUSALS.includes(refusal) || refusal.startsWith('invalid ')) {
        const code = FATAL_REFUSALS.includes(refusal) ? refusal : 'invalid-handshake';
        this.fail(new TocsinWatchError(`the hub refused the connection: ${refusal}`, code, true));
        return;
      }
      this.retry(`refused: ${refusal}`);
    });
    socket.on('disconnect', (reason: string) => {
      if (this.socket !== socket) {
        return;
      }
      this.dropSocket();
      void this.emitNow('disconnected', { reason });
      this.retry(reason);
    });
  }

  private dropSocket(): void {
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.removeAllListeners();
      s.disconnect();
    }
  }

  private retry(reason: string): void {
    if (this.stopped || this.paused) {
      return;
    }
    this.attempt += 1;
    const delayMs = backoffDelay(this.attempt, this.opts.reconnect, this.opts.random);
    void this.emitNow('reconnecting', { attempt: this.attempt, delayMs, reason });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(this.gate?.resumeAfter()), delayMs);
  }

  private receive(event: FeedEvent, payload: unknown): void {
    if (this.stopped || !this.gate) {
      return;
    }
    if (event !== 'lagging') {
      const seq = (payload as { seq?: unknown } | null)?.seq;
      if (typeof seq !== 'number' || !this.gate.admit(seq, partOf(event, payload))) {
        return;
      }
    }
    this.queue.push({ event, payload });
    if (this.queue.length >= (this.opts.maxQueue ?? DEFAULT_MAX_QUEUE) && this.socket) {
      // Listeners are behind: stop reading rather than hold an unbounded queue; resume once they catch up.
      this.paused = true;
      this.dropSocket();
      void this.emitNow('disconnected', { reason: 'paused: listeners are behind' });
    }
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (let item = this.queue.shift(); item && !this.stopped; item = this.queue.shift()) {
        await this.handle(item);
      }
    } finally {
      this.draining = undefined;
    }
    if (this.paused && !this.stopped) {
      this.paused = false;
      this.connect(this.gate?.resumeAfter());
    }
  }

  private async handle({ event, payload }: Queued): Promise<void> {
    await this.emitNow(event, payload as WatchEvents[typeof event]);
    if (event === 'lagging') {
      return;
    }
    const seq = (payload as { seq: number }).seq;
    if (!this.completes(event, payload, seq) || (this.handled !== undefined && seq <= this.handled)) {
      return;
    }
    this.handled = seq;
    if (this.opts.cursor) {
      try {
        await this.opts.cursor.save(seq);
      } catch (e) {
        this.fail(
          new TocsinWatchError(`cannot save the cursor: ${(e as Error).message}`, 'cursor', true, { cause: e }),
        );
        return;
      }
    }
    if (this.ack) {
      this.ackWanted = seq;
      this.acking ??= this.sendAcks();
    }
  }

  /** Whether the seq is whole once this event is handled: an alert announcing chunks waits for its last one. */
  private completes(event: FeedEvent, payload: unknown, seq: number): boolean {
    if (event === 'alert') {
      const count = (payload as { alert?: { indicatorChunks?: { count?: unknown } } }).alert?.indicatorChunks?.count;
      if (typeof count === 'number' && count > 1) {
        this.openChunks = { seq, last: count - 1 };
        return false;
      }
      return true;
    }
    if (event === 'alert-indicators') {
      const { chunk, count } = payload as { chunk: number; count: number };
      if (this.openChunks?.seq === seq && chunk < this.openChunks.last && chunk < count - 1) {
        return false;
      }
      this.openChunks = undefined;
      return true;
    }
    return true;
  }

  /** Sends the highest handled seq as an ack, one at a time: while one is out, only the latest wish is kept. */
  private async sendAcks(): Promise<void> {
    try {
      while (this.ackWanted !== undefined) {
        const seq = this.ackWanted;
        this.ackWanted = undefined;
        const socket = this.socket;
        if (!socket?.connected) {
          // Not connected: the next connection resumes from the handled seq, and the next ack covers this one.
          this.ackWanted = seq;
          return;
        }
        let answer: AckResult;
        try {
          answer = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('ack', { seq })) as AckResult;
        } catch (e) {
          answer = { ok: false, error: (e as Error).message };
        }
        if (!answer.ok) {
          await this.emitNow('ack-error', { seq, error: answer.error });
        }
      }
    } finally {
      this.acking = undefined;
    }
  }

  private fail(error: TocsinWatchError): void {
    void this.emitNow('error', error);
    if (error.fatal && !this.stopped) {
      this.stopped = true;
      clearTimeout(this.timer);
      this.queue.length = 0;
      this.dropSocket();
      this.finish();
    }
  }

  /** Calls the event's listeners one after the other, awaiting each; a listener's failure is reported, not thrown. */
  private async emitNow<E extends WatchEventName>(event: E, payload: WatchEvents[E]): Promise<void> {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        await fn(payload);
      } catch (e) {
        if (event === 'error') {
          continue;
        }
        const err = new TocsinWatchError(
          `a '${event}' listener failed: ${e instanceof Error ? e.message : String(e)}`,
          'listener',
          false,
          { cause: e },
        );
        await this.emitNow('error', err);
      }
    }
  }
}
