import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

let hub: TestHub;
let hubOrgId: string;
let hubVetter: string;
let watcher: SeededOrg;
let watch: AlertClient;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  const orgs = await hub.http('GET', '/api/v1/orgs?limit=1000', hub.adminKey);
  hubOrgId = orgs.body.items.find((o: { isHub: boolean }) => o.isHub).id;
  hubVetter = (await hub.http('POST', `/api/v1/orgs/${hubOrgId}/keys`, hub.adminKey, { role: 'vetter' })).body.key;
  watcher = await seedOrg(hub, { trustLevel: 3, country: 'DK' });
  watch = connectAlerts(hub.url, watcher.keys.reader);
  clients.push(watch);
  await waitConnected(watch);
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

async function submit(key: string, body: Record<string, unknown>): Promise<string> {
  const r = await hub.http('POST', '/api/v1/alerts', key, body);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.id as string;
}

async function statusBecomes(key: string, id: string, status: string): Promise<any> {
  return eventually(async () => {
    const r = await hub.http('GET', `/api/v1/alerts/${id}`, key);
    expect(r.body.status).toBe(status);
    return r.body;
  });
}

/** Events arrive in seq order: once a later sentinel has arrived, an earlier alert that did not never will. */
async function sentinel(client: AlertClient): Promise<void> {
  const id = await submit(watcher.keys.operator, buildAlert({ title: 'sentinel', tlp: 'GREEN' }));
  await eventually(() => expect(client.events.map((e) => e.alert.id)).toContain(id));
}

async function setTrust(orgId: string, trustLevel: number, reason = 'test') {
  return hub.http('PATCH', `/api/v1/orgs/${orgId}`, hub.adminKey, { trustLevel, reason });
}

describe('vetting by trust level', () => {
  it('publishes a trust-2 member’s low alert directly and holds its critical one for review', async () => {
    const member = await seedOrg(hub, { trustLevel: 2 });
    const low = await submit(member.keys.operator, buildAlert({ severity: 'low' }));
    const critical = await submit(member.keys.operator, buildAlert({ severity: 'critical' }));
    await statusBecomes(member.keys.reader, low, 'published');
    const held = await statusBecomes(member.keys.reader, critical, 'pending_review');
    expect(held.statusReason).toContain('critical');
  });

  it('never lets a provisional org publish without review, whatever the severity', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1 });
    for (const severity of ['low', 'medium', 'high', 'critical']) {
      const id = await submit(provisional.keys.operator, buildAlert({ severity }));
      await statusBecomes(provisional.keys.reader, id, 'pending_review');
    }
  });

  it('refuses a RED alert naming an org below trust 3 at that recipient, saying nothing of the org', async () => {
    const sender = await seedOrg(hub, { trustLevel: 3 });
    const low = await seedOrg(hub, { trustLevel: 2 });
    const r = await hub.http(
      'POST',
      '/api/v1/alerts',
      sender.keys.operator,
      buildAlert({ tlp: 'RED', recipients: [low.id] }),
    );
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      { pointer: '/recipients/0', detail: 'is not an organisation that may receive this alert' },
    ]);
  });
});

