import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, deleteRedisPrefix, waitConnected, type TestHub } from '../harness/hub';
import { REDIS_TEST_URL } from '../harness/pg';
import { freePort, startRole, type RoleProcess } from '../harness/processes';

/**
 * The README's quick start: the hub with no DATABASE_URL starts an embedded PostgreSQL (its own port, data
 * in TOCSIN_DATA_DIR), creates the hub org and prints an admin key once; a second start reuses the data.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-quick-'));
// As root the embedded PostgreSQL runs as `postgres`, which must be able to enter the folder.
chmodSync(dataDir, 0o755);
const prefix = `q${randomBytes(5).toString('hex')}`;
let hub: RoleProcess | null = null;

afterAll(async () => {
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
}, 60_000);

function client(url: string, adminKey: string): TestHub {
  return {
    url,
    adminKey,
    http: async (method: string, path: string, key: string | null, body?: unknown) => {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
  } as unknown as TestHub;
}

describe('quick start: the hub on embedded PostgreSQL', () => {
  it(
    'starts with no DATABASE_URL, prints an admin key once, serves the console and pushes a trust-3 alert to another trust-3 org',
    { timeout: 240_000 },
    async () => {
      const [port, pgPort] = await Promise.all([freePort(), freePort()]);
      const env = {
        PORT: String(port),
        TOCSIN_DATA_DIR: dataDir,
        TOCSIN_EMBEDDED_PG_PORT: String(pgPort),
        TOCSIN_REDIS_PREFIX: prefix,
        LOG_LEVEL: 'warn',
      };
      hub = startRole('hub', env);
      const url = `http://127.0.0.1:${port}`;
      const adminKey = await eventually(() => {
        const m = /Admin API key[^\n]*\n\s*\n\s*(tcs_\S+)/.exec(hub!.output());
        if (!m?.[1]) {
          throw new Error(`no key printed yet: ${hub!.output().slice(-500)}`);
        }
        return m[1];
      }, 90_000);
      await eventually(async () => expect((await fetch(`${url}/api/v1/health`)).status).toBe(200), 30_000);
      // The web console, from the build (dist/console): / leads to it.
      const root = await fetch(`${url}/`, { redirect: 'manual' });
      expect([root.status, root.headers.get('location')]).toEqual([302, '/console/']);
      const consolePage = await fetch(`${url}/console/`);
      expect(consolePage.status).toBe(200);
      expect(await consolePage.text()).toContain('<title>Tocsin console</title>');
      const h = client(url, adminKey);
      const sender = await seedOrg(h, { trustLevel: 3, country: 'EE' });
      const receiver = await seedOrg(h, { trustLevel: 3, country: 'LV' });
      const c = connectAlerts(url, receiver.keys.reader);
      try {
        await waitConnected(c);
        const r = await h.http(
          'POST',
          '/api/v1/alerts',
          sender.keys.operator,
          buildAlert({ title: 'Quick start alert' }),
        );
        expect(r.status).toBe(202);
        await eventually(() => expect(c.events.map((e) => e.alert.id)).toEqual([r.body.id]), 30_000);
      } finally {
        c.close();
      }
      expect(await hub.stop()).toBe(0);

      // Second start: same data, no new key, the org created before is still there.
      hub = startRole('hub', env);
      await eventually(async () => expect((await fetch(`${url}/api/v1/health`)).status).toBe(200), 90_000);
      const again = await h.http('GET', `/api/v1/orgs/${receiver.id}`, adminKey);
      expect(again.status).toBe(200);
      expect(hub.output()).not.toContain('Admin API key');
      expect(await hub.stop()).toBe(0);
      hub = null;
    },
  );
});
