import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

let hub: TestHub;
let member: SeededOrg;
let other: SeededOrg;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  member = await seedOrg(hub, { trustLevel: 3, country: 'ES' });
  other = await seedOrg(hub, { trustLevel: 3, country: 'PT' });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

const forged = 'tcs_AAAAAAAAAAAA_' + 'A'.repeat(43);

describe('HTTP authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['a malformed key', 'not-a-key'],
    ['a well-formed unknown key', forged],
  ])('answers 401 with a problem document for %s', async (_label, key) => {
    const r = await hub.http('GET', `/api/v1/orgs/${member.id}`, key);
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ type: 'urn:tocsin:problem:unauthorized', status: 401 });
  });

  it('answers 401 for a right lookup id with a wrong secret', async () => {
    const tampered = member.keys.reader.slice(0, -4) + (member.keys.reader.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await hub.http('GET', `/api/v1/orgs/${member.id}`, tampered)).status).toBe(401);
  });

  it('serves health without a key', async () => {
    const r = await hub.http('GET', '/api/v1/health', null);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
  });
});

describe('socket authentication', () => {
  it.each([
    ['no token', undefined],
    ['a malformed token', 'nope'],
    ['an unknown key', forged],
  ])('refuses a connection with %s (connect_error)', async (_label, token) => {
    const c = connectAlerts(hub.url, token as string);
    clients.push(c);
    await expect(waitConnected(c)).rejects.toThrow('unauthorized');
    expect(c.socket.connected).toBe(false);
  });

  it('refuses an invalid lastSeq', async () => {
    const c = connectAlerts(hub.url, member.keys.reader, -5);
    clients.push(c);
    await expect(waitConnected(c)).rejects.toThrow(/lastSeq/);
  });
});

