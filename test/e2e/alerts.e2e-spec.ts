import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

let hub: TestHub;
const clients: AlertClient[] = [];
const open = (token: string, lastSeq?: number) => {
  const c = connectAlerts(hub.url, token, lastSeq);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

async function submit(key: string, body: Record<string, unknown>): Promise<string> {
  const r = await hub.http('POST', '/api/v1/alerts', key, body);
  expect(r.status).toBe(202);
  expect(r.body.status).toBe('queued');
  return r.body.id as string;
}

async function statusOf(key: string, id: string): Promise<string> {
  const r = await hub.http('GET', `/api/v1/alerts/${id}`, key);
  expect(r.status).toBe(200);
  return r.body.status as string;
}

describe('live push over /alerts', () => {
  let a: SeededOrg;
  let b: SeededOrg;

  beforeAll(async () => {
    a = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    b = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  });

  it('pushes a trust-3 org’s alert to another trust-3 org’s socket with its seq', async () => {
    const client = open(b.keys.reader);
    await waitConnected(client);
    const id = await submit(a.keys.operator, buildAlert({ title: 'Live push check', tlp: 'AMBER' }));
    const event = await eventually(() => {
      const e = client.events.find((x) => x.alert.id === id);
      if (!e) {
        throw new Error('not yet');
      }
      return e;
    });
    expect(event.seq).toBeGreaterThan(0);
    expect(event.alert).toMatchObject({
      id,
      title: 'Live push check',
      tlp: 'AMBER',
      severity: 'high',
      seq: event.seq,
      sourceOrg: { id: a.id, country: 'FR' },
    });
    // Canonical values; documentation addresses and names are flagged by the warning lists, with the reason.
    expect(event.alert.indicators).toEqual([
      {
        type: 'ipv4',
        value: '198.51.100.23',
        flags: ['warning-listed'],
        actionable: false,
        warning: { list: expect.any(String), reason: expect.stringContaining('RFC') },
      },
      {
        type: 'domain',
        value: 'c2.example.net',
        flags: ['warning-listed'],
        actionable: false,
        warning: { list: expect.any(String), reason: expect.stringContaining('special-use') },
      },
    ]);
    const seen = await hub.http('GET', `/api/v1/alerts/${id}`, b.keys.reader);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id, status: 'published', seq: event.seq });
    expect(seen.body.recipients).toBeUndefined();
  });

  it('keeps a trust-1 org’s alert in pending_review and pushes nothing', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1, country: 'PL' });
    const client = open(b.keys.reader);
    await waitConnected(client);
    const held = await submit(provisional.keys.operator, buildAlert({ title: 'Held for review' }));
    await eventually(async () => expect(await statusOf(provisional.keys.operator, held)).toBe('pending_review'));
    // A later alert from a trusted org arrives; events come in seq order, so the held one was never pushed.
    const sentinel = await submit(a.keys.operator, buildAlert({ title: 'Sentinel after review hold' }));
    await eventually(() => expect(client.events.map((e) => e.alert.id)).toContain(sentinel));
    expect(client.events.map((e) => e.alert.id)).not.toContain(held);
    const other = await hub.http('GET', `/api/v1/alerts/${held}`, b.keys.reader);
    expect(other.status).toBe(404);
    const own = await hub.http('GET', `/api/v1/alerts/${held}`, provisional.keys.reader);
    expect(own.body).toMatchObject({
      status: 'pending_review',
      statusReason: expect.stringContaining('trust level 1'),
    });
  });

  it('delivers a RED alert to its named recipient and no one else', async () => {
    const named = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
    const unnamed = await seedOrg(hub, { trustLevel: 4, country: 'BE' });
    const namedClient = open(named.keys.reader);
    const unnamedClient = open(unnamed.keys.reader);
    await Promise.all([waitConnected(namedClient), waitConnected(unnamedClient)]);
    const red = await submit(
      a.keys.operator,
      buildAlert({ title: 'For named eyes only', tlp: 'RED', recipients: [named.id] }),
    );
    await eventually(() => expect(namedClient.events.map((e) => e.alert.id)).toContain(red));
    const sentinel = await submit(a.keys.operator, buildAlert({ title: 'Sentinel after RED' }));
    await eventually(() => expect(unnamedClient.events.map((e) => e.alert.id)).toContain(sentinel));
    expect(unnamedClient.events.map((e) => e.alert.id)).not.toContain(red);
    expect((await hub.http('GET', `/api/v1/alerts/${red}`, unnamed.keys.reader)).status).toBe(404);
    expect((await hub.http('GET', `/api/v1/alerts/${red}`, named.keys.reader)).status).toBe(200);
    const own = await hub.http('GET', `/api/v1/alerts/${red}`, a.keys.reader);
    expect(own.body.recipients).toEqual([named.id]);
  });

  it('does not push an AMBER alert to a trust-1 org but does push GREEN', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1, country: 'IT' });
    const client = open(provisional.keys.reader);
    await waitConnected(client);
    const amber = await submit(a.keys.operator, buildAlert({ tlp: 'AMBER+STRICT' }));
    const green = await submit(a.keys.operator, buildAlert({ tlp: 'GREEN' }));
    await eventually(() => expect(client.events.map((e) => e.alert.id)).toContain(green));
    expect(client.events.map((e) => e.alert.id)).not.toContain(amber);
  });
});
