import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  isTrustLevel,
  matchedSubscriptions,
  resumeSeq,
  type Actor,
  type DeliverySubject,
  type SubscriptionFilter,
  type TrustLevel,
} from '@tocsin/domain';
import { OrgDirectory } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Metrics, errorFacts } from '@tocsin/platform';
import { AlertFeed, type SocketEvent, type Subscriber } from './alert-feed';
import type { LogEntry } from '@tocsin/db';
import type { AckAnswer, AckRequest, ServerEventName } from './socket-events';
import { SubscriptionRepository } from './subscription.repository';
import type { RecipientEventSource } from './recipient-events';
import { entriesFromWake } from './wake-entries';

/**
 * The engine's view of one socket (socket.io in the gateway, anything in a test): who it is, how to send to it,
 * and how much it has queued that the network has not taken yet.
 */
export interface SocketPort {
  readonly id: string;
  readonly orgId: string;
  readonly keyId: string;
  /** The credential the periodic recheck asks about, when not the key: the session a socket was opened with. */
  readonly recheckId?: string;
  readonly connected: boolean;
  emit(name: ServerEventName, body: object): void;
  disconnect(): void;
  /** Events waiting for the transport (socket.io: the engine.io write buffer). */
  backlog(): number;
  /** Resolves once the backlog has been handed to the network (or the socket closed). */
  drained(): Promise<void>;
}

/** What the handshake resolved: the subscriptions a socket attaches to and where it starts. */
export interface Attachment {
  readonly trustLevel: TrustLevel;
  /** An admin key of the hub's own org (sourceView shows it an anonymous alert's org). */
  readonly hubAdmin?: boolean;
  readonly subscriptions: readonly { readonly id: string; readonly filter: SubscriptionFilter }[];
  /** Replay after this seq; null: live only. */
  readonly startAfter: number | null;
}

type PreparedExtras = (entry: LogEntry, recipient: Subscriber) => readonly SocketEvent[];

/** What one socket is sent for an entry: its own event (if any), then the extra events after the chunks. */
interface Delivery {
  readonly events: SocketEvent[];
  readonly extras: readonly SocketEvent[];
}

interface Session {
  readonly port: SocketPort;
  trustLevel: TrustLevel;
  readonly hubAdmin: boolean;
  /** Null: the whole feed (no subscription named in the handshake). */
  subscriptions: { id: string; filter: SubscriptionFilter }[] | null;
  /** Highest seq offered to this socket (sent, or skipped as not for it). */
  cursor: number;
  /** False while replaying from PostgreSQL (at connect, or after lagging); the tail feeds only live sessions. */
  live: boolean;
}

const TAIL_BATCH = 500;
/** Wake-up entries kept ahead of the tail at most; more, and they are dropped (the tail reads the log instead). */
const HINTED_MAX = 2 * TAIL_BATCH;

/**
 * The fan-out state of one gateway: sessions (one per socket), their cursors and subscriptions, the tail of the
 * publish log, replay and the switch to live, lagging. Each gateway tails the publish log itself (woken after each
 * publish, and by a poll), so gateways share nothing and no event is lost between a commit and a push.
 *
 * Every decision of what a socket gets goes through one place (`eventsFor`): AlertFeed.eventFor (mayReceive, the
 * one visibility policy) first, then the socket's subscriptions (they only narrow), then RecipientEvents.
 */
@Injectable()
export class DeliveryEngine {
  private readonly log = new Logger(DeliveryEngine.name);
  private readonly sessions = new Map<string, Session>();
  /** Highest seq the tail has processed: every entry up to it has been offered to the live sessions. */
  private processed = 0;
  private tailRunning: Promise<void> | null = null;
  private tailAgain = false;
  /** The highest seq a wake-up named that a pass started or due since will send (see wake()). */
  private wokenUpTo = 0;
  /** Set once start() has read the log's head: wake-ups before it are ignored (there is no socket yet either). */
  private started = false;
  /** Entries carried by wake-ups, by seq, not yet reached by the tail (at most HINTED_MAX; see wake()). */
  private readonly hinted = new Map<number, LogEntry>();
  private pollTimer: NodeJS.Timeout | null = null;
  private keyTimer: NodeJS.Timeout | null = null;
  private ackTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Acks gathered since the last write: per subscription, the highest seq and who waits for it. */
  private pendingAcks = new Map<string, { orgId: string; seq: number; waiters: ((ok: boolean) => void)[] }>();
  private readonly extraSources: RecipientEventSource[] = [];