describe('POST /api/v1/alerts/:id/review', () => {
  it('publishes on approval; the submitter sees the decision and reason; subscribers get the alert', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1 });
    const id = await submit(
      provisional.keys.operator,
      buildAlert({ title: 'Needs a second pair of eyes', tlp: 'GREEN' }),
    );
    await statusBecomes(provisional.keys.reader, id, 'pending_review');
    const queue = await hub.http('GET', '/api/v1/alerts?status=pending_review&limit=1000', hubVetter);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((a: { id: string }) => a.id)).toContain(id);
    const r = await hub.http('POST', `/api/v1/alerts/${id}/review`, hubVetter, {
      decision: 'approve',
      reason: 'corroborated by our sensors',
    });
    expect(r.status).toBe(200);
    const seen = await statusBecomes(provisional.keys.reader, id, 'published');
    expect(seen.review).toEqual({ decision: 'approve', reason: 'corroborated by our sensors', at: expect.any(String) });
    await eventually(() => expect(watch.events.map((e) => e.alert.id)).toContain(id));
    const again = await hub.http('POST', `/api/v1/alerts/${id}/review`, hubVetter, { decision: 'reject', reason: 'x' });
    expect(again.status).toBe(409);
  });

  it('rejects with a reason the submitter sees, and pushes nothing', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1 });
    const id = await submit(provisional.keys.operator, buildAlert({ title: 'Wrong', tlp: 'GREEN' }));
    await statusBecomes(provisional.keys.reader, id, 'pending_review');
    const r = await hub.http('POST', `/api/v1/alerts/${id}/review`, hubVetter, {
      decision: 'reject',
      reason: 'sinkholed, not C2',
    });
    expect(r.status).toBe(200);
    const seen = await statusBecomes(provisional.keys.reader, id, 'rejected');
    expect(seen.statusReason).toContain('sinkholed, not C2');
    expect(seen.review.decision).toBe('reject');
    await sentinel(watch);
    expect(watch.events.map((e) => e.alert.id)).not.toContain(id);
  });

  it('refuses a review without a reason (400 /reason)', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1 });
    const id = await submit(provisional.keys.operator, buildAlert());
    await statusBecomes(provisional.keys.reader, id, 'pending_review');
    const r = await hub.http('POST', `/api/v1/alerts/${id}/review`, hubVetter, { decision: 'approve', reason: '  ' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].pointer).toBe('/reason');
  });

  it('keeps four eyes: an org never approves its own alert, even one sent while it had a lower trust', async () => {
    const grower = await seedOrg(hub, { trustLevel: 1 });
    const id = await submit(grower.keys.operator, buildAlert({ title: 'My own', tlp: 'GREEN' }));
    await statusBecomes(grower.keys.reader, id, 'pending_review');
    expect((await setTrust(grower.id, 4, 'now a coordinator')).status).toBe(200);
    const r = await hub.http('POST', `/api/v1/alerts/${id}/review`, grower.keys.vetter, {
      decision: 'approve',
      reason: 'looks fine to me',
    });
    expect(r.status).toBe(403);
    expect(r.body.detail).toContain('four eyes');
    expect((await hub.http('GET', `/api/v1/alerts/${id}`, grower.keys.reader)).body.status).toBe('pending_review');
  });

  it('lets a trust-4 org’s vetter review others’ alerts but not a trust-3 org’s vetter, nor an operator', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1 });
    const coordinator = await seedOrg(hub, { trustLevel: 4 });
    const trusted = await seedOrg(hub, { trustLevel: 3 });
    const id = await submit(provisional.keys.operator, buildAlert({ tlp: 'AMBER' }));
    await statusBecomes(provisional.keys.reader, id, 'pending_review');
    expect(
      (await hub.http('POST', `/api/v1/alerts/${id}/review`, trusted.keys.vetter, { decision: 'approve', reason: 'x' }))
        .status,
    ).toBe(403);
    expect((await hub.http('GET', '/api/v1/alerts?status=pending_review', trusted.keys.vetter)).status).toBe(403);
    expect(
      (
        await hub.http('POST', `/api/v1/alerts/${id}/review`, coordinator.keys.operator, {
          decision: 'approve',
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    // The trust-3 org cannot even read the pending alert.
    expect((await hub.http('GET', `/api/v1/alerts/${id}`, trusted.keys.reader)).status).toBe(404);
    const ok = await hub.http('POST', `/api/v1/alerts/${id}/review`, coordinator.keys.vetter, {
      decision: 'approve',
      reason: 'seen it too',
    });
    expect(ok.status).toBe(200);
  });

  it('hides a pending RED alert from a coordinator it does not name (404), in the queue too', async () => {
    const sender = await seedOrg(hub, { trustLevel: 1 });
    const named = await seedOrg(hub, { trustLevel: 3 });
    const coordinator = await seedOrg(hub, { trustLevel: 4 });
    const id = await submit(sender.keys.operator, buildAlert({ tlp: 'RED', recipients: [named.id] }));
    await statusBecomes(sender.keys.reader, id, 'pending_review');
    const queue = await hub.http('GET', '/api/v1/alerts?status=pending_review&limit=1000', coordinator.keys.vetter);
    expect(queue.body.items.map((a: { id: string }) => a.id)).not.toContain(id);
    expect(
      (
        await hub.http('POST', `/api/v1/alerts/${id}/review`, coordinator.keys.vetter, {
          decision: 'approve',
          reason: 'x',
        })
      ).status,
    ).toBe(404);
    expect((await hub.http('GET', `/api/v1/alerts/${id}`, coordinator.keys.vetter)).status).toBe(404);
  });
});

