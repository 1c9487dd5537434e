import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { correlated as correlatedIn } from '../harness/pipeline';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * Coordinated alerts end to end (issue 5 §5): reports of one botnet from several countries, in different formats,
 * become one coordinated alert pushed to every member, each seeing only what it may see alone.
 */

interface Recorder {
  readonly client: AlertClient;
  readonly created: any[];
  readonly updated: any[];
}

let hub: TestHub;
let sql: Client;
const recorders: Recorder[] = [];

function record(key: string): Recorder {
  const client = connectAlerts(hub.url, key);
  const r: Recorder = { client, created: [], updated: [] };
  client.socket.on('coordinated-alert', (e: any) => r.created.push(e));
  client.socket.on('coordinated-alert-updated', (e: any) => r.updated.push(e));
  recorders.push(r);
  return r;
}

async function listen(key: string): Promise<Recorder> {
  const r = record(key);
  await waitConnected(r.client);
  return r;
}

async function submit(
  org: SeededOrg,
  body: unknown,
  headers: Record<string, string> = {},
  query = '',
): Promise<string> {
  const r = await hub.http('POST', `/api/v1/alerts${query}`, org.keys.operator, body, headers);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.id as string;
}

async function published(org: SeededOrg, id: string): Promise<any> {
  return eventually(async () => {
    const r = await hub.http('GET', `/api/v1/alerts/${id}`, org.keys.reader);
    expect(r.body.status).toBe('published');
    return r.body;
  }, 30_000);
}

/** Waits until the worker has correlated the alert (corroboration and coordination committed). */
const correlated = (id: string): Promise<void> => correlatedIn(sql, id);

beforeAll(async () => {
  hub = await startTestHub();
  sql = new Client({ connectionString: hub.db.url });
  await sql.connect();
});

afterAll(async () => {
  recorders.forEach((r) => r.client.close());
  await sql?.end();
  await hub?.close();
});

const GREEN_MARKING = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';

