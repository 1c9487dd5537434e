import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

const N = 100_000;
let hub: TestHub;
let sender: SeededOrg;
let receiver: SeededOrg;
let client: AlertClient;
const chunks: {
  seq: number;
  alertId: string;
  chunk: number;
  count: number;
  indicators: { type: string; value: string }[];
}[] = [];

/** 100,000 distinct addresses of a public /8: a botnet report's size. */
function botnetList(): string {
  const lines: string[] = ['# botnet controllers, one per line'];
  for (let i = 1; i <= N; i++) {
    lines.push(`11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  }
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  hub = await startTestHub({ env: { TOCSIN_DB_POOL_SIZE: '8' } });
  sender = await seedOrg(hub, { trustLevel: 3, country: 'KR' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'JP' });
  client = connectAlerts(hub.url, receiver.keys.reader);
  client.socket.on('alert-indicators', (c: (typeof chunks)[number]) => chunks.push(c));
  await waitConnected(client);
});

afterAll(async () => {
  client?.close();
  await hub?.close();
});

describe('a 100,000-indicator botnet report', () => {
  it(
    'is accepted, normalized, stored, published and received whole, in ordered chunks',
    { timeout: 180_000 },
    async () => {
      const r = await hub.http(
        'POST',
        '/api/v1/alerts?title=Botnet%20controllers&tlp=AMBER',
        sender.keys.operator,
        botnetList(),
        {
          'content-type': 'text/plain',
        },
      );
      expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(202);
      expect(r.body.indicators).toBe(N);
      const id = r.body.id as string;

      const alert = await eventually(() => {
        const e = client.events.find((x) => x.alert.id === id);
        if (!e) {
          throw new Error('not yet');
        }
        return e;
      }, 150_000);
      const { size, count } = alert.alert.indicatorChunks as { size: number; count: number };
      expect(count).toBe(Math.ceil(N / size));
      await eventually(() => expect(chunks.filter((c) => c.alertId === id)).toHaveLength(count - 1), 60_000);
      const mine = chunks.filter((c) => c.alertId === id);
      expect(mine.map((c) => c.chunk)).toEqual(Array.from({ length: count - 1 }, (_, i) => i + 1));
      expect(mine.every((c) => c.seq === alert.seq && c.count === count)).toBe(true);
      const all = [...alert.alert.indicators, ...mine.flatMap((c) => c.indicators)];
      expect(all).toHaveLength(N);
      expect(new Set(all.map((i: { value: string }) => i.value)).size).toBe(N);
      expect(all[0]).toMatchObject({ type: 'ipv4', value: '11.0.0.1' });
      expect(all[N - 1]).toMatchObject({ type: 'ipv4', value: `11.1.134.160` });

      // The REST view pages through all of them with a cursor.
      let cursor: string | null = null;
      let seen = 0;
      let pages = 0;
      do {
        const page = await hub.http(
          'GET',
          `/api/v1/alerts/${id}/indicators?limit=10000${cursor ? `&cursor=${cursor}` : ''}`,
          receiver.keys.reader,
        );
        expect(page.status).toBe(200);
        seen += page.body.items.length;
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 20);
      expect(seen).toBe(N);
    },
  );

  it('refuses one indicator over the limit with a 400 that says so', async () => {
    const r = await hub.http(
      'POST',
      '/api/v1/alerts?title=Too%20big',
      sender.keys.operator,
      botnetList() + '12.0.0.1\n',
      {
        'content-type': 'text/plain',
      },
    );
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.errors)).toContain('100000');
  });
});
