import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createAdapter, type RedisAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server, type Namespace } from 'socket.io';
import { durableRedisOptions } from '../redis/redis-options';
import { RedisFactory } from '../redis/redis.factory';
import { ALERTS_NAMESPACE, orgRoom, socketIoKey } from './socket-broadcaster';

/** Sockets connected across every gateway, as far as one caller may know (see the README, "Dashboard"). */
export interface SocketPresenceCount {
  /** Sockets open with the caller's organisation's keys or sessions, on every gateway. */
  readonly ownSockets: number;
  /** Organisations with at least one socket open (a number: no organisation is named). */
  readonly organisations: number;
}

/**
 * Asks every gateway, through socket.io's Redis adapter (the same rooms `org:<id>` the gateways join), who is
 * connected. A detached socket.io server (no HTTP listener, no sockets of its own) sends the adapter's
 * `fetchSockets` and `allRooms` requests, which every gateway answers; so any process (the api role) can ask.
 */
@Injectable()
export class SocketPresence implements OnApplicationShutdown {
  private readonly log = new Logger(SocketPresence.name);
  private server: Server | null = null;
  /** Its own connections, not the factory's: the factory's shutdown would close them under the adapter. */
  private clients: Redis[] = [];

  constructor(private readonly redis: RedisFactory) {}

  private ns(): Namespace {
    if (!this.server) {
      const pub = new Redis(this.redis.url, { ...durableRedisOptions(), connectionName: 'tocsin:socket-presence-pub' });
      const sub = new Redis(this.redis.url, { ...durableRedisOptions(), connectionName: 'tocsin:socket-presence-sub' });
      for (const r of [pub, sub]) {
        r.on('error', (e: Error) => this.log.debug({ err: e.message }, 'socket presence redis error'));
      }
      this.clients = [pub, sub];
      this.server = new Server({ serveClient: false });
      this.server.adapter(createAdapter(pub, sub, { key: socketIoKey(this.redis.prefix), requestsTimeout: 2_000 }));
    }
    return this.server.of(ALERTS_NAMESPACE);
  }

  /** What the caller's organisation may know of who is connected; null when a gateway did not answer in time. */
  async count(orgId: string): Promise<SocketPresenceCount | null> {
    try {
      const ns = this.ns();
      const asked = Promise.all([ns.in(orgRoom(orgId)).fetchSockets(), (ns.adapter as RedisAdapter).allRooms()]);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer in 3 s')), 3_000);
      });
      const [own, rooms] = await Promise.race([asked, late]).finally(() => clearTimeout(timer));
      const orgRooms = [...rooms].filter((r) => r.startsWith(orgRoom('')));
      return { ownSockets: own.length, organisations: orgRooms.length };
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'socket presence unknown');
      return null;
    }
  }

  onApplicationShutdown(): void {
    // The server has no listener and no socket of its own: dropping its connections is all there is to close.
    this.server = null;
    this.clients.forEach((r) => r.disconnect());
    this.clients = [];
  }
}
