import { Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  AlertFeed,
  ConstituencyRouter,
  type AlertEvent,
  type AlertIndicatorsEvent,
  type ConstituencyHitEvent,
  type LogEntry,
} from '@tocsin/delivery';
import { isTrustLevel, type TrustLevel } from '@tocsin/domain';
import { AuthenticateKeyUseCase, OrgDirectory } from '@tocsin/orgs';
import {
  ALERTS_NAMESPACE,
  APP_CONFIG,
  type AppConfig,
  Metrics,
  RateLimiter,
  keyRoom,
  orgRoom,
  trustProxyValue,
  errorFacts,
} from '@tocsin/platform';
import type { Namespace, Socket } from 'socket.io';
import { socketAuthMiddleware, type SocketData } from './socket-auth.middleware';
import { compileTrustProxy } from './socket-address';

/** Every event the server sends on /alerts. */
export interface ServerToClientEvents {
  alert: (event: AlertEvent) => void;
  'alert-updated': (event: { seq: number; alert: Record<string, unknown> }) => void;
  'alert-revoked': (event: { seq: number; alertId: string; reason: string; revokedAt: string }) => void;
  sighting: (event: { seq: number; alertId: string; type: string } & Record<string, unknown>) => void;
  'alert-indicators': (event: AlertIndicatorsEvent) => void;
  /** A coordinated alert as this recipient may see it, the first time it may (see README, "Coordinated alerts"). */
  'coordinated-alert': (event: { seq: number; coordinatedAlert: Record<string, unknown> }) => void;
  /** A change to a coordinated alert this recipient already has: reports joined, or its status changed. */
  'coordinated-alert-updated': (event: { seq: number; coordinatedAlert: Record<string, unknown> }) => void;
  /** A coordinated alert this recipient had no longer stands for it: reports it could see were revoked. */
  'coordinated-alert-withdrawn': (event: { seq: number; coordinatedAlertId: string }) => void;
  /** An alert this org may see touches its constituency: which indicators and countries (see README, "Constituency"). */
  'constituency-hit': (event: ConstituencyHitEvent) => void;
}

interface Subscriber {
  readonly socket: Socket;
  readonly data: SocketData;
  /** Highest seq this socket has been given (or skipped as not visible). */
  cursor: number;
  /** False while replaying from PostgreSQL; the tail feeds only live subscribers. */
  live: boolean;
  /** The org's trust level, kept current by `org-changed` events from the API. */
  trustLevel: TrustLevel;
}

const TAIL_BATCH = 500;
const KEY_RECHECK_MS = 30_000;

/**
 * The /alerts namespace. Each gateway tails the publish log (woken through the Redis adapter by the worker
 * after each publish, and by a poll), so fan-out across gateways needs no shared state and no event can be
 * lost between a commit and a push. A socket connecting with `auth.lastSeq` is replayed from PostgreSQL up
 * to the tail's position, then switched to live in the same tick: no gap, no duplicate, seq order.
 */
