import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * Submitter anonymity (issue 11 §6): an alert sent with `attribution: "anonymous"` shows recipients its source's
 * country and trust band, never the org, on every path; the submitter, hub admins and the review queue see the org.
 */

let hub: TestHub;
/** The anonymous submitter (DE, trusted). */
let anon: SeededOrg;
/** Named reporters of the same botnet, so a coordinated alert forms around the anonymous report. */
let fr: SeededOrg;
let nl: SeededOrg;
/** A member that only receives; and a RED recipient. */
let member: SeededOrg;
let redRecipient: SeededOrg;
const clients: AlertClient[] = [];
const memberEvents: Record<string, any[]> = { alert: [], coordinated: [] };
const submitterEvents: any[] = [];
const sightingEvents: any[] = [];
const adminEvents: any[] = [];
const adminCoordinated: any[] = [];

// Public addresses outside every warning list, so the reports correlate.
const C2_A = '45.137.21.61';
const C2_B = '91.215.85.44';
const C2_DOMAIN = 'upd4te-relay.net';

/** Everything that could name the anonymous submitter: its id, name and key ids (case-insensitive). */
function identifying(): string[] {
  return [anon.id, anon.name, ...Object.values(anon.keyIds)].map((s) => s.toLowerCase());
}

function expectAnonymous(what: string, value: unknown): void {
  const json = JSON.stringify(value).toLowerCase();
  for (const token of identifying()) {
    expect(json.includes(token), `${what} names the anonymous submitter (${token})`).toBe(false);
  }
}

async function submit(org: SeededOrg, body: unknown, query = '', headers: Record<string, string> = {}) {
  const r = await hub.http('POST', `/api/v1/alerts${query}`, org.keys.operator, body, headers);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.id as string;
}

async function status(org: SeededOrg, id: string, wanted: string): Promise<any> {
  return eventually(async () => {
    const r = await hub.http('GET', `/api/v1/alerts/${id}`, org.keys.reader);
    expect(r.body.status).toBe(wanted);
    return r.body;
  }, 30_000);
}

