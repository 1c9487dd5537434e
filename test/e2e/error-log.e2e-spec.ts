import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@tocsin/domain';
import { buildAlert } from '../factories/alerts';
import { eventually } from '../harness/eventually';
import { deleteRedisPrefix } from '../harness/hub';
import { REDIS_TEST_URL } from '../harness/pg';
import { freePort, startRole, type RoleProcess } from '../harness/processes';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

/**
 * A forced 500, read in the process's own log (stdout, LOG_LEVEL=trace): the database refuses the alert with a
 * check constraint whose message detail quotes the whole row, and TypeORM's error carries the query's parameters.
 * The log says the error's class, SQLSTATE and constraint and the request id, and none of the submitted text.
 */
const TITLE = 'Operation Nightjar phishing wave';
const DESCRIPTION = 'Whimbrel lures sent to finance teams';
const INDICATOR = 'curlew-c2.example.net';

let db: TestDatabase;
let api: RoleProcess;
let url: string;
const prefix = `l${randomBytes(5).toString('hex')}`;
const adminKey = generateApiKey((n) => randomBytes(n)).key;

async function http(method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : null };
}

function logLines(): Record<string, any>[] {
  return api
    .output()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, any>];
      } catch {
        return []; // the first line of the kept tail may be cut
      }
    });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const port = await freePort();
  api = startRole('api', {
    DATABASE_URL: db.url,
    REDIS_URL: REDIS_TEST_URL,
    TOCSIN_REDIS_PREFIX: prefix,
    TOCSIN_BOOTSTRAP_ADMIN_KEY: adminKey,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'trace',
    TOCSIN_DB_POOL_SIZE: '2',
  });
  url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    const r = await fetch(`${url}/api/v1/health`);
    expect(r.status).toBe(200);
  }, 60_000);
}, 90_000);

afterAll(async () => {
  await api?.stop();
  await db?.drop();
  await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
});

describe('the log of a forced 500', () => {
  it('holds the error class, SQLSTATE, constraint and request id, and no submitted text', async () => {
    const org = await http('POST', '/api/v1/orgs', adminKey, { name: 'CERT Log', country: 'FR', trustLevel: 3 });
    expect(org.status).toBe(201);
    const key = await http('POST', `/api/v1/orgs/${org.body!.id}/keys`, adminKey, { role: 'operator' });
    expect(key.status).toBe(201);

    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`ALTER TABLE alerts ADD CONSTRAINT no_nightjar CHECK (title NOT LIKE '%Nightjar%')`);
    } finally {
      await c.end();
    }

    const body = buildAlert({
      title: TITLE,
      description: DESCRIPTION,
      indicators: [{ type: 'domain', value: INDICATOR }],
    });
    const r = await http('POST', '/api/v1/alerts', key.body!.key, body, { 'x-request-id': 'forced-500-json' });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ type: 'urn:tocsin:problem:internal', instance: 'forced-500-json' });
    expect(JSON.stringify(r.body)).not.toContain('Nightjar');

    // The same through a query string (a CSV list's title), which the request log must not echo either.
    const q = await http(
      'POST',
      `/api/v1/alerts?title=${encodeURIComponent(TITLE)}&description=${encodeURIComponent(DESCRIPTION)}`,
      key.body!.key,
      `type,value\ndomain,${INDICATOR}\n`,
      { 'content-type': 'text/csv', 'x-request-id': 'forced-500-csv' },
    );
    expect(q.status).toBe(500);

    await eventually(() => {
      const unhandled = logLines().filter((l) => l.msg === 'unhandled error');
      expect(unhandled.map((l) => l.requestId)).toEqual(['forced-500-json', 'forced-500-csv']);
    }, 10_000);
    const unhandled = logLines().filter((l) => l.msg === 'unhandled error');
    for (const line of unhandled) {
      expect(line.level).toBe(50);
      expect(line.error).toMatchObject({
        class: 'QueryFailedError',
        code: '23514',
        constraint: 'no_nightjar',
        table: 'alerts',
      });
      expect(line.error.message).toBeUndefined();
      expect(line.error.stack).toMatch(/^\s+at /);
    }
    const out = api.output();
    expect(out).toContain('forced-500-json');
    for (const secret of ['Nightjar', 'Whimbrel', 'curlew', 'Operation%20', 'INSERT INTO', 'Failing row']) {
      expect(out, `the log holds ${secret}`).not.toContain(secret);
    }
  });
});