describe('PATCH /api/v1/orgs/:id and the audit trail', () => {
  it('records who, when, old, new and why, readable by hub admins only', async () => {
    const org = await seedOrg(hub, { trustLevel: 2 });
    const r = await setTrust(org.id, 3, 'two years of accurate reports');
    expect(r.status).toBe(200);
    expect(r.body.trustLevel).toBe(3);
    const audit = await hub.http('GET', `/api/v1/audit?orgId=${org.id}`, hub.adminKey);
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'org.trust-changed',
      actorOrgId: hubOrgId,
      subjectOrgId: org.id,
      oldValue: { trustLevel: 2 },
      newValue: { trustLevel: 3 },
      reason: 'two years of accurate reports',
      at: expect.any(String),
    });
    expect((await hub.http('GET', '/api/v1/audit', org.keys.admin)).status).toBe(403);
    expect((await hub.http('GET', '/api/v1/audit', hubVetter)).status).toBe(403);
  });

  it.each([
    ['no reason', { trustLevel: 3 }],
    ['a blank reason', { trustLevel: 3, reason: '   ' }],
    ['a level of 7', { trustLevel: 7, reason: 'x' }],
  ])('refuses a change with %s (400)', async (_l, body) => {
    const org = await seedOrg(hub, { trustLevel: 2 });
    const r = await hub.http('PATCH', `/api/v1/orgs/${org.id}`, hub.adminKey, body);
    expect(r.status).toBe(400);
    expect((await hub.http('GET', `/api/v1/orgs/${org.id}`, hub.adminKey)).body.trustLevel).toBe(2);
  });

  it('lets no organisation change its own trust level', async () => {
    const org = await seedOrg(hub, { trustLevel: 2 });
    expect(
      (await hub.http('PATCH', `/api/v1/orgs/${org.id}`, org.keys.admin, { trustLevel: 4, reason: 'we are great' }))
        .status,
    ).toBe(403);
    // The hub's own organisation too: a hub admin's change of it is this same 403, and it keeps trust 4.
    const own = await hub.http('PATCH', `/api/v1/orgs/${hubOrgId}`, hub.adminKey, { trustLevel: 3, reason: 'x' });
    expect([own.status, own.body.type]).toEqual([403, 'urn:tocsin:problem:forbidden']);
    expect((await hub.http('GET', `/api/v1/orgs/${hubOrgId}`, hub.adminKey)).body.trustLevel).toBe(4);
    expect((await hub.http('GET', `/api/v1/orgs/${org.id}`, hub.adminKey)).body.trustLevel).toBe(2);
  });

  it('offers no way to change the trail over HTTP', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      expect((await hub.http(method, '/api/v1/audit', hub.adminKey, {})).status).toBe(404);
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the trail in SQL, even as the role the hub connects as', async () => {
    const org = await seedOrg(hub, { trustLevel: 2 });
    await setTrust(org.id, 1, 'probation');
    const c = new Client({ connectionString: hub.db.url });
    await c.connect();
    try {
      await expect(c.query(`UPDATE audit_log SET reason = 'forged'`)).rejects.toThrow(/append-only/);
      await expect(c.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(c.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      const rows = await c.query(`SELECT reason FROM audit_log WHERE subject_org_id = $1`, [org.id]);
      expect(rows.rows.map((r) => r.reason)).toEqual(['probation']);
    } finally {
      await c.end();
    }
  });
});

describe('suspension (trust 0)', () => {
  it('cuts the org’s open sockets at once; it can then neither submit, read nor connect', async () => {
    const org = await seedOrg(hub, { trustLevel: 3 });
    const c = connectAlerts(hub.url, org.keys.reader);
    clients.push(c);
    await waitConnected(c);
    const own = await submit(org.keys.operator, buildAlert());
    const cut = new Promise<string>((res) => c.socket.once('disconnect', (reason) => res(reason)));
    expect((await setTrust(org.id, 0, 'keys leaked')).status).toBe(200);
    expect(await cut).toBe('io server disconnect');
    expect((await hub.http('POST', '/api/v1/alerts', org.keys.operator, buildAlert())).status).toBe(401);
    expect((await hub.http('GET', `/api/v1/alerts/${own}`, org.keys.reader)).status).toBe(401);
    const again = connectAlerts(hub.url, org.keys.reader);
    clients.push(again);
    await expect(waitConnected(again)).rejects.toThrow('unauthorized');
  });

  it('applies a lowered trust level to live delivery at once: AMBER stops reaching a demoted org', async () => {
    const org = await seedOrg(hub, { trustLevel: 3 });
    const c = connectAlerts(hub.url, org.keys.reader);
    clients.push(c);
    await waitConnected(c);
    expect((await setTrust(org.id, 1, 'probation')).status).toBe(200);
    const amber = await submit(watcher.keys.operator, buildAlert({ tlp: 'AMBER' }));
    await sentinel(c);
    expect(c.events.map((e) => e.alert.id)).not.toContain(amber);
  });
});
