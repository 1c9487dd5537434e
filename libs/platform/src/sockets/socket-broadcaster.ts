import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { RedisFactory } from '../redis/redis.factory';

export const ALERTS_NAMESPACE = '/alerts';
export const socketIoKey = (prefix: string): string => `${prefix}:socket.io`;
export const keyRoom = (keyId: string): string => `key:${keyId}`;
export const orgRoom = (orgId: string): string => `org:${orgId}`;

/**
 * Talks to every gateway process through socket.io's Redis adapter (via @socket.io/redis-emitter), from any
 * process: the API cuts a revoked key's sockets, the worker wakes the gateways after a publish.
 */
@Injectable()
export class SocketBroadcaster implements OnApplicationShutdown {
  private readonly log = new Logger(SocketBroadcaster.name);
  private client: Redis | null = null;
  private emitter: Emitter | null = null;
  private readonly localPublished: ((seq: string, entries?: readonly unknown[]) => void)[] = [];

  constructor(private readonly redis: RedisFactory) {}

  private ns() {
    if (!this.emitter) {
      const client = this.redis.failFast('socket-emitter');
      this.client = client;
      // The emitter publishes without awaiting; catch here so a Redis outage is a warning, not a crash.
      const publisher = {
        publish: (channel: string, message: string) =>
          client.publish(channel, message).catch((e: Error) => {
            this.log.warn({ err: e.message }, 'socket broadcast failed');
            return 0;
          }),
      };
      this.emitter = new Emitter(publisher, { key: socketIoKey(this.redis.prefix) });
    }
    return this.emitter.of(ALERTS_NAMESPACE);
  }

  /** Disconnects, on every gateway, the sockets opened with this key. */
  disconnectKey(keyId: string): void {
    this.safely(() => this.ns().in(keyRoom(keyId)).disconnectSockets(true));
  }

  /** Disconnects, on every gateway, every socket of this organisation. */
  disconnectOrg(orgId: string): void {
    this.safely(() => this.ns().in(orgRoom(orgId)).disconnectSockets(true));
  }

  /** Tells every gateway an organisation's trust level changed, so live delivery follows it at once. */
  orgChanged(orgId: string, trustLevel: number): void {
    this.safely(() => this.ns().serverSideEmit('org-changed', { orgId, trustLevel }));
  }

  /** Tells every gateway a subscription's filters changed or it was deleted: attached sockets follow at once. */
  subscriptionChanged(orgId: string, subscriptionId: string): void {
    this.safely(() => this.ns().serverSideEmit('subscription-changed', { orgId, subscriptionId }));
  }

  /**
   * Tells every gateway that the publish log grew up to `seq` (a hint: gateways also poll), with the new entries when
   * the publisher passes them (a gateway that has reached them sends them without reading the log back).
   */
  published(seq: string, entries?: readonly unknown[]): void {
    for (const listener of this.localPublished) {
      this.safely(() => listener(seq, entries));
    }
    this.safely(() =>
      entries === undefined
        ? this.ns().serverSideEmit('published', seq)
        : this.ns().serverSideEmit('published', seq, entries),
    );
  }

  /**
   * A gateway in this process hears `published` at once, without the round trip through Redis (it still gets the
   * Redis copy, which it then skips: DeliveryEngine.wake ignores a seq it has sent). Other processes' gateways hear
   * it through Redis only.
   */
  onPublished(listener: (seq: string, entries?: readonly unknown[]) => void): void {
    this.localPublished.push(listener);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'socket broadcast failed');
    }
  }

  onApplicationShutdown(): void {
    this.localPublished.length = 0;
    this.emitter = null;
    this.client = null;
  }
}
