import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import {
  connectAlerts,
  startTestHub,
  submitAlerts,
  waitConnected,
  type AlertClient,
  type TestHub,
} from '../harness/hub';

let hub: TestHub;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

function open(token: string, lastSeq?: number, subscriptions?: unknown): AlertClient {
  const c = connectAlerts(hub.url, token, lastSeq, subscriptions === undefined ? {} : { subscriptions });
  clients.push(c);
  return c;
}

describe('/api/v1/subscriptions', () => {
  let member: SeededOrg;
  let other: SeededOrg;

  beforeAll(async () => {
    member = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
    other = await seedOrg(hub, { trustLevel: 3, country: 'SE' });
  });

  it('creates, lists, reads, changes and deletes an organisation’s own subscriptions (operator and reader keys)', async () => {
    const created = await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, {
      name: 'energy in Finland',
      filters: { minSeverity: 'high', sectors: ['energy'], countries: ['FI'], classifications: ['malicious-code'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'energy in Finland',
      filters: { minSeverity: 'high', sectors: ['energy'], countries: ['FI'], classifications: ['malicious-code'] },
    });
    expect(created.body.ackedSeq).toEqual(expect.any(Number));
    const id = created.body.id as string;

    const second = await hub.http('POST', '/api/v1/subscriptions', member.keys.operator, {
      filters: { coordinatedOnly: true },
    });
    expect(second.status).toBe(201);

    const list = await hub.http('GET', '/api/v1/subscriptions', member.keys.operator);
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([id, second.body.id]);

    const changed = await hub.http('PATCH', `/api/v1/subscriptions/${id}`, member.keys.operator, {
      filters: { tlp: ['CLEAR', 'GREEN'] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.filters).toEqual({ tlp: ['CLEAR', 'GREEN'] });
    expect(changed.body.name).toBe('energy in Finland');

    expect((await hub.http('GET', `/api/v1/subscriptions/${id}`, member.keys.reader)).body.filters).toEqual({
      tlp: ['CLEAR', 'GREEN'],
    });
    expect((await hub.http('DELETE', `/api/v1/subscriptions/${id}`, member.keys.reader)).status).toBe(204);
    const gone = await hub.http('GET', `/api/v1/subscriptions/${id}`, member.keys.reader);
    expect(gone.status).toBe(404);
    expect(gone.body.type).toBe('urn:tocsin:problem:subscription-not-found');
  });

  it('answers another organisation’s subscription, and a malformed id, exactly like a missing one: 404', async () => {
    const mine = await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, { filters: {} });
    const id = mine.body.id as string;
    for (const [method, path, body] of [
      ['GET', `/api/v1/subscriptions/${id}`, undefined],
      ['PATCH', `/api/v1/subscriptions/${id}`, { name: 'taken over' }],
      ['DELETE', `/api/v1/subscriptions/${id}`, undefined],
      ['GET', '/api/v1/subscriptions/not-a-uuid', undefined],
      ['PATCH', '/api/v1/subscriptions/not-a-uuid', { name: 'x' }],
      ['DELETE', '/api/v1/subscriptions/00000000-0000-4000-8000-000000000000', undefined],
    ] as const) {
      const r = await hub.http(method, path, other.keys.operator, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.type).toBe('urn:tocsin:problem:subscription-not-found');
    }
    const theirs = await hub.http('GET', '/api/v1/subscriptions', other.keys.reader);
    expect(theirs.body.items.map((s: { id: string }) => s.id)).not.toContain(id);
    // Still there, unchanged, for its owner.
    expect((await hub.http('GET', `/api/v1/subscriptions/${id}`, member.keys.reader)).body.name).toBeNull();
    expect((await hub.http('GET', '/api/v1/subscriptions', null)).status).toBe(401);
  });

  it('refuses bad filters with a 400 naming each field', async () => {
    const r = await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, {
      filters: {
        minSeverity: 'huge',
        classifications: ['malicious-code/not-a-type'],
        countries: [],
        indicatorTypes: ['ipv5'],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('urn:tocsin:problem:invalid-body');
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/filters/classifications/0',
      '/filters/countries',
      '/filters/indicatorTypes/0',
      '/filters/minSeverity',
    ]);
  });

  it('keeps at most 100 subscriptions per organisation: the 101st is a 409', async () => {
    const full = await seedOrg(hub, { trustLevel: 2, country: 'EE' });
    for (let i = 0; i < 100; i++) {
      expect((await hub.http('POST', '/api/v1/subscriptions', full.keys.reader, { name: `s${i}` })).status).toBe(201);
    }
    const over = await hub.http('POST', '/api/v1/subscriptions', full.keys.reader, {});
    expect(over.status).toBe(409);
    expect(over.body.type).toBe('urn:tocsin:problem:too-many-subscriptions');
    // Another organisation is not affected.
    expect((await hub.http('POST', '/api/v1/subscriptions', other.keys.reader, {})).status).toBe(201);
  });

  it('refuses a handshake naming an unknown or another organisation’s subscription, the same way', async () => {
    const theirs = await hub.http('POST', '/api/v1/subscriptions', other.keys.reader, {});
    for (const subscriptions of [[theirs.body.id], ['00000000-0000-4000-8000-000000000000']]) {
      const c = open(member.keys.reader, undefined, subscriptions);
      await expect(waitConnected(c)).rejects.toThrow('subscription-not-found');
    }
    const bad = open(member.keys.reader, undefined, ['nope']);
    await expect(waitConnected(bad)).rejects.toThrow('invalid subscriptions');
  });
});

describe('filtered delivery', () => {
  let fi: SeededOrg;
  let se: SeededOrg;
  let member: SeededOrg;
  let stranger: SeededOrg;
  let subA: string;
  let subB: string;

  beforeAll(async () => {
    fi = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
    se = await seedOrg(hub, { trustLevel: 3, country: 'SE' });
    member = await seedOrg(hub, { trustLevel: 2, country: 'DK' });
    stranger = await seedOrg(hub, { trustLevel: 3, country: 'NO' });
    subA = (
      await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, {
        name: 'A',
        filters: { minSeverity: 'high', countries: ['FI', 'EE'] },
      })
    ).body.id;
    subB = (
      await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, {
        name: 'B',
        filters: { sourceCountries: ['SE'], indicatorTypes: ['domain'], tlp: ['GREEN', 'AMBER', 'RED'] },
      })
    ).body.id;
  });

  const severities = ['low', 'medium', 'high', 'critical'];
  const tlps = ['CLEAR', 'GREEN', 'AMBER', 'RED'];
  /** A spread of alerts over both filters' dimensions; RED ones go to the stranger only (never to member). */
  function batch(n: number, tag: string) {
    return Array.from({ length: n }, (_, i) => {
      const fromSe = i % 2 === 0;
      const tlp = tlps[Math.floor(i / 2) % tlps.length]!;
      const severity = severities[Math.floor(i / 8) % severities.length]!;
      const countries = i % 3 === 0 ? ['FI'] : i % 3 === 1 ? ['NO'] : ['EE', 'LV'];
      const withDomain = i % 5 !== 0;
      return {
        key: (fromSe ? se : fi).keys.operator,
        body: buildAlert({
          title: `${tag} ${i}`,
          severity,
          tlp,
          countries,
          ...(tlp === 'RED' ? { recipients: [stranger.id] } : {}),
          indicators: [
            { type: 'ipv4', value: `203.0.113.${i % 250}` },
            ...(withDomain ? [{ type: 'domain', value: `h${i}.example.org` }] : []),
          ],
        }),
        a: tlp !== 'RED' && ['high', 'critical'].includes(severity) && !countries.includes('NO'),
        b: tlp !== 'RED' && tlp !== 'CLEAR' && fromSe && withDomain,
      };
    });
  }

  async function published(ids: string[]): Promise<void> {
    await eventually(
      async () => {
        // The stranger (trust 3, every RED alert's recipient) may see them all.
        for (const id of ids) {
          const r = await hub.http('GET', `/api/v1/alerts/${id}`, stranger.keys.reader);
          expect(r.body.status).toBe('published');
        }
      },
      120_000,
      200,
    );
  }

  /** The socket got exactly these alerts (of this test's rounds), once each, each naming these subscriptions. */
  function expectExactly(c: AlertClient, ids: Set<string>, subscriptions: string[] | undefined): void {
    const got = c.events.filter((e) => String(e.alert.title).startsWith('round'));
    expect(new Set(got.map((e) => e.alert.id))).toEqual(ids);
    expect(got.length).toBe(ids.size);
    for (const e of got) {
      expect(e.subscriptions).toEqual(subscriptions);
    }
  }

  it('gives each subscription exactly its alerts, live and after a disconnect of 500 alerts, naming the match', async () => {
    const a = open(member.keys.reader, undefined, [subA]);
    const b = open(member.keys.reader, undefined, [subB]);
    const both = open(member.keys.reader, undefined, [subA, subB]);
    const whole = open(member.keys.reader);
    await Promise.all([a, b, both, whole].map((s) => waitConnected(s)));

    const live = batch(40, 'round live');
    const liveIds = await submitAlerts(hub, live);
    await published(liveIds);
    const wantA = new Set(liveIds.filter((_, i) => live[i]!.a));
    const wantB = new Set(liveIds.filter((_, i) => live[i]!.b));
    expect(wantA.size).toBeGreaterThan(0);
    expect(wantB.size).toBeGreaterThan(0);
    const visible = new Set(liveIds.filter((_, i) => live[i]!.body.tlp !== 'RED'));
    await eventually(() => expectExactly(whole, visible, undefined), 30_000);
    await eventually(() => expectExactly(a, wantA, [subA]), 30_000);
    await eventually(() => expectExactly(b, wantB, [subB]), 30_000);
    await eventually(() => expect(new Set(both.events.map((e) => e.alert.id))).toEqual(new Set([...wantA, ...wantB])));
    for (const e of both.events) {
      expect(e.subscriptions).toEqual([wantA.has(e.alert.id) && subA, wantB.has(e.alert.id) && subB].filter(Boolean));
    }

    // Away for 500 alerts, then back with lastSeq: replay gives each exactly its share, in order, then live.
    const lastA = Math.max(...a.events.map((e) => e.seq));
    const lastB = Math.max(...b.events.map((e) => e.seq));
    a.close();
    b.close();
    const away = batch(500, 'round away');
    const awayIds = await submitAlerts(hub, away);
    await published(awayIds);
    const awayA = new Set(awayIds.filter((_, i) => away[i]!.a));
    const awayB = new Set(awayIds.filter((_, i) => away[i]!.b));
    const a2 = open(member.keys.reader, lastA, [subA]);
    const b2 = open(member.keys.reader, lastB, [subB]);
    await Promise.all([a2, b2].map((s) => waitConnected(s)));
    await eventually(() => expectExactly(a2, awayA, [subA]), 60_000);
    await eventually(() => expectExactly(b2, awayB, [subB]), 60_000);
    for (const c of [a2, b2]) {
      const seqs = c.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
  }, 300_000);

  it('applies a changed filter to attached sockets at once, and disconnects one whose last subscription is deleted', async () => {
    const id = (await hub.http('POST', '/api/v1/subscriptions', member.keys.reader, { filters: { countries: ['IS'] } }))
      .body.id as string;
    const c = open(member.keys.reader, undefined, [id]);
    await waitConnected(c);
    const [missed] = await submitAlerts(hub, [
      { key: fi.keys.operator, body: buildAlert({ title: 'to LT', countries: ['LT'] }) },
    ]);
    await eventually(async () => {
      expect((await hub.http('GET', `/api/v1/alerts/${missed}`, fi.keys.reader)).body.status).toBe('published');
    });
    expect(
      (await hub.http('PATCH', `/api/v1/subscriptions/${id}`, member.keys.reader, { filters: { countries: ['LT'] } }))
        .status,
    ).toBe(200);
    // The change travels through Redis to the gateway; retry until a new alert to LT arrives.
    await eventually(async () => {
      const [next] = await submitAlerts(hub, [
        { key: fi.keys.operator, body: buildAlert({ title: 'to LT again', countries: ['LT'] }) },
      ]);
      await eventually(() => expect(c.events.map((e) => e.alert.id)).toContain(next), 5_000);
    }, 30_000);
    expect(c.events.map((e) => e.alert.id)).not.toContain(missed);
    expect((await hub.http('DELETE', `/api/v1/subscriptions/${id}`, member.keys.reader)).status).toBe(204);
    await eventually(() => expect(c.socket.connected).toBe(false));
  });

  it('names matched subscriptions on an alert’s follow-ups, which follow the alert as published', async () => {
    const c = open(member.keys.reader, undefined, [subA, subB]);
    await waitConnected(c);
    const [id] = await submitAlerts(hub, [
      {
        key: fi.keys.operator,
        body: buildAlert({ title: 'followed', severity: 'critical', countries: ['FI'], tlp: 'GREEN' }),
      },
    ]);
    await eventually(() => expect(c.events.map((e) => e.alert.id)).toContain(id));
    // Lowered below subscription A's minSeverity: the update still reaches it, as does the revocation.
    expect((await hub.http('PATCH', `/api/v1/alerts/${id}`, fi.keys.operator, { severity: 'low' })).status).toBe(200);
    expect(
      (await hub.http('POST', `/api/v1/alerts/${id}/revoke`, fi.keys.operator, { reason: 'test over' })).status,
    ).toBe(200);
    await eventually(() => {
      const updated = c.all.find((x) => x.name === 'alert-updated' && x.body.alert.id === id);
      const revoked = c.all.find((x) => x.name === 'alert-revoked' && x.body.alertId === id);
      expect(updated?.body.subscriptions).toEqual([subA]);
      expect(revoked?.body.subscriptions).toEqual([subA]);
    });
  });
});