describe('DELETE /api/v1/orgs/:id/keys/:keyId', () => {
  it('revokes a key at once: HTTP answers 401 and its open socket is cut', async () => {
    const org = await seedOrg(hub, { trustLevel: 3 });
    const c = connectAlerts(hub.url, org.keys.reader);
    clients.push(c);
    await waitConnected(c);
    const disconnected = new Promise<string>((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
    expect((await hub.http('GET', `/api/v1/orgs/${org.id}`, org.keys.reader)).status).toBe(200);
    const r = await hub.http('DELETE', `/api/v1/orgs/${org.id}/keys/${org.keyIds.reader}`, hub.adminKey);
    expect(r.status).toBe(200);
    expect(r.body.revokedAt).toEqual(expect.any(String));
    expect(await disconnected).toBe('io server disconnect');
    expect((await hub.http('GET', `/api/v1/orgs/${org.id}`, org.keys.reader)).status).toBe(401);
    const again = connectAlerts(hub.url, org.keys.reader);
    clients.push(again);
    await expect(waitConnected(again)).rejects.toThrow('unauthorized');
    // The org's other keys still work.
    expect((await hub.http('GET', `/api/v1/orgs/${org.id}`, org.keys.operator)).status).toBe(200);
  });

  it('answers 404 for a key of another org, and leaves it working', async () => {
    const r = await hub.http('DELETE', `/api/v1/orgs/${member.id}/keys/${other.keyIds.reader}`, hub.adminKey);
    expect(r.status).toBe(404);
    expect((await hub.http('GET', `/api/v1/orgs/${other.id}`, other.keys.reader)).status).toBe(200);
  });
});

describe('admin-only endpoints', () => {
  const newOrg = { name: 'Rogue CERT', country: 'FR', trustLevel: 4 };

  it.each(['operator', 'reader', 'vetter'] as const)(
    'refuses POST /api/v1/orgs to a member %s key (403)',
    async (role) => {
      const r = await hub.http('POST', '/api/v1/orgs', member.keys[role], newOrg);
      expect(r.status).toBe(403);
      expect(r.body.type).toBe('urn:tocsin:problem:forbidden');
    },
  );

  it('refuses POST /api/v1/orgs to a member org’s admin key (403): only the hub’s admins manage orgs', async () => {
    expect((await hub.http('POST', '/api/v1/orgs', member.keys.admin, newOrg)).status).toBe(403);
  });

  it.each(['operator', 'reader', 'vetter'] as const)(
    'refuses POST /api/v1/orgs/:id/keys to a %s key (403)',
    async (role) => {
      const r = await hub.http('POST', `/api/v1/orgs/${member.id}/keys`, member.keys[role], { role: 'admin' });
      expect(r.status).toBe(403);
    },
  );

  it.each(['operator', 'reader', 'vetter'] as const)('refuses DELETE of a key to a %s key (403)', async (role) => {
    const r = await hub.http('DELETE', `/api/v1/orgs/${member.id}/keys/${member.keyIds.admin}`, member.keys[role]);
    expect(r.status).toBe(403);
  });

  it('lets a member admin issue keys for its own org but answers 404 for another org', async () => {
    const own = await hub.http('POST', `/api/v1/orgs/${member.id}/keys`, member.keys.admin, { role: 'reader' });
    expect(own.status).toBe(201);
    expect(own.body.key).toMatch(/^tcs_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const foreign = await hub.http('POST', `/api/v1/orgs/${other.id}/keys`, member.keys.admin, { role: 'admin' });
    expect(foreign.status).toBe(404);
  });

  it('shows a member only its own org: another org’s id answers 404, the list holds one', async () => {
    expect((await hub.http('GET', `/api/v1/orgs/${other.id}`, member.keys.reader)).status).toBe(404);
    const list = await hub.http('GET', '/api/v1/orgs', member.keys.reader);
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([member.id]);
  });

  it('never returns a key’s secret or hash after creation', async () => {
    const list = await hub.http('GET', `/api/v1/orgs/${member.id}/keys`, hub.adminKey);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(4);
    for (const k of list.body.items) {
      expect(Object.keys(k).sort()).toEqual(['createdAt', 'id', 'label', 'orgId', 'revokedAt', 'role']);
    }
    expect(JSON.stringify(list.body)).not.toContain(member.keys.admin);
  });

  it('stores only a SHA-256 hash of each key', async () => {
    const { Client } = await import('pg');
    const c = new Client({ connectionString: hub.db.url });
    await c.connect();
    try {
      const rows = await c.query<{ key_hash: Buffer; lookup_id: string }>('SELECT key_hash, lookup_id FROM api_keys');
      for (const r of rows.rows) {
        expect(r.key_hash.length).toBe(32);
      }
      const dump = JSON.stringify((await c.query('SELECT * FROM api_keys')).rows);
      // The secret follows `tcs_<12-char lookup id>_`; base64url may itself contain '_', so cut by position.
      expect(dump).not.toContain(member.keys.operator.slice('tcs_'.length + 12 + 1));
    } finally {
      await c.end();
    }
  });

  it('refuses a submission from a reader or vetter key (403) and accepts an operator’s', async () => {
    for (const role of ['reader', 'vetter', 'admin'] as const) {
      expect((await hub.http('POST', '/api/v1/alerts', member.keys[role], buildAlert())).status).toBe(403);
    }
    expect((await hub.http('POST', '/api/v1/alerts', member.keys.operator, buildAlert())).status).toBe(202);
  });

  it('creates an org with a 201 and answers 409 for a duplicate name', async () => {
    const name = `CERT-${Date.now()}`;
    const r = await hub.http('POST', '/api/v1/orgs', hub.adminKey, {
      name,
      country: 'JP',
      sector: 'government',
      trustLevel: 2,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name, country: 'JP', sector: 'government', trustLevel: 2, isHub: false });
    const dup = await hub.http('POST', '/api/v1/orgs', hub.adminKey, {
      name: name.toLowerCase(),
      country: 'JP',
      trustLevel: 2,
    });
    expect(dup.status).toBe(409);
    expect((await hub.http('GET', `/api/v1/orgs/${r.body.id}`, hub.adminKey)).status).toBe(200);
  });
});

describe('the hub’s last admin key', () => {
  it('cannot be revoked (409) until another admin key exists', async () => {
    const hubOrg = (await hub.http('GET', '/api/v1/orgs?limit=1000', hub.adminKey)).body.items.find(
      (o: { isHub: boolean }) => o.isHub,
    );
    const keys = (await hub.http('GET', `/api/v1/orgs/${hubOrg.id}/keys`, hub.adminKey)).body.items;
    const bootstrap = keys.find((k: { label: string | null }) => k.label === 'bootstrap');
    const refused = await hub.http('DELETE', `/api/v1/orgs/${hubOrg.id}/keys/${bootstrap.id}`, hub.adminKey);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('urn:tocsin:problem:last-hub-admin-key');
    const second = await hub.http('POST', `/api/v1/orgs/${hubOrg.id}/keys`, hub.adminKey, { role: 'admin' });
    expect(second.status).toBe(201);
    const revoked = await hub.http('DELETE', `/api/v1/orgs/${hubOrg.id}/keys/${bootstrap.id}`, second.body.key);
    expect(revoked.status).toBe(200);
    expect((await hub.http('GET', '/api/v1/orgs', hub.adminKey)).status).toBe(401);
    hub = Object.assign(hub, { adminKey: second.body.key });
  });
});
