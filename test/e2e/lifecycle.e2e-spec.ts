import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

let hub: TestHub;
let sender: SeededOrg;
let receiver: SeededOrg;
const clients: AlertClient[] = [];

type Ev = { name: string; seq: number; body: any };

/** Records every event of the /alerts namespace, in arrival order, with its name. */
function record(token: string, lastSeq?: number): { c: AlertClient; events: Ev[] } {
  const c = connectAlerts(hub.url, token, lastSeq);
  clients.push(c);
  const events: Ev[] = [];
  c.socket.onAny((name: string, body: any) => events.push({ name, seq: body.seq, body }));
  return { c, events };
}

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'CZ' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'SK' });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

async function publish(body: Record<string, unknown>): Promise<string> {
  const r = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, body);
  expect(r.status).toBe(202);
  await eventually(async () => {
    expect((await hub.http('GET', `/api/v1/alerts/${r.body.id}`, sender.keys.reader)).body.status).toBe('published');
  });
  return r.body.id as string;
}

describe('alert lifecycle: revisions, revocation and expiry', () => {
  it('pushes a revision as alert-updated and a revocation as alert-revoked, each with its own seq, live and on replay', async () => {
    const live = record(receiver.keys.reader);
    await waitConnected(live.c);
    const id = await publish(buildAlert({ title: 'First take', severity: 'medium', tlp: 'AMBER' }));
    const upd = await hub.http('PATCH', `/api/v1/alerts/${id}`, sender.keys.operator, {
      severity: 'critical',
      title: 'Worse than thought',
    });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ revision: 2, severity: 'critical', title: 'Worse than thought' });
    const rev = await hub.http('POST', `/api/v1/alerts/${id}/revoke`, sender.keys.operator, {
      reason: 'false positive: sinkhole',
    });
    expect(rev.status).toBe(200);
    expect(rev.body).toMatchObject({ status: 'revoked', revokeReason: 'false positive: sinkhole' });

    const mine = () => live.events.filter((e) => e.body.alert?.id === id || e.body.alertId === id);
    await eventually(() => expect(mine().map((e) => e.name)).toEqual(['alert', 'alert-updated', 'alert-revoked']));
    const [a, u, r] = mine();
    expect(u!.seq).toBeGreaterThan(a!.seq);
    expect(r!.seq).toBeGreaterThan(u!.seq);
    expect(u!.body.alert).toMatchObject({ id, revision: 2, severity: 'critical', title: 'Worse than thought' });
    expect(r!.body).toMatchObject({ alertId: id, reason: 'false positive: sinkhole', revokedAt: expect.any(String) });

    // A client that was away replays the three, in order, from PostgreSQL.
    const away = record(receiver.keys.reader, a!.seq - 1);
    await waitConnected(away.c);
    await eventually(() =>
      expect(away.events.filter((e) => e.body.alert?.id === id || e.body.alertId === id).map((e) => e.name)).toEqual([
        'alert',
        'alert-updated',
        'alert-revoked',
      ]),
    );
  });

  it('lets only an operator of the submitting org change an alert: others who see it get 403, the rest 404', async () => {
    const stranger = await seedOrg(hub, { trustLevel: 1 });
    const id = await publish(buildAlert({ tlp: 'AMBER' }));
    expect((await hub.http('PATCH', `/api/v1/alerts/${id}`, receiver.keys.operator, { severity: 'low' })).status).toBe(
      403,
    );
    expect(
      (await hub.http('POST', `/api/v1/alerts/${id}/revoke`, receiver.keys.operator, { reason: 'x' })).status,
    ).toBe(403);
    expect((await hub.http('PATCH', `/api/v1/alerts/${id}`, stranger.keys.operator, { severity: 'low' })).status).toBe(
      404,
    );
    expect((await hub.http('PATCH', `/api/v1/alerts/${id}`, sender.keys.reader, { severity: 'low' })).status).toBe(403);
  });

  it.each([
    ['an empty revision', {}, '/'],
    ['a bad severity', { severity: 'urgent' }, '/severity'],
    ['an unknown field', { tlp: 'CLEAR' }, '/tlp'],
  ])('refuses %s (400)', async (_l, body, pointer) => {
    const id = await publish(buildAlert());
    const r = await hub.http('PATCH', `/api/v1/alerts/${id}`, sender.keys.operator, body);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.errors)).toContain(pointer === '/' ? 'at least one' : pointer);
  });

  it('refuses a revocation without a reason, and a second revocation (409)', async () => {
    const id = await publish(buildAlert());
    expect((await hub.http('POST', `/api/v1/alerts/${id}/revoke`, sender.keys.operator, {})).status).toBe(400);
    expect(
      (await hub.http('POST', `/api/v1/alerts/${id}/revoke`, sender.keys.operator, { reason: 'dup' })).status,
    ).toBe(200);
    expect(
      (await hub.http('POST', `/api/v1/alerts/${id}/revoke`, sender.keys.operator, { reason: 'dup' })).status,
    ).toBe(409);
  });

  it('keeps an alert past its validUntil out of live delivery and replay', async () => {
    const live = record(receiver.keys.reader);
    await waitConnected(live.c);
    const before = await publish(buildAlert({ title: 'before' }));
    const seq = (await hub.http('GET', `/api/v1/alerts/${before}`, sender.keys.reader)).body.seq as number;
    const past = new Date(Date.now() - 60_000).toISOString();
    const expired = await publish(buildAlert({ title: 'Already expired', validUntil: past }));
    const sentinel = await publish(buildAlert({ title: 'after' }));
    await eventually(() => expect(live.events.map((e) => e.body.alert?.id)).toContain(sentinel));
    expect(live.events.map((e) => e.body.alert?.id)).not.toContain(expired);
    const away = record(receiver.keys.reader, seq);
    await waitConnected(away.c);
    await eventually(() => expect(away.events.map((e) => e.body.alert?.id)).toContain(sentinel));
    expect(away.events.map((e) => e.body.alert?.id)).not.toContain(expired);
  });
});
