import { Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  ConstituencyRouter,
  DeliveryEngine,
  type AckAnswer,
  type ClientToServerEvents,
  type ServerEventName,
  type ServerToClientEvents,
  type SocketPort,
} from '@tocsin/delivery';
import { AuthenticateKeyUseCase, AuthenticateSessionUseCase } from '@tocsin/orgs';
import {
  ALERTS_NAMESPACE,
  APP_CONFIG,
  type AppConfig,
  RateLimiter,
  SocketBroadcaster,
  keyRoom,
  orgRoom,
  trustProxyValue,
} from '@tocsin/platform';
import type { Namespace, Socket } from 'socket.io';
import { socketAuthMiddleware, type SocketData } from './socket-auth.middleware';
import { compileTrustProxy } from './socket-address';

export type { ServerToClientEvents, ClientToServerEvents } from '@tocsin/delivery';

/** Events between gateways (through the Redis adapter): wake-ups and changes made through the API. */
interface InterServerEvents {
  /** `entries`: the new log entries, when the publisher sent them (libs/delivery's wake-entries.ts checks them). */
  published: (seq: string, entries?: unknown) => void;
  'org-changed': (change: { orgId?: unknown; trustLevel?: unknown }) => void;
  'subscription-changed': (change: { orgId?: unknown; subscriptionId?: unknown }) => void;
}

type AlertsNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type AlertsSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * A socket.io socket as the delivery engine's port. Its backlog counts the packets emitted since engine.io last
 * handed its write buffer to the transport (its public `drain` event): while the network takes what it is given,
 * each emit is flushed at once and the backlog stays 0; when the client stops reading, the transport stays busy
 * and every later emit waits in the buffer, counted here.
 */
function toPort(socket: AlertsSocket): SocketPort {
  const conn = socket.conn;
  let backlog = 0;
  const waiting = new Set<() => void>();
  const release = () => {
    waiting.forEach((w) => w());
    waiting.clear();
  };
  conn.on('drain', () => {
    backlog = 0;
    release();
  });
  conn.once('close', release);
  return {
    id: socket.id,
    orgId: socket.data.actor.orgId,
    keyId: socket.data.actor.keyId,
    // What the engine rechecks (OrgDirectory.validKeys) for a socket opened with a session: that session.
    ...(socket.data.sessionId ? { recheckId: socket.data.sessionId } : {}),
    get connected() {
      return socket.connected;
    },
    emit: (name: ServerEventName, body: object) => {
      backlog += 1;
      (socket.emit as (n: string, b: object) => boolean)(name, body);
    },
    disconnect: () => void socket.disconnect(true),
    backlog: () => backlog,
    drained: () =>
      new Promise<void>((resolve) => {
        if (backlog === 0 || !socket.connected) {
          resolve();
          return;
        }
        waiting.add(resolve);
      }),
  };
}

/**
 * The /alerts namespace: a thin adapter. Authenticates in the handshake (and resolves the subscriptions it
 * names), joins the org and key rooms, and hands each socket to the DeliveryEngine, which decides everything
 * delivered (see libs/delivery). `ack` goes to the engine and is answered through the socket.io ack callback.
 */
@WebSocketGateway({ namespace: ALERTS_NAMESPACE, cors: { origin: false } })
export class AlertsGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly log = new Logger(AlertsGateway.name);
  @WebSocketServer() private nsp!: AlertsNamespace;

  constructor(
    private readonly engine: DeliveryEngine,
    constituency: ConstituencyRouter,
    private readonly authenticate: AuthenticateKeyUseCase,
    private readonly authenticateSession: AuthenticateSessionUseCase,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    broadcaster: SocketBroadcaster,
  ) {
    engine.addRecipientEvents(constituency);
    // A worker in this process (the one-process hub) wakes this gateway directly; others' wake-ups come over Redis.
    broadcaster.onPublished((seq, entries) => engine.wake(entries, seq));
  }

  afterInit(nsp: AlertsNamespace): void {
    nsp.use(
      socketAuthMiddleware(
        this.authenticate,
        (actor, ids, lastSeq) => this.engine.prepare(actor, ids, lastSeq),
        {
          limiter: this.limiter,
          perMinute: this.config.TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
          trust: compileTrustProxy(trustProxyValue(this.config.TOCSIN_TRUST_PROXY)),
        },
        {
          authenticate: this.authenticateSession,
          publicOrigin: this.config.TOCSIN_PUBLIC_URL ? new URL(this.config.TOCSIN_PUBLIC_URL).origin : null,
        },
      ),
    );
    nsp.on('published', (seq: unknown, entries?: unknown) => this.engine.wake(entries, seq));
    nsp.on('org-changed', (change) => this.engine.orgChanged(change));
    nsp.on('subscription-changed', (change) => void this.engine.subscriptionChanged(change));
  }

  onApplicationBootstrap(): Promise<void> {
    return this.engine.start();
  }

  handleConnection(socket: AlertsSocket): void {
    const data = socket.data;
    // A session's socket also joins its session's room: signing out of that one session cuts it.
    void socket.join([
      orgRoom(data.actor.orgId),
      keyRoom(data.actor.keyId),
      ...(data.sessionId ? [keyRoom(data.sessionId)] : []),
    ]);
    socket.on('ack', (req, answer) => {
      void this.engine.ack(socket.id, req).then((a: AckAnswer) => {
        if (typeof answer === 'function') {
          answer(a);
        }
      });
    });
    this.engine.attach(toPort(socket), data.attachment);
    this.log.log(
      {
        orgId: data.actor.orgId,
        keyId: data.actor.keyId,
        lastSeq: data.lastSeq,
        subscriptions: data.attachment.subscriptions.length,
        startAfter: data.attachment.startAfter,
      },
      'socket connected',
    );
  }

  handleDisconnect(socket: AlertsSocket): void {
    this.engine.detach(socket.id);
  }

  onApplicationShutdown(): Promise<void> {
    return this.engine.stop();
  }
}
