import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, waitConnected, type AlertClient, type TestHub } from '../harness/hub';
import { startProcessTopology, type ProcessTopology } from '../harness/topology';

/**
 * The docker/compose.yaml topology as plain processes: one api, two workers and two gateways sharing one
 * PostgreSQL and one Redis. The gateways' poll is set to a minute, so a push within the test's bounds must
 * come through the Redis adapter's wake-up; revocation from the api process reaches the other gateways.
 */
let topology: ProcessTopology;
const clients: AlertClient[] = [];
let api: TestHub;
let gatewayUrls: readonly string[];

beforeAll(async () => {
  topology = await startProcessTopology({ workers: 2, gateways: 2 });
  api = topology.api;
  gatewayUrls = topology.gatewayUrls;
}, 180_000);

afterAll(async () => {
  clients.forEach((c) => c.close());
  const codes = await topology?.close();
  expect(codes?.every((c) => c === 0)).toBe(true);
}, 60_000);

describe('scale-out: api, 2 workers and 2 gateways as separate processes', () => {
  let source: SeededOrg;
  let readerA: SeededOrg;
  let readerB: SeededOrg;

  beforeAll(async () => {
    source = await seedOrg(api, { trustLevel: 3, country: 'FR' });
    readerA = await seedOrg(api, { trustLevel: 3, country: 'DE' });
    readerB = await seedOrg(api, { trustLevel: 2, country: 'IE' });
  });

  it('pushes one submission to clients on both gateways', async () => {
    const a = connectAlerts(gatewayUrls[0]!, readerA.keys.reader);
    const b = connectAlerts(gatewayUrls[1]!, readerB.keys.reader);
    clients.push(a, b);
    await Promise.all([waitConnected(a), waitConnected(b)]);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await api.http(
        'POST',
        '/api/v1/alerts',
        source.keys.operator,
        buildAlert({ tlp: 'AMBER', title: `fan-out ${i}` }),
      );
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    // Two workers publish in whatever order they finish: each client gets all ten, in seq order.
    await eventually(() => {
      expect(new Set(a.events.map((e) => e.alert.id))).toEqual(new Set(ids));
      expect(new Set(b.events.map((e) => e.alert.id))).toEqual(new Set(ids));
    }, 30_000);
    const seqs = a.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(b.events.map((e) => e.seq)).toEqual(seqs);
    expect(a.events).toHaveLength(10);
  });

  it('raises one coordinated alert from three reports vetted at once by two workers, pushed through both gateways', async () => {
    const reporters = await Promise.all(['FR', 'DE', 'NL'].map((country) => seedOrg(api, { trustLevel: 3, country })));
    const a = connectAlerts(gatewayUrls[0]!, readerA.keys.reader);
    const b = connectAlerts(gatewayUrls[1]!, readerB.keys.reader);
    clients.push(a, b);
    const got = { a: [] as any[], b: [] as any[] };
    a.socket.on('coordinated-alert', (e: any) => got.a.push(e));
    b.socket.on('coordinated-alert', (e: any) => got.b.push(e));
    await Promise.all([waitConnected(a), waitConnected(b)]);
    const ids = await Promise.all(
      reporters.map(async (org) => {
        const r = await api.http(
          'POST',
          '/api/v1/alerts',
          org.keys.operator,
          buildAlert({ indicators: [{ type: 'domain', value: 'scale-out-c2.example-bad.net' }] }),
        );
        expect(r.status).toBe(202);
        return r.body.id as string;
      }),
    );
    await eventually(() => {
      expect(got.a).toHaveLength(1);
      expect(got.b).toHaveLength(1);
    }, 30_000);
    expect(got.b[0].coordinatedAlert.id).toBe(got.a[0].coordinatedAlert.id);
    expect(got.a[0].coordinatedAlert.reports.map((r: any) => r.alertId).sort()).toEqual([...ids].sort());
    const list = await api.http('GET', '/api/v1/coordinated-alerts', readerA.keys.reader);
    expect(list.body.items).toHaveLength(1);
  });

  it('cuts a revoked key’s socket on another process', async () => {
    const c = connectAlerts(gatewayUrls[1]!, readerA.keys.vetter);
    clients.push(c);
    await waitConnected(c);
    const gone = new Promise<string>((res) => c.socket.once('disconnect', (reason) => res(reason)));
    const r = await api.http('DELETE', `/api/v1/orgs/${readerA.id}/keys/${readerA.keyIds.vetter}`, api.adminKey);
    expect(r.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
  });
});
