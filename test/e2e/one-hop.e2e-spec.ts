import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '@tocsin/platform';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * Issue 12, point 2: a small alert is normalized, vetted and published by one job (`alert.process`, queue
 * `pipeline`); a large one keeps the chunked path; jobs ready together are committed as one group.
 */
let hub: TestHub;
let sender: SeededOrg;
let newcomer: SeededOrg;
let receiver: SeededOrg;
let client: AlertClient;
let pg: Client;
const received = new Map<string, number>();

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3 });
  newcomer = await seedOrg(hub, { trustLevel: 1 });
  receiver = await seedOrg(hub, { trustLevel: 3 });
  client = connectAlerts(hub.url, receiver.keys.reader);
  client.socket.on('alert', (e: { seq: number; alert: { id: string } }) => received.set(e.alert.id, e.seq));
  await waitConnected(client);
  pg = new Client({ connectionString: hub.db.url });
  await pg.connect();
});

afterAll(async () => {
  client?.close();
  await pg?.end();
  await hub?.close();
});

/** Jobs run so far, by queue and outcome (tocsin_jobs_total). */
async function jobs(): Promise<Record<string, number>> {
  const m = await hub.running.app.get(Metrics).jobs.get();
  return Object.fromEntries(m.values.map((v) => [`${v.labels.queue}:${v.labels.outcome}`, v.value]));
}

let n = 0;
function small(indicators = 2) {
  n += 1;
  return {
    title: `one hop e2e ${n}`,
    severity: 'low',
    tlp: 'GREEN',
    indicators: Array.from({ length: indicators }, (_, i) => ({ type: 'domain', value: `c${i}.n${n}.onehop-e2e.com` })),
  };
}

describe('one hop for a small alert', () => {
  it('publishes a burst of small alerts through the pipeline queue only, with no gap in seqs', async () => {
    const before = await jobs();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => hub.http('POST', '/api/v1/alerts', sender.keys.operator, small())),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(202));
    const ids = answers.map((a) => a.body.id as string);
    await eventually(() => expect(ids.filter((id) => received.has(id))).toHaveLength(30));
    const after = await jobs();
    expect((after['pipeline:published'] ?? 0) - (before['pipeline:published'] ?? 0)).toBe(30);
    for (const q of ['normalization', 'vetting']) {
      expect(Object.entries(after).filter(([k]) => k.startsWith(`${q}:`))).toEqual([]);
    }
    const seqs = ids.map((id) => received.get(id)!).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => seqs[0]! + i));
    const rows = await pg.query<{ status: string; correlated: boolean }>(
      `SELECT status, correlated_at IS NOT NULL AS correlated FROM alerts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows.rows.every((r) => r.status === 'published' && r.correlated)).toBe(true);
  });

  it('holds a newcomer’s alert for review in one job, and pushes nothing', async () => {
    const before = await jobs();
    const r = await hub.http('POST', '/api/v1/alerts', newcomer.keys.operator, small());
    expect(r.status).toBe(202);
    await eventually(async () => {
      const a = await hub.http('GET', `/api/v1/alerts/${r.body.id}`, newcomer.keys.reader);
      expect(a.body.status).toBe('pending_review');
    });
    const after = await jobs();
    expect((after['pipeline:review'] ?? 0) - (before['pipeline:review'] ?? 0)).toBe(1);
    expect(received.has(r.body.id)).toBe(false);
  });

  it('sends an alert over TOCSIN_ONE_HOP_MAX_INDICATORS down the chunked path (normalize, vet, publish jobs)', async () => {
    const before = await jobs();
    const r = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, small(1_001));
    expect(r.status).toBe(202);
    await eventually(() => expect(received.has(r.body.id)).toBe(true));
    const after = await jobs();
    const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect([delta('normalization:done'), delta('vetting:publish'), delta('delivery:published')]).toEqual([1, 1, 1]);
    expect(delta('pipeline:published')).toBe(0);
  });
});