beforeAll(async () => {
  hub = await startTestHub();
  anon = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  fr = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  nl = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
  member = await seedOrg(hub, { trustLevel: 2, country: 'ES' });
  redRecipient = await seedOrg(hub, { trustLevel: 3, country: 'PL' });
  const m = connectAlerts(hub.url, member.keys.reader);
  m.socket.on('alert', (e: any) => memberEvents.alert!.push(e));
  m.socket.on('coordinated-alert', (e: any) => memberEvents.coordinated!.push(e));
  m.socket.on('coordinated-alert-updated', (e: any) => memberEvents.coordinated!.push(e));
  const s = connectAlerts(hub.url, anon.keys.reader);
  s.socket.on('alert', (e: any) => submitterEvents.push(e));
  s.socket.on('sighting', (e: any) => sightingEvents.push(e));
  const a = connectAlerts(hub.url, hub.adminKey);
  a.socket.on('alert', (e: any) => adminEvents.push(e));
  a.socket.on('coordinated-alert', (e: any) => adminCoordinated.push(e));
  a.socket.on('coordinated-alert-updated', (e: any) => adminCoordinated.push(e));
  clients.push(m, s, a);
  await Promise.all([waitConnected(m), waitConnected(s), waitConnected(a)]);
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

describe('an anonymous alert', () => {
  it('never names its org to a recipient on any path, while its submitter and a hub admin see it', async () => {
    const id = await submit(
      anon,
      buildAlert({
        tlp: 'GREEN',
        attribution: 'anonymous',
        indicators: [
          { type: 'ipv4', value: C2_A },
          { type: 'ipv4', value: C2_B },
          { type: 'domain', value: C2_DOMAIN },
        ],
      }),
    );
    await status(anon, id, 'published');
    const frId = await submit(fr, buildAlert({ tlp: 'GREEN', indicators: [{ type: 'ipv4', value: C2_A }] }));
    await status(fr, frId, 'published');
    const nlId = await submit(nl, buildAlert({ tlp: 'GREEN', indicators: [{ type: 'domain', value: C2_DOMAIN }] }));
    await status(nl, nlId, 'published');

    // Live push.
    const live = await eventually(() => {
      const e = memberEvents.alert!.find((x) => x.alert.id === id);
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    expect(live.alert.source).toEqual({ attribution: 'anonymous', country: 'DE', trustBand: 'trusted' });
    expect(live.alert).not.toHaveProperty('sourceOrg');
    expectAnonymous('the live alert event', live);

    // Replay from the start.
    const replay = connectAlerts(hub.url, member.keys.reader, 0);
    clients.push(replay);
    const replayed = await eventually(() => {
      const e = replay.events.find((x) => x.alert.id === id);
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    expect(replayed!.alert.source).toEqual(live.alert.source);
    expectAnonymous('the replayed alert event', replayed);

    // REST: the alert, its indicators, and the named alerts it is linked to (whose linkedAlerts list it).
    const rest = await hub.http('GET', `/api/v1/alerts/${id}`, member.keys.reader);
    expect(rest.status).toBe(200);
    expect(rest.body.source).toEqual({ attribution: 'anonymous', country: 'DE', trustBand: 'trusted' });
    expect(rest.body).not.toHaveProperty('sourceOrgId');
    expectAnonymous('GET /api/v1/alerts/:id', rest.body);
    // List, search and indicator lookup (any refanged form) show the same anonymous source.
    const listed = await hub.http('GET', '/api/v1/alerts?limit=200', member.keys.reader);
    expect(listed.status).toBe(200);
    const item = listed.body.items.find((x: { id: string }) => x.id === id);
    expect(item.source).toEqual({ attribution: 'anonymous', country: 'DE', trustBand: 'trusted' });
    expectAnonymous('GET /api/v1/alerts', listed.body);
    const lookup = await hub.http(
      'GET',
      `/api/v1/indicators?value=${encodeURIComponent(C2_A.replace(/\./g, '[.]'))}`,
      member.keys.reader,
    );
    expect(lookup.status).toBe(200);
    const hit = lookup.body.items.find((x: { alertId: string }) => x.alertId === id);
    expect(hit.source).toEqual({ attribution: 'anonymous', country: 'DE', trustBand: 'trusted' });
    expectAnonymous('GET /api/v1/indicators', lookup.body);
    const indicators = await hub.http('GET', `/api/v1/alerts/${id}/indicators`, member.keys.reader);
    expect(indicators.status).toBe(200);
    expectAnonymous('GET /api/v1/alerts/:id/indicators', indicators.body);
    const linked = await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/alerts/${frId}`, member.keys.reader);
      expect(r.body.linkedAlerts.map((l: any) => l.alertId)).toContain(id);
      return r.body;
    }, 30_000);
    expect(linked.linkedAlerts.find((l: any) => l.alertId === id)).toMatchObject({
      country: 'DE',
      source: { attribution: 'anonymous', country: 'DE', trustBand: 'trusted' },
    });
    expectAnonymous('linked alerts', linked);

    // Exports.
    const stix = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, member.keys.reader);
    expect(stix.status).toBe(200);
    const creatorOf = (bundle: any) => {
      const ref = bundle.objects.find((o: any) => o.type === 'report').created_by_ref;
      return bundle.objects.find((o: any) => o.id === ref);
    };
    expect(creatorOf(stix.body)).toMatchObject({ type: 'identity', name: 'Anonymous trusted member (DE)' });
    expectAnonymous('the STIX export', stix.body);
    const misp = await hub.http('GET', `/api/v1/alerts/${id}/export?format=misp`, member.keys.reader);
    expect(misp.status).toBe(200);
    expect(misp.body.Event.Orgc.name).toBe('Anonymous trusted member (DE)');
    expectAnonymous('the MISP export', misp.body);

    // The coordinated alert the three reports make: pushed, and read over REST.
    const coordinated = await eventually(() => {
      const e = memberEvents.coordinated!.find((x) => x.coordinatedAlert.reports.some((r: any) => r.alertId === id));
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    const report = coordinated.coordinatedAlert.reports.find((r: any) => r.alertId === id);
    expect(report).not.toHaveProperty('orgId');
    expect(report.source).toEqual({ attribution: 'anonymous', country: 'DE', trustBand: 'trusted' });
    expect(coordinated.coordinatedAlert.orgCount).toBe(3);
    expectAnonymous('the coordinated-alert event', coordinated);
    const view = await hub.http(
      'GET',
      `/api/v1/coordinated-alerts/${coordinated.coordinatedAlert.id}`,
      member.keys.reader,
    );
    expect(view.status).toBe(200);
    expectAnonymous('GET /api/v1/coordinated-alerts/:id', view.body);
    const list = await hub.http('GET', '/api/v1/coordinated-alerts', member.keys.reader);
    expectAnonymous('GET /api/v1/coordinated-alerts', list.body);

    // A sighting on it: the event (to the submitter) names the reporter, not the submitter.
    const sighting = await hub.http('POST', `/api/v1/alerts/${id}/sightings`, member.keys.reader, { type: 'sighting' });
    expect(sighting.status).toBe(200);
    expectAnonymous('the sighting answer', sighting.body);
    const event = await eventually(() => {
      const e = sightingEvents.find((x) => x.alertId === id);
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    expect(event.reporter).toEqual({ id: member.id, country: 'ES' });
    expectAnonymous('the sighting event', event);

    // The submitter sees its org (id and name): on its own socket event and over REST.
    const own = await eventually(() => {
      const e = submitterEvents.find((x) => x.alert.id === id);
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    expect(own.alert.source).toEqual({
      attribution: 'anonymous',
      country: 'DE',
      trustBand: 'trusted',
      org: { id: anon.id, name: anon.name },
    });
    const mine = await hub.http('GET', `/api/v1/alerts/${id}`, anon.keys.reader);
    expect(mine.body).toMatchObject({
      sourceOrgId: anon.id,
      source: { attribution: 'anonymous', country: 'DE', trustBand: 'trusted', org: { id: anon.id, name: anon.name } },
    });

    // A hub admin sees the org, over REST and in exports.
    const admin = await hub.http('GET', `/api/v1/alerts/${id}`, hub.adminKey);
    expect(admin.status).toBe(200);
    expect(admin.body.source.org).toEqual({ id: anon.id, name: anon.name });
    const adminList = await hub.http('GET', '/api/v1/alerts?limit=200', hub.adminKey);
    expect(adminList.body.items.find((x: { id: string }) => x.id === id).source.org).toEqual({
      id: anon.id,
      name: anon.name,
    });
    const adminStix = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, hub.adminKey);
    expect(creatorOf(adminStix.body).name).toBe(anon.name);

    // ... and on its socket, live and in replay, with the same source REST gives it.
    const named = {
      attribution: 'anonymous',
      country: 'DE',
      trustBand: 'trusted',
      org: { id: anon.id, name: anon.name },
    };
    const adminLive = await eventually(() => {
      const e = adminEvents.find((x) => x.alert.id === id);
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    expect(adminLive.alert.source).toEqual(named);
    expect(adminLive.alert.source).toEqual(admin.body.source);
    expect(adminLive.alert.sourceOrg).toEqual({ id: anon.id, name: anon.name, country: 'DE' });
    const adminReplay = connectAlerts(hub.url, hub.adminKey, 0);
    clients.push(adminReplay);
    const adminReplayed = await eventually(() => {
      const e = adminReplay.events.find((x) => x.alert.id === id);
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    expect(adminReplayed!.alert.source).toEqual(named);
    // The submitter's own replay names it too; another member's replay (above) and live event still do not.
    const ownReplay = connectAlerts(hub.url, anon.keys.reader, 0);
    clients.push(ownReplay);
    const ownReplayed = await eventually(() => {
      const e = ownReplay.events.find((x) => x.alert.id === id);
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    expect(ownReplayed!.alert.source).toEqual(named);
    // The coordinated alert's report, pushed to the hub admin, names the org as GET /coordinated-alerts/:id does.
    const adminReport = await eventually(() => {
      const e = adminCoordinated.find((x) => x.coordinatedAlert.reports.some((r: any) => r.alertId === id));
      expect(e).toBeDefined();
      return e.coordinatedAlert.reports.find((r: any) => r.alertId === id);
    }, 30_000);
    expect(adminReport).toMatchObject({ orgId: anon.id, source: { attribution: 'anonymous', org: { id: anon.id } } });
    const adminView = await hub.http(
      'GET',
      `/api/v1/coordinated-alerts/${coordinated.coordinatedAlert.id}`,
      hub.adminKey,
    );
    expect(adminView.body.reports.find((r: any) => r.alertId === id).source).toEqual(adminReport.source);
    expectAnonymous(
      'the member’s live alert event, after the admin’s',
      memberEvents.alert!.find((x) => x.alert.id === id),
    );
  });

  it('stays anonymous in its constituency hit, revision and revocation, live and in replay', async () => {
    const watcher = await seedOrg(hub, { trustLevel: 3, country: 'AT' });
    const set = await hub.http('PUT', `/api/v1/orgs/${watcher.id}/constituency`, watcher.keys.admin, {
      cidrs: ['91.203.7.0/24'],
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const live = connectAlerts(hub.url, watcher.keys.reader);
    clients.push(live);
    await waitConnected(live);

    const id = await submit(
      anon,
      buildAlert({ tlp: 'GREEN', attribution: 'anonymous', indicators: [{ type: 'ipv4', value: '91.203.7.9' }] }),
    );
    await status(anon, id, 'published');
    expect((await hub.http('PATCH', `/api/v1/alerts/${id}`, anon.keys.operator, { severity: 'low' })).status).toBe(200);
    expect((await hub.http('POST', `/api/v1/alerts/${id}/revoke`, anon.keys.operator, { reason: 'done' })).status).toBe(
      200,
    );

    /** The alert's own events on a socket, by name, once all four have come. */
    const ofAlert = (c: AlertClient) =>
      eventually(() => {
        const mine = c.all.filter((x) => x.body?.alert?.id === id || x.body?.alertId === id);
        const byName = new Map(mine.map((x) => [x.name, x.body]));
        expect([...byName.keys()].sort()).toEqual(['alert', 'alert-revoked', 'alert-updated', 'constituency-hit']);
        return byName;
      }, 30_000);
    const pushed = await ofAlert(live);
    expect(pushed.get('constituency-hit').indicators).toEqual([
      { type: 'ipv4', value: '91.203.7.9', matched: { kind: 'cidr', value: '91.203.7.0/24' } },
    ]);
    expect(pushed.get('alert-updated').alert).toMatchObject({ id, severity: 'low' });
    for (const [name, body] of pushed) {
      expectAnonymous(`the live ${name} event`, body);
    }

    const replay = connectAlerts(hub.url, watcher.keys.reader, pushed.get('alert').seq - 1);
    clients.push(replay);
    const replayed = await ofAlert(replay);
    expect(replayed.get('constituency-hit')).toEqual(pushed.get('constituency-hit'));
    for (const [name, body] of replayed) {
      expectAnonymous(`the replayed ${name} event`, body);
    }
  });

  it('takes attribution=anonymous as a query parameter for other formats', async () => {
    const csv = ['first_seen_utc,dst_ip,dst_port', `2026-11-27 10:00:00,193.42.33.71,443`].join('\n');
    const id = await submit(anon, csv, '?title=QakBot%20C2&tlp=green&attribution=anonymous', {
      'content-type': 'text/csv',
    });
    await status(anon, id, 'published');
    const rest = await hub.http('GET', `/api/v1/alerts/${id}`, member.keys.reader);
    expect(rest.body.source).toEqual({ attribution: 'anonymous', country: 'DE', trustBand: 'trusted' });
    expectAnonymous('GET /api/v1/alerts/:id of a CSV alert', rest.body);
  });

  it('stays anonymous to its named TLP:RED recipient', async () => {
    const recipient = connectAlerts(hub.url, redRecipient.keys.reader);
    clients.push(recipient);
    await waitConnected(recipient);
    const id = await submit(anon, buildAlert({ tlp: 'RED', recipients: [redRecipient.id], attribution: 'anonymous' }));
    await status(anon, id, 'published');
    const live = await eventually(() => {
      const e = recipient.events.find((x) => x.alert.id === id);
      expect(e).toBeDefined();
      return e;
    }, 30_000);
    expectAnonymous('the RED recipient’s alert event', live);
    const rest = await hub.http('GET', `/api/v1/alerts/${id}`, redRecipient.keys.reader);
    expect(rest.status).toBe(200);
    expect(rest.body.source).toEqual({ attribution: 'anonymous', country: 'DE', trustBand: 'trusted' });
    expectAnonymous('the RED recipient’s GET', rest.body);
  });

  it('shows the org to the review queue', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1, country: 'PT' });
    const coordinator = await seedOrg(hub, { trustLevel: 4, country: 'BE' });
    const id = await submit(provisional, buildAlert({ tlp: 'GREEN', attribution: 'anonymous' }));
    await status(provisional, id, 'pending_review');
    const queue = await hub.http('GET', '/api/v1/alerts?status=pending_review&limit=1000', coordinator.keys.vetter);
    expect(queue.status).toBe(200);
    const item = queue.body.items.find((a: any) => a.id === id);
    expect(item.source).toEqual({
      attribution: 'anonymous',
      country: 'PT',
      trustBand: 'provisional',
      org: { id: provisional.id, name: provisional.name },
    });
  });
});

describe('TOCSIN_DEFAULT_ATTRIBUTION=anonymous', () => {
  let other: TestHub;

  afterAll(async () => {
    await other?.close();
  });

  it('makes an alert that says nothing anonymous, while one that says "named" names its org', async () => {
    other = await startTestHub({ env: { TOCSIN_DEFAULT_ATTRIBUTION: 'anonymous' } });
    const submitter = await seedOrg(other, { trustLevel: 2, country: 'CZ' });
    const reader = await seedOrg(other, { trustLevel: 2, country: 'SK' });
    const sent = async (body: Record<string, unknown>) => {
      const r = await other.http('POST', '/api/v1/alerts', submitter.keys.operator, body);
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      return eventually(async () => {
        const seen = await other.http('GET', `/api/v1/alerts/${r.body.id}`, reader.keys.reader);
        expect(seen.status).toBe(200);
        return seen.body;
      }, 30_000);
    };
    const silent = buildAlert({ tlp: 'GREEN', severity: 'low' });
    expect(silent).not.toHaveProperty('attribution');
    const unsaid = await sent(silent);
    expect(unsaid.source).toEqual({ attribution: 'anonymous', country: 'CZ', trustBand: 'member' });
    expect(JSON.stringify(unsaid)).not.toContain(submitter.id);
    const named = await sent(buildAlert({ tlp: 'GREEN', severity: 'low', attribution: 'named' }));
    expect(named.source).toEqual({
      attribution: 'named',
      country: 'CZ',
      trustBand: 'member',
      org: { id: submitter.id, name: submitter.name },
    });
  });
});