  constructor(
    private readonly feed: AlertFeed,
    private readonly subscriptionsRepo: SubscriptionRepository,
    private readonly orgs: OrgDirectory,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Adds a source of per-recipient events (see RecipientEventSource). */
  addRecipientEvents(source: RecipientEventSource): void {
    this.extraSources.push(source);
  }

  /**
   * The extra events of a batch, prepared for the given recipients. A source that fails costs its extras for this
   * batch only (a warning), never the entries themselves.
   */
  private async prepareExtras(
    entries: readonly LogEntry[],
    recipients: readonly Subscriber[],
    now: Date,
  ): Promise<PreparedExtras> {
    if (this.extraSources.length === 0 || entries.length === 0 || recipients.length === 0) {
      return () => [];
    }
    const prepared = await Promise.all(
      this.extraSources.map(async (source) => {
        try {
          return await source.prepare(entries, recipients, now);
        } catch (e) {
          this.log.warn({ entries: entries.length, error: errorFacts(e) }, 'extra events failed for a batch');
          return (): readonly SocketEvent[] => [];
        }
      }),
    );
    return (entry, recipient) => prepared.flatMap((f) => f(entry, recipient));
  }

  /** Every distinct org and trust level with a socket here, live or replaying: the recipients a batch may reach. */
  private recipients(): Subscriber[] {
    const seen = new Map<string, Subscriber>();
    for (const s of this.sessions.values()) {
      seen.set(`${s.port.orgId}:${s.trustLevel}:${s.hubAdmin}`, this.recipientOf(s));
    }
    return [...seen.values()];
  }

  private recipientOf(s: Session): Subscriber {
    return { orgId: s.port.orgId, trustLevel: s.trustLevel, hubAdmin: s.hubAdmin };
  }

  async start(): Promise<void> {
    this.processed = await this.feed.head();
    this.started = true;
    this.pollTimer = setInterval(() => this.wake(), this.config.TOCSIN_GATEWAY_POLL_MS);
    this.keyTimer = setInterval(() => void this.recheckKeys(), this.config.TOCSIN_SOCKET_RECHECK_SECONDS * 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.pollTimer, this.keyTimer, this.ackTimer]) {
      if (t) {
        clearInterval(t);
      }
    }
    await this.tailRunning;
    await this.flushAcks();
  }

