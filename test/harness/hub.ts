import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { generateApiKey } from '@tocsin/domain';
import { parseConfig } from '@tocsin/platform';
import { startTocsin, type RunningTocsin } from '@tocsin/runtime';
import { rolesNamed, type RoleName } from '../../apps/hub/src/roles';
import type { HttpHub } from './http';
import { startInProcessHub } from './in-process-hub';
import { REDIS_TEST_URL } from './pg';
import { deleteRedisPrefix } from './redis';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestHub extends HttpHub {
  readonly db: TestDatabase;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly running: RunningTocsin;
  close(): Promise<void>;
}

export type { HttpResult } from './http';
export { deleteRedisPrefix } from './redis';

export interface TestHubOptions {
  readonly roles?: readonly RoleName[];
  readonly redisUrl?: string;
  readonly env?: Record<string, string>;
  /** Reuse a database (several processes of one topology); created and dropped by the hub otherwise. */
  readonly db?: TestDatabase;
  readonly prefix?: string;
  readonly adminKey?: string;
}

/** The hub's code as vitest loads it: the TypeScript sources. */
const SOURCES = { parseConfig, startTocsin, rolesNamed };

/** Boots Tocsin in-process on its own database and Redis key prefix, on a free port. */
export async function startTestHub(opts: TestHubOptions = {}): Promise<TestHub> {
  const db = opts.db ?? (await createTestDatabase());
  const prefix = opts.prefix ?? `t${randomBytes(5).toString('hex')}`;
  const redisUrl = opts.redisUrl ?? REDIS_TEST_URL;
  const adminKey = opts.adminKey ?? generateApiKey((n) => randomBytes(n)).key;
  const { running, url, http } = await startInProcessHub(SOURCES, {
    databaseUrl: db.url,
    redisUrl,
    prefix,
    adminKey,
    roles: opts.roles ?? ['api', 'worker', 'gateway'],
    env: { LOG_LEVEL: process.env.TOCSIN_TEST_LOG_LEVEL ?? 'silent', ...opts.env },
  });
  return {
    url,
    adminKey,
    db,
    redisUrl,
    prefix,
    running,
    http,
    async close() {
      await running.close();
      if (!opts.db) {
        await db.drop();
      }
      if (!opts.prefix) {
        await deleteRedisPrefix(redisUrl, prefix).catch(() => undefined);
      }
    },
  };
}

export interface AlertClient {
  readonly socket: Socket;
  readonly events: { seq: number; alert: any; subscriptions?: string[] }[];
  /** Every event received, in arrival order, with its name. */
  readonly all: { name: string; body: any }[];
  readonly errors: Error[];
  close(): void;
}

/** A socket.io client on /alerts that records every `alert` event (and, in `all`, every event). */
export function connectAlerts(
  hubUrl: string,
  token: string,
  lastSeq?: number,
  opts: { subscriptions?: unknown } = {},
): AlertClient {
  const socket = io(`${hubUrl}/alerts`, {
    auth: {
      token,
      ...(lastSeq === undefined ? {} : { lastSeq }),
      ...(opts.subscriptions === undefined ? {} : { subscriptions: opts.subscriptions }),
    },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const events: { seq: number; alert: any; subscriptions?: string[] }[] = [];
  const all: { name: string; body: any }[] = [];
  const errors: Error[] = [];
  socket.on('alert', (e: { seq: number; alert: any }) => events.push(e));
  socket.onAny((name: string, body: any) => all.push({ name, body }));
  socket.on('connect_error', (e: Error) => errors.push(e));
  return { socket, events, all, errors, close: () => socket.close() };
}

/** How long waitConnected waits for a socket that neither connects nor is refused. */
const WAIT_CONNECTED_MS = 20_000;

/**
 * Resolves once the socket is connected; rejects with its refusal (even one that came before this was called) or
 * after WAIT_CONNECTED_MS. One argument only: it is passed to `map` (`clients.map(waitConnected)`).
 */
export function waitConnected(c: AlertClient): Promise<void> {
  const timeoutMs = WAIT_CONNECTED_MS;
  return new Promise((resolve, reject) => {
    if (c.socket.connected) {
      resolve();
      return;
    }
    // A refusal may have come before this was asked (sockets are made first and awaited one by one): with
    // reconnection off, a recorded connect_error is final.
    if (c.errors.length > 0) {
      reject(c.errors[c.errors.length - 1]!);
      return;
    }
    const timer = setTimeout(() => {
      c.socket.off('connect', onConnect);
      c.socket.off('connect_error', onError);
      reject(new Error(`socket neither connected nor refused within ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnect = () => {
      clearTimeout(timer);
      c.socket.off('connect_error', onError);
      resolve();
    };
    const onError = (e: Error) => {
      clearTimeout(timer);
      c.socket.off('connect', onConnect);
      reject(e);
    };
    c.socket.once('connect', onConnect);
    c.socket.once('connect_error', onError);
  });
}

/** POSTs the alerts with at most `concurrency` in flight; answers their ids in the given order, or fails on any non-202. */
export async function submitAlerts(
  hub: Pick<HttpHub, 'http'>,
  bodies: readonly { key: string; body: Record<string, unknown> }[],
  concurrency = 8,
): Promise<string[]> {
  const ids: string[] = new Array<string>(bodies.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const { key, body } = bodies[i]!;
        const r = await hub.http('POST', '/api/v1/alerts', key, body);
        if (r.status !== 202) {
          throw new Error(`alert ${i}: expected 202, got ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        }
        ids[i] = r.body.id as string;
      }
    }),
  );
  return ids;
}
