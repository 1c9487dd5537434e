import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, waitConnected, type AlertClient, type TestHub } from '../harness/hub';
import { startProcessTopology, type ProcessTopology } from '../harness/topology';

/**
 * Constituency routing across processes: one api, one worker and two gateways sharing one PostgreSQL and one Redis.
 * A constituency set or changed through the api process is followed by both gateways from the next alert on, with
 * no broadcast between them: each reads the constituency's version before routing.
 */
let topology: ProcessTopology;
const clients: AlertClient[] = [];
let api: TestHub;
let gatewayUrls: readonly string[];

beforeAll(async () => {
  topology = await startProcessTopology({ workers: 1, gateways: 2 });
  api = topology.api;
  gatewayUrls = topology.gatewayUrls;
}, 180_000);

afterAll(async () => {
  clients.forEach((c) => c.close());
  const codes = await topology?.close();
  expect(codes?.every((c) => c === 0)).toBe(true);
}, 60_000);

describe('constituency-hit with two gateways', () => {
  let source: SeededOrg;
  let member: SeededOrg;

  beforeAll(async () => {
    source = await seedOrg(api, { trustLevel: 3, country: 'FR' });
    member = await seedOrg(api, { trustLevel: 2, country: 'PT' });
  });

  async function publish(value: string): Promise<string> {
    const r = await api.http(
      'POST',
      '/api/v1/alerts',
      source.keys.operator,
      buildAlert({ tlp: 'GREEN', indicators: [{ type: 'domain', value }] }),
    );
    expect(r.status).toBe(202);
    return r.body.id as string;
  }

  it('reaches the member on both gateways, and both follow a change made through the api', async () => {
    const put = (domains: string[]) =>
      api.http('PUT', `/api/v1/orgs/${member.id}/constituency`, member.keys.admin, { domains });
    expect((await put(['h7-one.pt'])).status).toBe(200);
    const sockets = gatewayUrls.map((g) => connectAlerts(g, member.keys.reader));
    clients.push(...sockets);
    const hits: any[][] = sockets.map(() => []);
    sockets.forEach((s, i) => s.socket.on('constituency-hit', (e: any) => hits[i]!.push(e)));
    await Promise.all(sockets.map((s) => waitConnected(s)));

    const first = await publish('www.h7-one.pt');
    await eventually(() => {
      for (const h of hits) {
        expect(h.map((e) => e.alertId)).toEqual([first]);
      }
    }, 30_000);

    expect((await put(['h7-two.pt'])).status).toBe(200);
    const second = await publish('www.h7-one.pt');
    const third = await publish('mail.h7-two.pt');
    await eventually(() => {
      for (const s of sockets) {
        expect(s.events.map((e) => e.alert.id)).toEqual(expect.arrayContaining([second, third]));
      }
      for (const h of hits) {
        expect(h.map((e) => e.alertId)).toEqual([first, third]);
      }
    }, 30_000);
    expect(hits[0]!.map((e) => e.seq)).toEqual(hits[1]!.map((e) => e.seq));
  });
});
