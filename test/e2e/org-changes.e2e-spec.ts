import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * A hub admin renames a member or changes its sector (`PATCH /api/v1/orgs/:id`): audited, refused where it must be,
 * and every path shows the new name, for the alerts it published before too.
 */

let hub: TestHub;
let hubOrgId: string;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  const orgs = await hub.http('GET', '/api/v1/orgs?limit=1000', hub.adminKey);
  hubOrgId = orgs.body.items.find((o: { isHub: boolean }) => o.isHub).id;
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

const patch = (id: string, body: unknown, key = hub.adminKey) => hub.http('PATCH', `/api/v1/orgs/${id}`, key, body);

describe('PATCH /api/v1/orgs/:id with a name or sector', () => {
  it('renames an org: REST, live push, replay and both exports name it anew, the old alerts too; audited', async () => {
    const sender = await seedOrg(hub, { trustLevel: 3, country: 'HR', name: `CERT-Old ${Date.now()}` });
    const reader = await seedOrg(hub, { trustLevel: 3, country: 'SI' });
    const before = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, buildAlert({ tlp: 'GREEN' }));
    const id = before.body.id as string;
    const seq = await eventually(async () => {
      const a = await hub.http('GET', `/api/v1/alerts/${id}`, reader.keys.reader);
      expect(a.body.status).toBe('published');
      return a.body.seq as number;
    });

    const newName = `CERT-HR ${Date.now()}`;
    const r = await patch(sender.id, { name: `  ${newName} `, sector: 'government', reason: 'renamed by law' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: sender.id, name: newName, sector: 'government', country: 'HR', trustLevel: 3 });

    // REST and both exports.
    const rest = await hub.http('GET', `/api/v1/alerts/${id}`, reader.keys.reader);
    expect(rest.body.source.org).toEqual({ id: sender.id, name: newName });
    const stix = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, reader.keys.reader);
    const identity = stix.body.objects.find((o: any) => o.type === 'identity' && o.identity_class === 'organization');
    expect(identity.name).toBe(newName);
    const misp = await hub.http('GET', `/api/v1/alerts/${id}/export?format=misp`, reader.keys.reader);
    expect(misp.body.Event.Orgc.name).toBe(newName);

    // Replay of the alert published under the old name, and a live one published after.
    const replay = connectAlerts(hub.url, reader.keys.reader, seq - 1);
    clients.push(replay);
    await waitConnected(replay);
    await eventually(() => expect(replay.events.map((e) => e.alert.id)).toContain(id));
    const replayed = replay.events.find((e) => e.alert.id === id)!.alert;
    expect(replayed.source.org).toEqual({ id: sender.id, name: newName });
    expect(replayed.sourceOrg).toEqual({ id: sender.id, name: newName, country: 'HR' });
    const after = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, buildAlert({ tlp: 'GREEN' }));
    await eventually(() => expect(replay.events.map((e) => e.alert.id)).toContain(after.body.id));
    expect(replay.events.find((e) => e.alert.id === after.body.id)!.alert.source.org.name).toBe(newName);

    // The audit trail holds the change, its reason and the values before and after.
    const audit = await hub.http('GET', `/api/v1/audit?orgId=${sender.id}`, hub.adminKey);
    const entry = audit.body.items.find((e: any) => e.action === 'org.changed');
    expect(entry).toMatchObject({
      subjectOrgId: sender.id,
      oldValue: { name: sender.name, sector: null },
      newValue: { name: newName, sector: 'government' },
      reason: 'renamed by law',
    });

    // The sector is cleared with null; the trust level is untouched and no trust entry was written.
    const cleared = await patch(sender.id, { sector: null, reason: 'no sector' });
    expect(cleared.body).toMatchObject({ name: newName, sector: null, trustLevel: 3 });
    const actions = (await hub.http('GET', `/api/v1/audit?orgId=${sender.id}`, hub.adminKey)).body.items.map(
      (e: any) => e.action,
    );
    expect(actions.filter((a: string) => a === 'org.trust-changed')).toEqual([]);
  });

  it('refuses a taken name (409, case-insensitive), the hub’s own name (403), a member admin (403) and nothing to change (400)', async () => {
    const a = await seedOrg(hub, { trustLevel: 2, name: `CERT-A ${Date.now()}` });
    const b = await seedOrg(hub, { trustLevel: 2, name: `CERT-B ${Date.now()}` });
    const taken = await patch(b.id, { name: a.name.toUpperCase(), reason: 'x' });
    expect([taken.status, taken.body.type]).toEqual([409, 'urn:tocsin:problem:org-name-taken']);
    expect((await patch(hubOrgId, { name: 'Another hub', reason: 'x' })).status).toBe(403);
    expect((await patch(hubOrgId, { sector: 'coordination', reason: 'x' })).status).toBe(200);
    expect((await patch(a.id, { name: 'Ours now', reason: 'x' }, a.keys.admin)).status).toBe(403);
    const nothing = await patch(a.id, { reason: 'x' });
    expect(nothing.status).toBe(400);
    expect(nothing.body.errors[0].detail).toContain('must change something');
    const blank = await patch(a.id, { name: '  ', reason: 'x' });
    expect(blank.body.errors).toEqual([{ pointer: '/name', detail: 'must not be blank' }]);
    expect((await patch(a.id, { name: 'x', reason: 'x', country: 'FR' })).body.errors).toEqual([
      { pointer: '/country', detail: 'is not a known field' },
    ]);
    expect((await patch('00000000-0000-4000-8000-000000000000', { name: 'Ghost', reason: 'x' })).status).toBe(404);
    // Nothing changed.
    const still = await hub.http('GET', `/api/v1/orgs/${b.id}`, hub.adminKey);
    expect(still.body).toMatchObject({ name: b.name, trustLevel: 2 });
  });
});