@WebSocketGateway({ namespace: ALERTS_NAMESPACE, cors: { origin: false } })
export class AlertsGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly log = new Logger(AlertsGateway.name);
  private readonly subscribers = new Map<string, Subscriber>();
  @WebSocketServer() private nsp!: Namespace;
  /** Highest seq the tail has processed: every entry up to it has been offered to the live subscribers. */
  private processed = 0;
  private tailRunning: Promise<void> | null = null;
  private tailAgain = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private keyTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly feed: AlertFeed,
    private readonly constituency: ConstituencyRouter,
    private readonly authenticate: AuthenticateKeyUseCase,
    private readonly orgs: OrgDirectory,
    private readonly metrics: Metrics,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(nsp: Namespace): void {
    nsp.use(
      socketAuthMiddleware(this.authenticate, {
        limiter: this.limiter,
        perMinute: this.config.TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
        trust: compileTrustProxy(trustProxyValue(this.config.TOCSIN_TRUST_PROXY)),
      }),
    );
    nsp.on('published', () => this.wake());
    nsp.on('org-changed', (change: { orgId?: unknown; trustLevel?: unknown }) => this.orgChanged(change));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.processed = await this.feed.head();
    this.pollTimer = setInterval(() => this.wake(), this.config.TOCSIN_GATEWAY_POLL_MS);
    this.keyTimer = setInterval(() => void this.recheckKeys(), KEY_RECHECK_MS);
  }

  handleConnection(socket: Socket): void {
    const data = socket.data as SocketData;
    void socket.join([orgRoom(data.actor.orgId), keyRoom(data.actor.keyId)]);
    const sub: Subscriber = {
      socket,
      data,
      cursor: data.lastSeq ?? this.processed,
      live: data.lastSeq === null,
      trustLevel: data.actor.trustLevel,
    };
    this.subscribers.set(socket.id, sub);
    this.metrics.socketsConnected.inc();
    this.log.log({ orgId: data.actor.orgId, keyId: data.actor.keyId, lastSeq: data.lastSeq }, 'socket connected');
    if (!sub.live) {
      void this.replay(sub);
    }
  }

  handleDisconnect(socket: Socket): void {
    if (this.subscribers.delete(socket.id)) {
      this.metrics.socketsConnected.dec();
    }
  }

  /** Replays (cursor, processed] from PostgreSQL, then goes live without yielding between check and switch. */
  private async replay(sub: Subscriber): Promise<void> {
    const s = {
      orgId: sub.data.actor.orgId,
      get trustLevel() {
        return sub.trustLevel;
      },
    };
    try {
      for (;;) {
        const upTo = this.processed;
        while (sub.cursor < upTo) {
          if (!sub.socket.connected) {
            return;
          }
          const page = await this.feed.replayPage(s, sub.cursor, upTo, this.config.TOCSIN_REPLAY_BATCH);
          const hits = await this.replayHits(page.events, s);
          for (const { entry, event } of page.events) {
            sub.socket.emit(event.name, event.body);
            for (const c of await this.feed.chunks(entry)) {
              sub.socket.emit('alert-indicators', c);
            }
            const hit = hits.get(entry.seq);
            if (hit) {
              sub.socket.emit('constituency-hit', hit);
              this.metrics.eventsEmitted.inc({ kind: 'replay' });
            }
          }
          this.metrics.eventsEmitted.inc({ kind: 'replay' }, page.events.length);
          sub.cursor = page.scannedTo;
        }
        if (this.processed === upTo) {
          sub.live = true;
          return;
        }
      }
    } catch (e) {
      this.log.warn({ orgId: s.orgId, error: errorFacts(e) }, 'replay failed; disconnecting');
      sub.socket.disconnect(true);
    }
  }

  /** Runs a tail pass now, or right after the one in progress. */
  wake(): void {
    if (this.stopped) {
      return;
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
        const entries = await this.feed.tail(this.processed, TAIL_BATCH);
        for (const e of entries) {
          // Offer and advance in one synchronous step, so a socket switching from replay to live can never fall
          // between the two; then send a large alert's follow-up chunks to the sockets it went to. The tail is
          // sequential, so those chunks still come before any later entry on each socket.
          const { targets, offered } = this.offer(e);
          this.processed = e.seq;
          if (targets.length > 0) {
            const chunks = await this.feed.chunks(e);
            for (const socket of targets) {
              for (const c of chunks) {
                socket.emit('alert-indicators', c);
              }
            }
          }
          await this.sendHits(e, offered);
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
   * Emits an entry to every live socket, each getting what it may see of it (if anything); returns those sockets,
   * and every subscriber the entry was offered to (each is owed its constituency hit, if any).
   */
  private offer(e: LogEntry): { targets: Socket[]; offered: Subscriber[] } {
    const targets: Socket[] = [];
    const offered: Subscriber[] = [];
    const now = new Date();
    for (const sub of this.subscribers.values()) {
      if (!sub.live || e.seq <= sub.cursor) {
        continue;
      }
      sub.cursor = e.seq;
      offered.push(sub);
      const event = this.feed.eventFor(e, { orgId: sub.data.actor.orgId, trustLevel: sub.trustLevel }, now);
      if (event) {
        sub.socket.emit(event.name, event.body);
        targets.push(sub.socket);
        this.metrics.eventsEmitted.inc({ kind: 'live' });
      }
    }
    if (targets.length > 0) {
      this.metrics.deliveryLag.observe(Math.max(0, (Date.now() - e.publishedAt.getTime()) / 1000));
    }
    return { targets, offered };
  }

  /**
   * Sends each subscriber the `constituency-hit` of an alert entry when its org's constituency is touched, right
   * after the alert and its chunks; whom, and whether at all, is decided in delivery (TLP and trust first). A failure
   * here costs the hits of this entry only, never the alerts.
   */
  private async sendHits(e: LogEntry, subs: readonly Subscriber[]): Promise<void> {
    if (e.event !== 'alert' || subs.length === 0) {
      return;
    }
    try {
      const hits = await this.constituency.hitsFor(
        e,
        subs.map((sub) => ({ orgId: sub.data.actor.orgId, trustLevel: sub.trustLevel })),
        new Date(),
      );
      for (const sub of subs) {
        const hit = hits.get(sub.data.actor.orgId);
        if (hit && sub.socket.connected) {
          sub.socket.emit('constituency-hit', hit);
          this.metrics.eventsEmitted.inc({ kind: 'live' });
        }
      }
    } catch (err) {
      this.log.warn({ seq: e.seq, err: (err as Error).message }, 'constituency routing failed for an entry');
    }
  }

  /** The constituency hits of a replay page, by seq; none (and a warning) if routing fails, never the alerts. */
  private async replayHits(
    events: readonly { entry: LogEntry }[],
    s: { orgId: string; trustLevel: TrustLevel },
  ): Promise<Map<number, ConstituencyHitEvent>> {
    try {
      return await this.constituency.hitsForSubscriber(
        events.map((x) => x.entry),
        s,
        new Date(),
      );
    } catch (err) {
      this.log.warn({ orgId: s.orgId, err: (err as Error).message }, 'constituency routing failed for a replay page');
      return new Map();
    }
  }

  /** A trust change made through the API: later deliveries to that org's sockets follow the new level. */
  private orgChanged(change: { orgId?: unknown; trustLevel?: unknown }): void {
    const level = change.trustLevel;
    if (typeof change.orgId !== 'string' || !isTrustLevel(level)) {
      return;
    }
    for (const sub of this.subscribers.values()) {
      if (sub.data.actor.orgId === change.orgId) {
        sub.trustLevel = level;
        if (level === 0) {
          sub.socket.disconnect(true);
        }
      }
    }
  }

  /** Belt and braces for revocation: drops sockets whose key or org no longer stands. */
  private async recheckKeys(): Promise<void> {
    const subs = [...this.subscribers.values()];
    if (subs.length === 0) {
      return;
    }
    try {
      const valid = await this.orgs.validKeys([...new Set(subs.map((s) => s.data.actor.keyId))]);
      for (const s of subs) {
        if (!valid.has(s.data.actor.keyId)) {
          s.socket.disconnect(true);
        }
      }
    } catch (e) {
      this.log.warn({ error: errorFacts(e) }, 'key recheck failed');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) {
      clearInterval(this.pollTimer);
    }
    if (this.keyTimer) {
      clearInterval(this.keyTimer);
    }
    await this.tailRunning;
  }
}