function stixBundle(ips: string[], domains: string[]): string {
  const now = '2026-11-28T08:00:00.000Z';
  const objects = [
    ...ips.map((ip) => `[ipv4-addr:value = '${ip}']`),
    ...domains.map((d) => `[domain-name:value = '${d}']`),
  ].map((pattern, i) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${crypto.randomUUID()}`,
    created: now,
    modified: now,
    name: `botnet controller ${i}`,
    pattern,
    pattern_type: 'stix',
    valid_from: now,
    object_marking_refs: [GREEN_MARKING],
  }));
  return JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });
}

function mispEvent(ips: string[]): string {
  return JSON.stringify({
    Event: {
      info: 'Botnet controllers seen from NL',
      threat_level_id: '1',
      Tag: [{ name: 'tlp:green' }],
      Attribute: ips.map((ip) => ({ type: 'ip-dst', category: 'Network activity', to_ids: true, value: ip })),
    },
  });
}

function feodoCsv(ips: string[]): string {
  return [
    'first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware',
    ...ips.map((ip) => `2026-11-27 10:00:00,${ip},443,online,2026-11-28,QakBot`),
  ].join('\n');
}

describe('a botnet reported by three organisations in two countries, in three formats', () => {
  // Addresses outside every warning list (documentation ranges would be flagged and never correlate).
  const C2_A = '45.137.21.9';
  const C2_B = '91.215.85.17';
  const C2_C = '193.42.33.14';
  const C2_DOMAIN = 'upd4te-check.net';

  it('raises one coordinated alert on the third report, pushed to connected members, updated by a fourth', async () => {
    const fr1 = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const de = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
    const fr2 = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const nl = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
    const member = await seedOrg(hub, { trustLevel: 2, country: 'ES' });
    const watcher = await listen(member.keys.reader);
    const reporter = await listen(fr1.keys.reader);

    // 1. FR, native JSON.
    const a = await submit(
      fr1,
      buildAlert({
        tlp: 'GREEN',
        indicators: [
          { type: 'ipv4', value: C2_A },
          { type: 'ipv4', value: C2_B },
          { type: 'domain', value: C2_DOMAIN },
        ],
      }),
    );
    await published(fr1, a);
    await correlated(a);
    // 2. DE, a STIX 2.1 bundle (defanged values are fine too, but STIX patterns carry them plain).
    const b = await submit(
      de,
      stixBundle([C2_A], [C2_DOMAIN.toUpperCase()]),
      {
        'content-type': 'application/stix+json;version=2.1',
      },
      '?title=Botnet%20C2&severity=high',
    );
    await published(de, b);
    await correlated(b);
    // Two organisations are not yet a coordinated alert, but they corroborate each other.
    expect(watcher.created).toEqual([]);
    const corroborated = await hub.http('GET', `/api/v1/alerts/${b}`, de.keys.reader);
    expect(corroborated.body.confidence).toBe(65);
    // The link shows on both alerts, to whoever may see both.
    const linkedA = await hub.http('GET', `/api/v1/alerts/${a}`, member.keys.reader);
    expect(linkedA.body.linkedAlerts).toEqual([
      {
        alertId: b,
        orgId: de.id,
        country: 'DE',
        source: { attribution: 'named', country: 'DE', trustBand: 'trusted', org: { id: de.id, name: de.name } },
        submittedAt: expect.any(String),
        sharedCount: 2,
        sharedIndicators: [`domain:${C2_DOMAIN}`, `ipv4:${C2_A}`],
      },
    ]);

    // 3. FR again (another CERT), a Feodo-style CSV: only C2_B, which links it to A alone (transitively to B).
    const c = await submit(
      fr2,
      feodoCsv([C2_B, C2_C]),
      { 'content-type': 'text/csv' },
      '?title=QakBot%20C2&tlp=green&severity=high',
    );
    await published(fr2, c);

    const created = await eventually(() => {
      expect(watcher.created).toHaveLength(1);
      return watcher.created[0];
    }, 30_000);
    const view = created.coordinatedAlert;
    expect(created.seq).toEqual(expect.any(Number));
    expect(view).toMatchObject({
      status: 'active',
      tlp: 'GREEN',
      orgCount: 3,
      countries: ['DE', 'FR'],
      reportCount: 3,
    });
    expect(view.reports.map((r: any) => r.alertId).sort()).toEqual([a, b, c].sort());
    expect(view.reports.map((r: any) => r.orgId).sort()).toEqual([fr1.id, de.id, fr2.id].sort());
    expect(view.sharedIndicators).toEqual([`domain:${C2_DOMAIN}`, `ipv4:${C2_A}`, `ipv4:${C2_B}`]);
    // A reporter gets it too; nobody gets it twice.
    await eventually(() => expect(reporter.created.map((e) => e.coordinatedAlert.id)).toEqual([view.id]));
    expect(watcher.updated).toEqual([]);

    // REST: the same view, in the list and by id.
    const byId = await hub.http('GET', `/api/v1/coordinated-alerts/${view.id}`, member.keys.reader);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(view);
    const list = await hub.http('GET', '/api/v1/coordinated-alerts?status=active', member.keys.reader);
    expect(list.body.items.map((x: any) => x.id)).toEqual([view.id]);

    // 4. NL, a MISP event: joins, and everyone who has it gets an update.
    const d = await submit(nl, mispEvent([C2_A]), { 'content-type': 'application/misp+json' }, '?severity=high');
    await published(nl, d);
    const updated = await eventually(() => {
      expect(watcher.updated).toHaveLength(1);
      return watcher.updated[0];
    }, 30_000);
    expect(updated.seq).toBeGreaterThan(created.seq);
    expect(updated.coordinatedAlert).toMatchObject({
      id: view.id,
      orgCount: 4,
      countries: ['DE', 'FR', 'NL'],
      reportCount: 4,
    });
    expect(watcher.created).toHaveLength(1);

    // A late subscriber replaying from before it all gets the coordinated alert, then its update, in seq order.
    const replay = connectAlerts(hub.url, member.keys.reader, created.seq - 1);
    const replayed: { name: string; seq: number }[] = [];
    replay.socket.on('coordinated-alert', (e: any) => replayed.push({ name: 'coordinated-alert', seq: e.seq }));
    replay.socket.on('coordinated-alert-updated', (e: any) => replayed.push({ name: 'updated', seq: e.seq }));
    recorders.push({ client: replay, created: [], updated: [] });
    await eventually(() =>
      expect(replayed).toEqual([
        { name: 'coordinated-alert', seq: created.seq },
        { name: 'updated', seq: updated.seq },
      ]),
    );

    // Closing: reviewers and hub admins only, with a reason; holders get an update.
    const byOperator = await hub.http('POST', `/api/v1/coordinated-alerts/${view.id}/close`, fr1.keys.operator, {
      reason: 'contained',
    });
    expect(byOperator.status).toBe(403);
    const noReason = await hub.http('POST', `/api/v1/coordinated-alerts/${view.id}/close`, hub.adminKey, {});
    expect(noReason.status).toBe(400);
    const closed = await hub.http('POST', `/api/v1/coordinated-alerts/${view.id}/close`, hub.adminKey, {
      reason: 'controllers sinkholed',
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('closed');
    await eventually(() => expect(watcher.updated.map((e) => e.coordinatedAlert.status)).toEqual(['active', 'closed']));
  });
});

describe('a report sharing many values', () => {
  it('stays linked to every report it shares a value with, however many values it shares with another', async () => {
    const fr = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const de = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
    const se = await seedOrg(hub, { trustLevel: 3, country: 'SE' });
    const watcher = await listen(se.keys.reader);
    // 300 values shared by FR and DE (more than a link stores), and one, sorting after all of them, by FR and SE.
    const many = Array.from({ length: 300 }, (_, i) => ({ type: 'ipv4', value: `77.91.${i >> 8}.${i & 255}` }));
    const last = { type: 'ipv4', value: '97.0.0.1' };
    const a = await submit(fr, buildAlert({ indicators: [...many, last] }));
    await published(fr, a);
    await correlated(a);
    const b = await submit(de, buildAlert({ indicators: many }));
    await published(de, b);
    await correlated(b);
    const c = await submit(se, buildAlert({ indicators: [last] }));
    await published(se, c);
    const view = await eventually(() => {
      const found = watcher.created.find((e) => e.coordinatedAlert.reports.some((r: any) => r.alertId === c));
      expect(found).toBeDefined();
      return found.coordinatedAlert;
    }, 30_000);
    expect(view.reports.map((r: any) => r.alertId).sort()).toEqual([a, b, c].sort());
    expect(view.sharedIndicators).toContain('ipv4:97.0.0.1');
  });
});

describe('a report revoked by its submitter', () => {
  const SHARED = 'kv-telemetry-sync.org';

  it('leaves the coordinated alert: an update while enough reports stand, then withdrawn', async () => {
    const orgs = await Promise.all(['FR', 'DE', 'NL', 'PL'].map((country) => seedOrg(hub, { trustLevel: 3, country })));
    const watcherOrg = await seedOrg(hub, { trustLevel: 2, country: 'ES' });
    const watcher = await listen(watcherOrg.keys.reader);
    const withdrawn: any[] = [];
    watcher.client.socket.on('coordinated-alert-withdrawn', (e: any) => withdrawn.push(e));
    const ids: string[] = [];
    for (const org of orgs) {
      const id = await submit(org, buildAlert({ indicators: [{ type: 'domain', value: SHARED }] }));
      await published(org, id);
      await correlated(id);
      ids.push(id);
    }
    const created = await eventually(() => {
      const e = watcher.created.find((x) => x.coordinatedAlert.reports.some((r: any) => r.alertId === ids[0]));
      expect(e).toBeDefined();
      return e.coordinatedAlert;
    }, 30_000);
    await eventually(() =>
      expect(
        watcher.updated.filter((e) => e.coordinatedAlert.id === created.id).map((e) => e.coordinatedAlert.orgCount),
      ).toEqual([4]),
    );

    const revoke = (i: number) =>
      hub.http('POST', `/api/v1/alerts/${ids[i]}/revoke`, orgs[i]!.keys.operator, { reason: 'mistaken attribution' });
    expect((await revoke(3)).status).toBe(200);
    await eventually(() => {
      const mine = watcher.updated.filter((e) => e.coordinatedAlert.id === created.id);
      expect(mine.map((e) => e.coordinatedAlert.orgCount)).toEqual([4, 3]);
      expect(mine[1].coordinatedAlert.reports.map((r: any) => r.alertId)).not.toContain(ids[3]);
    }, 30_000);
    const three = await hub.http('GET', `/api/v1/coordinated-alerts/${created.id}`, watcherOrg.keys.reader);
    expect(three.body.reportCount).toBe(3);

    expect((await revoke(2)).status).toBe(200);
    await eventually(() => expect(withdrawn.map((e) => e.coordinatedAlertId)).toEqual([created.id]), 30_000);
    const gone = await hub.http('GET', `/api/v1/coordinated-alerts/${created.id}`, watcherOrg.keys.reader);
    expect(gone.status).toBe(404);
  });
});

describe('a coordinated alert with a RED part', () => {
  const SHARED = '5.188.206.14';

  it('shows the RED part only to its named recipients and submitter, and hides it from everyone else', async () => {
    const fr = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const de = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
    const it_ = await seedOrg(hub, { trustLevel: 3, country: 'IT' });
    const named = await seedOrg(hub, { trustLevel: 3, country: 'BE' });
    const outsider = await seedOrg(hub, { trustLevel: 4, country: 'AT' });
    const nl = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
    const outsiderSocket = await listen(outsider.keys.reader);
    const namedSocket = await listen(named.keys.reader);
    const redSubmitterSocket = await listen(it_.keys.reader);

    const greenFr = await submit(fr, buildAlert({ tlp: 'GREEN', indicators: [{ type: 'ipv4', value: SHARED }] }));
    await published(fr, greenFr);
    await correlated(greenFr);
    const greenDe = await submit(de, buildAlert({ tlp: 'GREEN', indicators: [{ type: 'ipv4', value: SHARED }] }));
    await published(de, greenDe);
    await correlated(greenDe);
    // The third report is RED, naming one recipient: only with it are there three organisations.
    const red = await submit(
      it_,
      buildAlert({ tlp: 'RED', recipients: [named.id], indicators: [{ type: 'ipv4', value: SHARED }] }),
    );
    await published(it_, red);
    await correlated(red);

    const seen = await eventually(() => {
      expect(namedSocket.created).toHaveLength(1);
      return namedSocket.created[0].coordinatedAlert;
    }, 30_000);
    expect(seen).toMatchObject({ tlp: 'RED', orgCount: 3, countries: ['DE', 'FR', 'IT'] });
    expect(seen.reports.map((r: any) => r.alertId)).toContain(red);
    await eventually(() => expect(redSubmitterSocket.created.map((e) => e.coordinatedAlert.id)).toEqual([seen.id]));

    // Everyone else: no event, not in the list, and 404 by id, exactly as for an id that does not exist.
    expect(outsiderSocket.created).toEqual([]);
    const list = await hub.http('GET', '/api/v1/coordinated-alerts', outsider.keys.reader);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: any) => x.id)).not.toContain(seen.id);
    const namedList = await hub.http('GET', '/api/v1/coordinated-alerts', named.keys.reader);
    expect(namedList.body.items.map((x: any) => x.id)).toContain(seen.id);
    const byId = await hub.http('GET', `/api/v1/coordinated-alerts/${seen.id}`, outsider.keys.reader);
    const missing = await hub.http('GET', `/api/v1/coordinated-alerts/${crypto.randomUUID()}`, outsider.keys.reader);
    expect(byId.status).toBe(404);
    expect(byId.body.detail).toBe(missing.body.detail);
    // Nor does the GREEN report it may see list its link to the RED one; the named recipient's does.
    const fromOutsider = await hub.http('GET', `/api/v1/alerts/${greenFr}`, outsider.keys.reader);
    expect(fromOutsider.body.linkedAlerts.map((l: any) => l.alertId)).toEqual([greenDe]);
    const fromNamed = await hub.http('GET', `/api/v1/alerts/${greenFr}`, named.keys.reader);
    expect(fromNamed.body.linkedAlerts.map((l: any) => l.alertId).sort()).toEqual([greenDe, red].sort());
    // Nor can it close what it cannot see.
    const close = await hub.http('POST', `/api/v1/coordinated-alerts/${seen.id}/close`, outsider.keys.vetter, {
      reason: 'x',
    });
    expect(close.status).toBe(404);

    // A fourth, GREEN report makes three visible organisations: the outsider now gets the coordinated alert, built
    // from the GREEN reports alone (no IT, no RED report, TLP GREEN); the named recipient gets an update.
    const greenNl = await submit(nl, buildAlert({ tlp: 'GREEN', indicators: [{ type: 'ipv4', value: SHARED }] }));
    await published(nl, greenNl);
    const outsiderView = await eventually(() => {
      expect(outsiderSocket.created).toHaveLength(1);
      return outsiderSocket.created[0].coordinatedAlert;
    }, 30_000);
    expect(outsiderView).toMatchObject({ id: seen.id, tlp: 'GREEN', orgCount: 3, countries: ['DE', 'FR', 'NL'] });
    expect(outsiderView.reports.map((r: any) => r.alertId).sort()).toEqual([greenFr, greenDe, greenNl].sort());
    expect(JSON.stringify(outsiderView)).not.toContain(red);
    expect(JSON.stringify(outsiderView)).not.toContain(it_.id);
    await eventually(() => expect(namedSocket.updated.map((e) => e.coordinatedAlert.orgCount)).toEqual([4]));
    const rest = await hub.http('GET', `/api/v1/coordinated-alerts/${seen.id}`, outsider.keys.reader);
    expect(rest.body).toEqual(outsiderView);
  });
});

describe('corroboration', () => {
  it('releases a member’s held high-severity alert once a trusted org publishes the same indicator', async () => {
    const member = await seedOrg(hub, { trustLevel: 2, country: 'PL' });
    const trusted = await seedOrg(hub, { trustLevel: 3, country: 'CZ' });
    const ip = '62.233.50.25';
    const held = await submit(member, buildAlert({ severity: 'high', indicators: [{ type: 'ipv4', value: ip }] }));
    await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/alerts/${held}`, member.keys.reader);
      expect(r.body.status).toBe('pending_review');
    }, 30_000);
    const confirm = await submit(trusted, buildAlert({ severity: 'low', indicators: [{ type: 'ipv4', value: ip }] }));
    await published(trusted, confirm);
    const released = await published(member, held);
    expect(released.statusReason).toBe('published on corroboration by 1 other organisation');
    expect(released.confidence).toBe(65);
  });

  it('publishes directly a member’s alert that a trusted org already published', async () => {
    const member = await seedOrg(hub, { trustLevel: 2, country: 'PL' });
    const trusted = await seedOrg(hub, { trustLevel: 3, country: 'CZ' });
    const domain = 'payload-cdn-update.xyz';
    const first = await submit(trusted, buildAlert({ indicators: [{ type: 'domain', value: domain }] }));
    await published(trusted, first);
    const second = await submit(
      member,
      buildAlert({
        severity: 'critical',
        indicators: [
          { type: 'url', value: `hxxps://${domain}/a.exe` },
          { type: 'domain', value: `${domain.replace('.xyz', '[.]xyz')}` },
        ],
      }),
    );
    expect((await published(member, second)).statusReason).toBe('published on corroboration by 1 other organisation');
  });

  it.each([
    // Its confidence still rises: everyone who may see its alert may see the corroborating report.
    ['a provisional submitter (trust 1): a human always reviews', 1, 'GREEN', '80.66.88.71', false, 70],
    ['a RED corroborator: not everyone who sees the alert may see it', 2, 'RED', '80.66.88.72', true, null],
    ['a warning-listed indicator (it never corroborates)', 2, 'GREEN', '8.8.8.8', false, null],
  ])('does not release for %s', async (_label, submitterTrust, corroboratorTlp, ip, named, confidence) => {
    const submitter = await seedOrg(hub, { trustLevel: submitterTrust, country: 'PL' });
    const trusted = await seedOrg(hub, { trustLevel: 4, country: 'CZ' });
    const held = await submit(submitter, buildAlert({ severity: 'high', indicators: [{ type: 'ipv4', value: ip }] }));
    await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/alerts/${held}`, submitter.keys.reader);
      expect(r.body.status).toBe('pending_review');
    }, 30_000);
    const recipients = named ? [(await seedOrg(hub, { trustLevel: 3, country: 'SK' })).id] : [];
    const other = await submit(
      trusted,
      buildAlert({ tlp: corroboratorTlp, recipients, indicators: [{ type: 'ipv4', value: ip }] }),
    );
    await published(trusted, other);
    await correlated(other);
    const still = await hub.http('GET', `/api/v1/alerts/${held}`, submitter.keys.reader);
    expect(still.body).toMatchObject({ status: 'pending_review', confidence });
  });
});

describe('coordinated alerts and subscriptions', () => {
  it('go to coordinatedOnly subscriptions and whole-feed sockets, never to other subscriptions', async () => {
    const ips = ['185.225.74.51', '194.26.192.77'];
    const fr1 = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const de = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
    const fr2 = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const member = await seedOrg(hub, { trustLevel: 2, country: 'ES' });
    const sub = async (filters: unknown) =>
      (await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, { filters })).body.id as string;
    const only = await sub({ coordinatedOnly: true });
    const plain = await sub({});
    const cOnly = connectAlerts(hub.url, member.keys.reader, undefined, { subscriptions: [only] });
    const cPlain = connectAlerts(hub.url, member.keys.reader, undefined, { subscriptions: [plain] });
    const cWhole = connectAlerts(hub.url, member.keys.reader);
    for (const c of [cOnly, cPlain, cWhole]) {
      recorders.push({ client: c, created: [], updated: [] });
      await waitConnected(c);
    }
    const reports: string[] = [];
    for (const org of [fr1, de, fr2]) {
      const id = await submit(
        org,
        buildAlert({ tlp: 'GREEN', indicators: ips.map((value) => ({ type: 'ipv4', value })) }),
      );
      await published(org, id);
      await correlated(id);
      reports.push(id);
    }
    const created = (c: AlertClient) => c.all.filter((x) => x.name === 'coordinated-alert');
    await eventually(() => expect(created(cWhole)).toHaveLength(1), 30_000);
    await eventually(() => expect(created(cOnly).map((x) => x.body.subscriptions)).toEqual([[only]]), 30_000);
    // A later alert marks the end of what each socket was sent before it (each socket gets seq order).
    const end = await submit(fr1, buildAlert({ tlp: 'CLEAR' }));
    await eventually(() => expect(cPlain.events.map((e) => e.alert.id)).toContain(end), 30_000);
    expect(cPlain.events.map((e) => e.alert.id)).toEqual([...reports, end]);
    expect(cPlain.all.some((x) => x.name.startsWith('coordinated-'))).toBe(false);
    expect(cOnly.events).toEqual([]);
    expect(cWhole.all.every((x) => x.body.subscriptions === undefined)).toBe(true);
  });
});