  /**
   * Resolves a handshake's `subscriptions` (ids of the actor's own organisation) and its start: `lastSeq` when
   * given, else the lowest acknowledged seq of its subscriptions, else live. 'not-found' when any id is not one of
   * the organisation's subscriptions (unknown and foreign alike).
   */
  async prepare(
    actor: Pick<Actor, 'orgId' | 'trustLevel'> & Partial<Pick<Actor, 'orgIsHub' | 'role'>>,
    ids: readonly string[],
    lastSeq: number | null,
  ): Promise<Attachment | 'not-found'> {
    const rows = await this.subscriptionsRepo.findOwn(actor.orgId, ids);
    if (rows.length !== ids.length) {
      return 'not-found';
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const subs = ids.map((id) => byId.get(id)!);
    return {
      trustLevel: actor.trustLevel,
      hubAdmin: actor.orgIsHub === true && actor.role === 'admin',
      subscriptions: subs.map((s) => ({ id: s.id, filter: s.filters })),
      startAfter: resumeSeq(
        lastSeq,
        subs.map((s) => s.ackedSeq),
      ),
    };
  }

  attach(port: SocketPort, a: Attachment): void {
    const s: Session = {
      port,
      trustLevel: a.trustLevel,
      hubAdmin: a.hubAdmin === true,
      subscriptions: a.subscriptions.length > 0 ? a.subscriptions.map((x) => ({ ...x })) : null,
      cursor: a.startAfter ?? this.processed,
      live: a.startAfter === null,
    };
    this.sessions.set(port.id, s);
    this.metrics.socketsConnected.inc();
    if (!s.live) {
      void this.replay(s);
    }
  }

  detach(portId: string): void {
    if (this.sessions.delete(portId)) {
      this.metrics.socketsConnected.dec();
    }
  }

  /**
   * What one socket is sent for an entry: nothing, or the entry's event (when the policy lets it see the entry and,
   * for a socket with subscriptions, at least one matches; the event then names them) plus any extra events.
   */
  private deliveryFor(
    s: Session,
    e: LogEntry,
    subject: DeliverySubject | null | undefined,
    now: Date,
    extras: PreparedExtras,
  ): Delivery {
    const recipient = this.recipientOf(s);
    const event = this.feed.eventFor(e, recipient, now);
    if (!event) {
      return { events: [], extras: [] };
    }
    const events: SocketEvent[] = [];
    if (s.subscriptions === null) {
      events.push(event);
    } else {
      const matched = subject ? matchedSubscriptions(s.subscriptions, subject) : [];
      if (matched.length > 0) {
        events.push({ name: event.name, body: { ...event.body, subscriptions: matched } });
      }
    }
    // Extra events only ever for an entry the recipient may see (the policy's answer above), whatever its
    // subscriptions match: a hit on an alert it may not see is never sent.
    return { events, extras: extras(e, recipient) };
  }

  /** Replays (cursor, processed] from PostgreSQL at the socket's pace, then goes live without yielding in between. */
  private async replay(s: Session): Promise<void> {
    const recipient = {
      orgId: s.port.orgId,
      hubAdmin: s.hubAdmin,
      get trustLevel() {
        return s.trustLevel;
      },
    };
    const low = Math.max(1, Math.floor(this.config.TOCSIN_SOCKET_MAX_QUEUE / 2));
    try {
      // Never decide synchronously: a socket switched to replay in the middle of offering an entry must see the
      // tail's position move past that entry first, so replay includes it. Waiting for its queue does both.
      await s.port.drained();
      for (;;) {
        const upTo = this.processed;
        while (s.cursor < upTo) {
          if (!s.port.connected) {
            return;
          }
          if (s.port.backlog() > low) {
            await s.port.drained();
            continue;
          }
          const page = await this.feed.replayPage(recipient, s.cursor, upTo, this.config.TOCSIN_REPLAY_BATCH);
          const entries = page.events.map((x) => x.entry);
          const subjects = s.subscriptions ? await this.feed.subjects(entries) : null;
          const now = new Date();
          const extras = await this.prepareExtras(entries, [recipient], now);
          let sent = 0;
          for (const { entry } of page.events) {
            const d = this.deliveryFor(s, entry, subjects?.get(entry.seq), now, extras);
            for (const ev of d.events) {
              s.port.emit(ev.name, ev.body);
            }
            if (d.events.some((ev) => ev.name === 'alert')) {
              for await (const c of this.feed.chunkStream(entry)) {
                s.port.emit('alert-indicators', c);
              }
            }
            for (const ev of d.extras) {
              s.port.emit(ev.name, ev.body);
            }
            sent += d.events.length + d.extras.length;
          }
          this.metrics.eventsEmitted.inc({ kind: 'replay' }, sent);
          s.cursor = page.scannedTo;
        }
        if (this.processed === upTo && s.port.connected) {
          s.live = true;
          return;
        }
        if (!s.port.connected) {
          return;
        }
      }
    } catch (e) {
      this.log.warn({ orgId: s.port.orgId, error: errorFacts(e) }, 'replay failed; disconnecting');
      s.port.disconnect();
    }
  }

  /**
   * Runs a tail pass now, or right after the one in progress; not at all when `upTo` (the wake-up's seq, as text)
   * is already sent. `entries`: what a worker's wake-up carried (checked
   * by entriesFromWake; anything else is ignored). The tail takes them instead of reading the log when they follow
   * on from where it is, which they do unless another group's wake-up is still on its way: then it reads the log.
   */
  wake(entries?: unknown, upTo?: unknown): void {
    // Before start() knows the log's head there is nothing to tail from (a wake-up in-process can come that early).
    if (this.stopped || !this.started) {
      return;
    }
    // A wake-up for what this gateway has already sent (it was woken for it in-process, see
    // SocketBroadcaster.onPublished, or read it on a poll) needs no pass.
    const head = typeof upTo === 'string' && /^\d{1,15}$/.test(upTo) ? Number(upTo) : null;
    if (head !== null) {
      // Sent already, or a pass is due that will send it (woken for it after its commit: the in-process wake-up
      // comes first, its Redis copy after).
      if (head <= Math.max(this.processed, this.wokenUpTo)) {
        return;
      }
      this.wokenUpTo = head;
    }
    const carried = entries === undefined ? null : entriesFromWake(entries);
    if (carried) {
      if (this.hinted.size + carried.length > HINTED_MAX) {
        this.hinted.clear();
      }
      for (const e of carried) {
        if (e.seq > this.processed) {
          this.hinted.set(e.seq, e);
        }
      }
    }
    if (this.tailRunning) {
      this.tailAgain = true;
      return;
    }
    this.tailRunning = this.tail().finally(() => {
      this.tailRunning = null;
      if (this.tailAgain) {
        this.tailAgain = false;
        this.wake();
      }
    });
  }

  private async tail(): Promise<void> {
    try {
      for (;;) {
        const entries = this.takeHinted() ?? (await this.feed.tail(this.processed, TAIL_BATCH));
        // Always, even with no subscribed socket now: one may go live while this batch is being offered.
        const subjects = entries.length > 0 ? await this.feed.subjects(entries) : null;
        const extras = await this.prepareExtras(entries, this.recipients(), new Date());
        for (const e of entries) {
          // Offer and advance in one synchronous step, so a socket switching from replay to live can never fall
          // between the two; then send a large alert's follow-up chunks to the sockets it went to. The tail is
          // sequential, so those chunks still come before any later entry on each socket.
          const targets = this.offer(e, subjects?.get(e.seq), extras);
          this.processed = e.seq;
          if (targets.some((t) => t.alert)) {
            // Each chunk is sent as soon as it is read (the next one is read meanwhile).
            for await (const c of this.feed.chunkStream(e)) {
              for (const t of targets) {
                if (t.alert) {
                  t.port.emit('alert-indicators', c);
                }
              }
            }
          }
          for (const t of targets) {
            for (const ev of t.extras) {
              t.port.emit(ev.name, ev.body);
            }
          }
        }
        if (entries.length < TAIL_BATCH || this.stopped) {
          return;
        }
      }
    } catch (e) {
      this.log.warn({ error: errorFacts(e) }, 'publish log tail failed; will retry');
    }
  }

  /**
   * The wake-up entries that follow on from the tail's position without a gap (at most TAIL_BATCH), or null when the
   * next one was not carried; those at or below the batch's end are forgotten either way.
   */
  private takeHinted(): LogEntry[] | null {
    if (this.hinted.size === 0) {
      return null;
    }
    const out: LogEntry[] = [];
    for (let seq = this.processed + 1; out.length < TAIL_BATCH; seq++) {
      const e = this.hinted.get(seq);
      if (!e) {
        break;
      }
      out.push(e);
    }
    const end = this.processed + out.length;
    for (const seq of this.hinted.keys()) {
      if (seq <= end) {
        this.hinted.delete(seq);
      }
    }
    return out.length > 0 ? out : null;
  }

  /**
   * Offers an entry to every live session; returns the sockets it sent something to (whether the `alert` event, owed
   * its chunks, and the extra events to send after them). A socket whose queue is
   * over the limit is not sent it: it is told `lagging` and switched to replay from its cursor (which stays just
   * below this entry), so it gets this entry and what follows from PostgreSQL, at its own pace, then goes live.
   */
  private offer(
    e: LogEntry,
    subject: DeliverySubject | null | undefined,
    extras: PreparedExtras,
  ): { port: SocketPort; alert: boolean; extras: readonly SocketEvent[] }[] {
    const targets: { port: SocketPort; alert: boolean; extras: readonly SocketEvent[] }[] = [];
    const now = new Date();
    let sent = 0;
    for (const s of this.sessions.values()) {
      if (!s.live || e.seq <= s.cursor) {
        continue;
      }
      const d = this.deliveryFor(s, e, subject, now, extras);
      if (d.events.length + d.extras.length > 0 && s.port.backlog() >= this.config.TOCSIN_SOCKET_MAX_QUEUE) {
        this.lagging(s);
        continue;
      }
      s.cursor = e.seq;
      for (const ev of d.events) {
        s.port.emit(ev.name, ev.body);
      }
      const alert = d.events.some((ev) => ev.name === 'alert');
      if (alert || d.extras.length > 0) {
        targets.push({ port: s.port, alert, extras: d.extras });
      }
      sent += d.events.length + d.extras.length;
    }
    if (sent > 0) {
      this.metrics.eventsEmitted.inc({ kind: 'live' }, sent);
      this.metrics.deliveryLag.observe(Math.max(0, (Date.now() - e.publishedAt.getTime()) / 1000));
    }
    return targets;
  }

  private lagging(s: Session): void {
    s.live = false;
    const queued = s.port.backlog();
    s.port.emit('lagging', { seq: s.cursor, queued });
    this.metrics.eventsEmitted.inc({ kind: 'lagging' });
    this.log.warn({ orgId: s.port.orgId, keyId: s.port.keyId, seq: s.cursor, queued }, 'socket lagging; replaying');
    void this.replay(s);
  }

  /**
   * `ack`: the highest seq a client processed, for one of its subscriptions or (none named) all of them. Stored
   * (monotonic) with others in one write within TOCSIN_ACK_FLUSH_MS; answered once it is committed. A socket
   * without subscriptions has no server-kept cursor.
   */
  async ack(portId: string, req: unknown): Promise<AckAnswer> {
    const s = this.sessions.get(portId);
    const r = (typeof req === 'object' && req !== null ? req : {}) as Partial<AckRequest>;
    if (!s) {
      return { ok: false, error: 'not-connected' };
    }
    if (typeof r.seq !== 'number' || !Number.isSafeInteger(r.seq) || r.seq < 0) {
      return { ok: false, error: 'invalid seq: a non-negative integer' };
    }
    if (r.seq > Math.max(s.cursor, this.processed)) {
      return { ok: false, error: 'invalid seq: beyond what this socket was sent' };
    }
    if (s.subscriptions === null) {
      return { ok: false, error: 'no-subscription: this socket is attached to no subscription' };
    }
    const ids =
      r.subscription === undefined
        ? s.subscriptions.map((x) => x.id)
        : s.subscriptions.some((x) => x.id === r.subscription)
          ? [r.subscription]
          : null;
    if (!ids) {
      return { ok: false, error: 'subscription-not-attached' };
    }
    const seq = r.seq;
    const done = await Promise.all(ids.map((id) => this.queueAck(id, s.port.orgId, seq)));
    return done.every(Boolean) ? { ok: true, subscriptions: ids, seq } : { ok: false, error: 'unavailable' };
  }

  private queueAck(id: string, orgId: string, seq: number): Promise<boolean> {
    return new Promise((resolve) => {
      const p = this.pendingAcks.get(id);
      if (p) {
        p.seq = Math.max(p.seq, seq);
        p.waiters.push(resolve);
      } else {
        this.pendingAcks.set(id, { orgId, seq, waiters: [resolve] });
      }
      this.ackTimer ??= setTimeout(() => {
        this.ackTimer = null;
        void this.flushAcks();
      }, this.config.TOCSIN_ACK_FLUSH_MS);
    });
  }

  private async flushAcks(): Promise<void> {
    const batch = this.pendingAcks;
    if (batch.size === 0) {
      return;
    }
    this.pendingAcks = new Map();
    let ok = true;
    try {
      await this.subscriptionsRepo.ack([...batch].map(([id, a]) => ({ id, orgId: a.orgId, seq: a.seq })));
    } catch (e) {
      ok = false;
      this.log.warn({ count: batch.size, error: errorFacts(e) }, 'storing acks failed');
    }
    for (const a of batch.values()) {
      a.waiters.forEach((w) => w(ok));
    }
  }

  /** A trust change made through the API: later deliveries to that org's sockets follow the new level. */
  orgChanged(change: { orgId?: unknown; trustLevel?: unknown }): void {
    const level = change.trustLevel;
    if (typeof change.orgId !== 'string' || !isTrustLevel(level)) {
      return;
    }
    for (const s of this.sessions.values()) {
      if (s.port.orgId === change.orgId) {
        s.trustLevel = level;
        if (level === 0) {
          s.port.disconnect();
        }
      }
    }
  }

  /**
   * A subscription changed or was deleted through the API: its sockets follow its new filters at once; a socket
   * left with none of its subscriptions is disconnected (it never silently widens to the whole feed).
   */
  async subscriptionChanged(change: { orgId?: unknown; subscriptionId?: unknown }): Promise<void> {
    const { orgId, subscriptionId: id } = change;
    if (typeof orgId !== 'string' || typeof id !== 'string') {
      return;
    }
    const attached = [...this.sessions.values()].filter(
      (s) => s.port.orgId === orgId && s.subscriptions?.some((x) => x.id === id),
    );
    if (attached.length === 0) {
      return;
    }
    try {
      const [row] = await this.subscriptionsRepo.findOwn(orgId, [id]);
      for (const s of attached) {
        const subs = (s.subscriptions ?? []).flatMap((x) =>
          x.id !== id ? [x] : row ? [{ id, filter: row.filters }] : [],
        );
        s.subscriptions = subs;
        if (subs.length === 0) {
          s.port.disconnect();
        }
      }
    } catch (e) {
      this.log.warn({ orgId, subscriptionId: id, error: errorFacts(e) }, 'subscription reload failed; disconnecting');
      attached.forEach((s) => s.port.disconnect());
    }
  }

  /** Belt and braces for revocation: drops sockets whose key (or session) or org no longer stands. */
  private async recheckKeys(): Promise<void> {
    const sessions = [...this.sessions.values()];
    if (sessions.length === 0) {
      return;
    }
    try {
      const valid = await this.orgs.validKeys([...new Set(sessions.map((s) => s.port.recheckId ?? s.port.keyId))]);
      for (const s of sessions) {
        if (!valid.has(s.port.recheckId ?? s.port.keyId)) {
          s.port.disconnect();
        }
      }
    } catch (e) {
      this.log.warn({ error: errorFacts(e) }, 'key recheck failed');
    }
  }
}
