import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * Constituency routing (issue 11 §2): an org's constituency (countries, ASNs, CIDR blocks, domains) is set and read
 * by its admins and the hub's; an alert touching it reaches the org as a `constituency-hit`, live and in replay,
 * never beyond what TLP and trust allow.
 */

interface Listener {
  readonly client: AlertClient;
  readonly hits: any[];
  /** Event names in arrival order, with the seq they carry. */
  readonly order: [string, number][];
}

let hub: TestHub;
const clients: AlertClient[] = [];

function listen(token: string, lastSeq?: number): Listener {
  const client = connectAlerts(hub.url, token, lastSeq);
  clients.push(client);
  const l: Listener = { client, hits: [], order: [] };
  client.socket.on('alert', (e: any) => l.order.push(['alert', e.seq]));
  client.socket.on('constituency-hit', (e: any) => {
    l.hits.push(e);
    l.order.push(['constituency-hit', e.seq]);
  });
  return l;
}

async function submit(key: string, body: Record<string, unknown>): Promise<string> {
  const r = await hub.http('POST', '/api/v1/alerts', key, body);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.id as string;
}

async function setConstituency(org: SeededOrg, body: Record<string, unknown>): Promise<any> {
  const r = await hub.http('PUT', `/api/v1/orgs/${org.id}/constituency`, org.keys.admin, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const hitFor = (l: Listener, alertId: string) => l.hits.find((h) => h.alertId === alertId);

beforeAll(async () => {
  // Small chunks and a small hit cap, so that a few hundred indicators exercise both.
  hub = await startTestHub({ env: { TOCSIN_PUSH_CHUNK_SIZE: '100', TOCSIN_CONSTITUENCY_HIT_MAX_INDICATORS: '120' } });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

describe('PUT/GET /api/v1/orgs/:id/constituency', () => {
  let member: SeededOrg;
  let other: SeededOrg;

  beforeAll(async () => {
    member = await seedOrg(hub, { trustLevel: 3, country: 'LU' });
    other = await seedOrg(hub, { trustLevel: 3, country: 'AT' });
  });

  it('stores the constituency normalized, answers it to its admin and the hub’s, and records the change', async () => {
    const put = await setConstituency(member, {
      countries: ['lu'],
      asns: ['as64500', 64501],
      cidrs: ['203.0.113.77/24', '2001:DB8:AB::1/48'],
      domains: ['Example.LU.', 'bücher.example'],
    });
    expect(put).toMatchObject({
      orgId: member.id,
      countries: ['LU'],
      asns: ['AS64500', 'AS64501'],
      cidrs: ['203.0.113.0/24', '2001:db8:ab::/48'],
      domains: ['example.lu', 'xn--bcher-kva.example'],
      version: 1,
    });
    const own = await hub.http('GET', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin);
    expect(own.status).toBe(200);
    expect(own.body).toEqual(put);
    const byHub = await hub.http('GET', `/api/v1/orgs/${member.id}/constituency`, hub.adminKey);
    expect(byHub.body).toEqual(put);

    const again = await hub.http('PUT', `/api/v1/orgs/${member.id}/constituency`, hub.adminKey, { domains: ['lu'] });
    expect(again.body).toMatchObject({ countries: [], asns: [], cidrs: [], domains: ['lu'], version: 2 });

    const audit = await hub.http('GET', `/api/v1/audit?orgId=${member.id}`, hub.adminKey);
    const changes = audit.body.items.filter((e: any) => e.action === 'org.constituency-changed');
    expect(changes.map((e: any) => [e.oldValue.version, e.newValue.version])).toEqual([
      [1, 2],
      [0, 1],
    ]);
    expect(changes[0].newValue).toEqual({ version: 2, countries: 0, asns: 0, cidrs: 0, domains: 1 });
  });

  it('answers an org that never set one with an empty constituency, version 0', async () => {
    const r = await hub.http('GET', `/api/v1/orgs/${other.id}/constituency`, other.keys.admin);
    expect(r.body).toEqual({
      orgId: other.id,
      countries: [],
      asns: [],
      cidrs: [],
      domains: [],
      version: 0,
      updatedAt: null,
    });
  });

  it('is a 404 for another org’s admin, as for an org it may not see', async () => {
    for (const method of ['GET', 'PUT'] as const) {
      const r = await hub.http(
        method,
        `/api/v1/orgs/${member.id}/constituency`,
        other.keys.admin,
        method === 'PUT' ? { domains: [] } : undefined,
      );
      expect(r.status).toBe(404);
      expect(r.body.type).toBe('urn:tocsin:problem:org-not-found');
    }
    const unknown = await hub.http(
      'GET',
      '/api/v1/orgs/00000000-0000-4000-8000-000000000000/constituency',
      hub.adminKey,
    );
    expect(unknown.status).toBe(404);
    const malformed = await hub.http('GET', '/api/v1/orgs/not-an-id/constituency', hub.adminKey);
    expect(malformed.status).toBe(404);
  });

  it.each(['operator', 'reader', 'vetter'] as const)('is a 403 for the org’s own %s key', async (role) => {
    for (const method of ['GET', 'PUT'] as const) {
      const r = await hub.http(
        method,
        `/api/v1/orgs/${member.id}/constituency`,
        member.keys[role],
        method === 'PUT' ? { domains: [] } : undefined,
      );
      expect(r.status).toBe(403);
    }
    const still = await hub.http('GET', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin);
    expect(still.body.domains).toEqual(['lu']);
  });

  it('refuses bad input with a 400 naming each bad field, and keeps the constituency as it was', async () => {
    const r = await hub.http('PUT', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin, {
      countries: ['LU', 'ZZ'],
      asns: ['AS1', 'not-an-asn'],
      cidrs: ['192.0.2.0/24', '192.0.2.0/24', '10.0.0.0/99', 'nope'],
      domains: ['ok.example', 'bad..example'],
      networks: [],
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.errors.map((e: any) => e.pointer).sort()).toEqual(['/networks']);
    const r2 = await hub.http('PUT', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin, {
      countries: ['LU', 'ZZ'],
      asns: ['AS1', 'not-an-asn'],
      cidrs: ['192.0.2.0/24', '192.0.2.0/24', '10.0.0.0/99', 'nope'],
      domains: ['ok.example', 'bad..example'],
    });
    expect(r2.status).toBe(400);
    expect(r2.body.errors.map((e: any) => e.pointer)).toEqual([
      '/countries/1',
      '/asns/1',
      '/cidrs/2',
      '/cidrs/3',
      '/domains/1',
    ]);
    const still = await hub.http('GET', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin);
    expect(still.body).toMatchObject({ domains: ['lu'], version: 2 });
  });
});

describe('constituency-hit', () => {
  let submitter: SeededOrg;

  beforeAll(async () => {
    submitter = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  });

  it('reaches a member whose constituency a GREEN alert touches, right after the alert, live and in replay', async () => {
    const member = await seedOrg(hub, { trustLevel: 2, country: 'PT' });
    const bystander = await seedOrg(hub, { trustLevel: 3, country: 'ES' });
    await setConstituency(member, {
      countries: ['PT'],
      asns: ['AS64502'],
      cidrs: ['91.203.5.0/24', '2a0b:7280::/29'],
      domains: ['h7-victim.pt'],
    });
    const live = listen(member.keys.reader);
    const other = listen(bystander.keys.reader);
    await Promise.all([waitConnected(live.client), waitConnected(other.client)]);

    const id = await submit(
      submitter.keys.operator,
      buildAlert({
        tlp: 'GREEN',
        countries: ['PT', 'ES'],
        indicators: [
          { type: 'ipv4', value: '91.203.5.17' },
          { type: 'domain', value: 'c2.unrelated-h7.com' },
          { type: 'url', value: 'hxxps://www.H7-victim[.]pt/login' },
          { type: 'email', value: 'ceo@mail.h7-victim.pt' },
          { type: 'ipv6', value: '2a0b:7280:100::1' },
          { type: 'asn', value: 'AS64502' },
          { type: 'ipv4', value: '91.203.6.1' },
        ],
      }),
    );
    const hit = await eventually(() => {
      const h = hitFor(live, id);
      expect(h).toBeTruthy();
      return h;
    }, 30_000);
    const alertEvent = live.client.events.find((e) => e.alert.id === id);
    expect(alertEvent).toBeTruthy();
    expect(hit).toEqual({
      seq: alertEvent!.seq,
      alertId: id,
      countries: ['PT'],
      matchCount: 5,
      indicators: [
        { type: 'ipv4', value: '91.203.5.17', matched: { kind: 'cidr', value: '91.203.5.0/24' } },
        { type: 'url', value: 'https://www.h7-victim.pt/login', matched: { kind: 'domain', value: 'h7-victim.pt' } },
        { type: 'email', value: 'ceo@mail.h7-victim.pt', matched: { kind: 'domain', value: 'h7-victim.pt' } },
        { type: 'ipv6', value: '2a0b:7280:100::1', matched: { kind: 'cidr', value: '2a0b:7280::/29' } },
        { type: 'asn', value: 'AS64502', matched: { kind: 'asn', value: 'AS64502' } },
      ],
    });
    // The alert first, then its hit, with the same seq.
    const at = live.order.findIndex(([name, seq]) => name === 'alert' && seq === hit.seq);
    expect(live.order[at + 1]).toEqual(['constituency-hit', hit.seq]);

    // A member without a constituency gets the alert and no hit.
    await eventually(() => expect(other.client.events.map((e) => e.alert.id)).toContain(id));
    expect(other.hits).toEqual([]);

    // Replay from before the alert gives the same hit, after the alert.
    const replay = listen(member.keys.reader, hit.seq - 1);
    await eventually(() => expect(hitFor(replay, id)).toEqual(hit), 30_000);
    const rat = replay.order.findIndex(([name, seq]) => name === 'alert' && seq === hit.seq);
    expect(replay.order[rat + 1]).toEqual(['constituency-hit', hit.seq]);
  });

  it('reaches a socket whose only subscription does not match the alert, live and in replay, without the alert', async () => {
    const member = await seedOrg(hub, { trustLevel: 3, country: 'IE' });
    await setConstituency(member, { cidrs: ['185.220.101.0/24'] });
    const sub = await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, {
      name: 'critical only',
      filters: { minSeverity: 'critical' },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const client = connectAlerts(hub.url, member.keys.reader, undefined, { subscriptions: [sub.body.id] });
    clients.push(client);
    const hits: any[] = [];
    client.socket.on('constituency-hit', (e: any) => hits.push(e));
    await waitConnected(client);

    const id = await submit(
      submitter.keys.operator,
      buildAlert({ tlp: 'GREEN', severity: 'low', indicators: [{ type: 'ipv4', value: '185.220.101.9' }] }),
    );
    const hit = await eventually(() => {
      const h = hits.find((x) => x.alertId === id);
      expect(h).toBeTruthy();
      return h;
    }, 30_000);
    expect(hit.indicators).toEqual([
      { type: 'ipv4', value: '185.220.101.9', matched: { kind: 'cidr', value: '185.220.101.0/24' } },
    ]);
    // The subscription does not match a low alert: the alert itself is not sent, the hit is.
    expect(client.events.map((e) => e.alert.id)).not.toContain(id);

    // Replayed through the same subscription: the hit again, and still not the alert.
    const again = connectAlerts(hub.url, member.keys.reader, hit.seq - 1, { subscriptions: [sub.body.id] });
    clients.push(again);
    const replayed: any[] = [];
    again.socket.on('constituency-hit', (e: any) => replayed.push(e));
    await eventually(() => expect(replayed.find((x) => x.alertId === id)).toEqual(hit), 30_000);
    expect(again.events.map((e) => e.alert.id)).not.toContain(id);
  });

  it('takes a changed constituency into account from the next alert on', async () => {
    const member = await seedOrg(hub, { trustLevel: 3, country: 'IE' });
    await setConstituency(member, { cidrs: ['100.64.0.0/10'] });
    const l = listen(member.keys.reader);
    await waitConnected(l.client);
    const first = await submit(
      submitter.keys.operator,
      buildAlert({ indicators: [{ type: 'domain', value: 'h7-change.ie' }] }),
    );
    await eventually(() => expect(l.client.events.map((e) => e.alert.id)).toContain(first), 30_000);
    await setConstituency(member, { domains: ['h7-change.ie'] });
    const second = await submit(
      submitter.keys.operator,
      buildAlert({ indicators: [{ type: 'domain', value: 'h7-change.ie' }] }),
    );
    await eventually(() => expect(hitFor(l, second)).toBeTruthy(), 30_000);
    expect(hitFor(l, first)).toBeUndefined();
  });

  it('sends a RED alert’s hit to its named recipients only: an unnamed member whose constituency matches gets nothing', async () => {
    const named = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
    const unnamed = await seedOrg(hub, { trustLevel: 4, country: 'BE' });
    const c = { cidrs: ['45.83.64.0/22'], domains: ['h7-red.be'] };
    await setConstituency(named, c);
    await setConstituency(unnamed, c);
    const n = listen(named.keys.reader);
    const u = listen(unnamed.keys.reader);
    await Promise.all([waitConnected(n.client), waitConnected(u.client)]);

    const red = await submit(
      submitter.keys.operator,
      buildAlert({ tlp: 'RED', recipients: [named.id], indicators: [{ type: 'ipv4', value: '45.83.65.9' }] }),
    );
    await eventually(() => expect(hitFor(n, red)?.indicators).toHaveLength(1), 30_000);
    // A later GREEN alert touching both: once the unnamed member has its hit, the RED entry is behind it.
    const sentinel = await submit(
      submitter.keys.operator,
      buildAlert({ tlp: 'GREEN', indicators: [{ type: 'domain', value: 'www.h7-red.be' }] }),
    );
    await eventually(() => expect(hitFor(u, sentinel)).toBeTruthy(), 30_000);
    expect(hitFor(u, red)).toBeUndefined();
    expect(u.client.events.map((e) => e.alert.id)).not.toContain(red);
    expect(u.hits.map((h) => h.alertId)).toEqual([sentinel]);
    expect((await hub.http('GET', `/api/v1/alerts/${red}`, unnamed.keys.reader)).status).toBe(404);

    // Nor in replay.
    const redSeq = hitFor(n, red).seq as number;
    const replay = listen(unnamed.keys.reader, redSeq - 1);
    await eventually(() => expect(hitFor(replay, sentinel)).toBeTruthy(), 30_000);
    expect(replay.hits.map((h) => h.alertId)).toEqual([sentinel]);
    expect(replay.client.events.map((e) => e.alert.id)).not.toContain(red);
  });

  it('matches the indicators of every chunk of a large alert, and lists at most the configured number', async () => {
    const member = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
    await setConstituency(member, { cidrs: ['91.210.1.0/24'] });
    const l = listen(member.keys.reader);
    await waitConnected(l.client);
    const outside = Array.from({ length: 150 }, (_, i) => ({ type: 'ipv4', value: `91.210.0.${i}` }));
    const inside = Array.from({ length: 150 }, (_, i) => ({ type: 'ipv4', value: `91.210.1.${i}` }));
    const id = await submit(submitter.keys.operator, buildAlert({ indicators: [...outside, ...inside] }));
    const hit = await eventually(() => {
      const h = hitFor(l, id);
      expect(h).toBeTruthy();
      return h;
    }, 30_000);
    expect(hit.matchCount).toBe(150);
    expect(hit.indicators).toHaveLength(120);
    expect(hit.indicators[0]).toEqual({
      type: 'ipv4',
      value: '91.210.1.0',
      matched: { kind: 'cidr', value: '91.210.1.0/24' },
    });
    expect(hit.indicators[119].value).toBe('91.210.1.119');
  });

  it('sends no hit on an AMBER alert to a trust-1 member, whose constituency it touches', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1, country: 'IT' });
    await setConstituency(provisional, { domains: ['h7-amber.it'] });
    const l = listen(provisional.keys.reader);
    await waitConnected(l.client);
    const amber = await submit(
      submitter.keys.operator,
      buildAlert({ tlp: 'AMBER', indicators: [{ type: 'domain', value: 'h7-amber.it' }] }),
    );
    // Published before the sentinel is even submitted, so the sentinel's seq is after the AMBER alert's.
    await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/alerts/${amber}`, submitter.keys.reader);
      expect(r.body.status).toBe('published');
    }, 30_000);
    const green = await submit(
      submitter.keys.operator,
      buildAlert({ tlp: 'GREEN', indicators: [{ type: 'domain', value: 'x.h7-amber.it' }] }),
    );
    await eventually(() => expect(hitFor(l, green)).toBeTruthy(), 30_000);
    expect(l.hits.map((h) => h.alertId)).toEqual([green]);
    expect(l.client.events.map((e) => e.alert.id)).not.toContain(amber);
  });
});
