import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { generateApiKey } from '@tocsin/domain';
import { parseConfig } from '@tocsin/platform';
import { startTocsin, type RunningTocsin } from '@tocsin/runtime';
import { rolesNamed, type RoleName } from '../../apps/hub/src/roles';
import { REDIS_TEST_URL } from './pg';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestHub {
  readonly url: string;
  readonly adminKey: string;
  readonly db: TestDatabase;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly running: RunningTocsin;
  http(
    method: string,
    path: string,
    key: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface HttpResult {
  status: number;
  body: any;
  headers: Headers;
}

export interface TestHubOptions {
  readonly roles?: readonly RoleName[];
  readonly redisUrl?: string;
  readonly env?: Record<string, string>;
  /** Reuse a database (several processes of one topology); created and dropped by the hub otherwise. */
  readonly db?: TestDatabase;
  readonly prefix?: string;
  readonly adminKey?: string;
}

/** Boots Tocsin in-process on its own database and Redis key prefix, on a free port. */
export async function startTestHub(opts: TestHubOptions = {}): Promise<TestHub> {
  const db = opts.db ?? (await createTestDatabase());
  const prefix = opts.prefix ?? `t${randomBytes(5).toString('hex')}`;
  const redisUrl = opts.redisUrl ?? REDIS_TEST_URL;
  const adminKey = opts.adminKey ?? generateApiKey((n) => randomBytes(n)).key;
  const parsed = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TOCSIN_TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    TOCSIN_REDIS_PREFIX: prefix,
    TOCSIN_BOOTSTRAP_ADMIN_KEY: adminKey,
    TOCSIN_DB_POOL_SIZE: '5',
    TOCSIN_OUTBOX_POLL_MS: '200',
    TOCSIN_GATEWAY_POLL_MS: '200',
    TOCSIN_METRICS: 'false',
    ...opts.env,
  });
  if (!parsed.ok) {
    throw new Error(parsed.problems.join('; '));
  }
  const engines = {
    databaseUrl: db.url,
    redisUrl,
    started: { embeddedPostgres: false, privateRedis: false },
    stop: async () => {},
  };
  const running = await startTocsin(parsed.config, engines, rolesNamed(opts.roles ?? ['api', 'worker', 'gateway']));
  const url = `http://127.0.0.1:${running.port}`;
  return {
    url,
    adminKey,
    db,
    redisUrl,
    prefix,
    running,
    async http(method, path, key, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsedBody: unknown = text;
      try {
        parsedBody = text ? JSON.parse(text) : null;
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsedBody, headers: res.headers };
    },
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

export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) {
        await r.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
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

export function waitConnected(c: AlertClient): Promise<void> {
  return new Promise((resolve, reject) => {
    if (c.socket.connected) {
      resolve();
      return;
    }
    c.socket.once('connect', () => resolve());
    c.socket.once('connect_error', (e: Error) => reject(e));
  });
}
