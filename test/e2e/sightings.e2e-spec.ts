import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

let hub: TestHub;
let submitter: SeededOrg;
let peerA: SeededOrg;
let peerB: SeededOrg;
let member: SeededOrg;
let provisional: SeededOrg;
const clients: AlertClient[] = [];
const sightings: any[] = [];
let bystanderSightings: any[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  submitter = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  peerA = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  peerB = await seedOrg(hub, { trustLevel: 4, country: 'IT' });
  member = await seedOrg(hub, { trustLevel: 2, country: 'ES' });
  provisional = await seedOrg(hub, { trustLevel: 1, country: 'PT' });
  const c = connectAlerts(hub.url, submitter.keys.reader);
  c.socket.on('sighting', (e: any) => sightings.push(e));
  const bystander = connectAlerts(hub.url, peerB.keys.reader);
  bystanderSightings = [];
  bystander.socket.on('sighting', (e: any) => bystanderSightings.push(e));
  clients.push(c, bystander);
  await Promise.all([waitConnected(c), waitConnected(bystander)]);
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

async function publishAmber(): Promise<string> {
  const r = await hub.http(
    'POST',
    '/api/v1/alerts',
    submitter.keys.operator,
    buildAlert({
      tlp: 'AMBER',
      indicators: [
        { type: 'ipv4', value: '11.22.33.44' },
        { type: 'domain', value: 'update-check.evil-c2.com' },
      ],
    }),
  );
  expect(r.status).toBe(202);
  await eventually(async () => {
    expect((await hub.http('GET', `/api/v1/alerts/${r.body.id}`, submitter.keys.reader)).body.status).toBe('published');
  });
  return r.body.id as string;
}

const report = (key: string, id: string, body: unknown) =>
  hub.http('POST', `/api/v1/alerts/${id}/sightings`, key, body);

describe('POST /api/v1/alerts/:id/sightings', () => {
  it('counts a sighting once per org, raises confidence, and tells the submitter alone with a sighting event', async () => {
    const id = await publishAmber();
    const first = await report(peerA.keys.reader, id, { type: 'sighting' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ recorded: true, sightingCount: 1, falsePositiveCount: 0, confidence: 56 });
    const again = await report(peerA.keys.reader, id, { type: 'sighting' });
    expect(again.body).toMatchObject({ recorded: false, sightingCount: 1, confidence: 56 });
    await eventually(() => expect(sightings.filter((s) => s.alertId === id)).toHaveLength(1));
    expect(sightings.find((s) => s.alertId === id)).toMatchObject({
      type: 'sighting',
      reporter: { id: peerA.id, country: 'DE' },
      sightingCount: 1,
      seq: expect.any(Number),
    });
    // Counts are visible to whoever may see the alert.
    const seen = await hub.http('GET', `/api/v1/alerts/${id}`, peerB.keys.reader);
    expect(seen.body).toMatchObject({ sightingCount: 1, confidence: 56 });
    // Another recipient is not told: its later own sighting event never shows the first one.
    const sentinel = await publishAmber();
    await report(peerA.keys.reader, sentinel, { type: 'sighting' });
    await eventually(() => expect(sightings.map((s) => s.alertId)).toContain(sentinel));
    expect(bystanderSightings).toEqual([]);
  });

  it('flags an indicator false-positive for everyone once enough trusted orgs say so (trust 2 does not count)', async () => {
    const id = await publishAmber();
    const byMember = await report(member.keys.reader, id, { type: 'false-positive', indicator: '11.22.33.44' });
    expect(byMember.body).toMatchObject({ recorded: true, indicatorFlaggedFalsePositive: false });
    const byA = await report(peerA.keys.reader, id, { type: 'false-positive', indicator: '11.22.33.44' });
    expect(byA.body.indicatorFlaggedFalsePositive).toBe(false);
    const byB = await report(peerB.keys.reader, id, {
      type: 'false-positive',
      indicator: '11.22.33[.]44',
    });
    expect(byB.body).toMatchObject({ recorded: true, falsePositiveCount: 3, indicatorFlaggedFalsePositive: true });
    const list = await hub.http('GET', `/api/v1/alerts/${id}/indicators`, member.keys.reader);
    const ip = list.body.items.find((i: { canonicalValue: string }) => i.canonicalValue === '11.22.33.44');
    const domain = list.body.items.find((i: { type: string }) => i.type === 'domain');
    expect(ip.flags).toContain('false-positive');
    expect(domain.flags).not.toContain('false-positive');
    // Not actionable any more, on every path at once: REST, STIX (an observation, no indicator), MISP (to_ids false).
    expect(ip.actionable).toBe(false);
    const stix = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, member.keys.reader);
    const objects = stix.body.objects as { type: string; value?: string; pattern?: string }[];
    expect(objects.filter((o) => o.type === 'indicator' && o.pattern?.includes('11.22.33.44'))).toEqual([]);
    expect(objects.filter((o) => o.type === 'ipv4-addr' && o.value === '11.22.33.44')).toHaveLength(1);
    const misp = await hub.http('GET', `/api/v1/alerts/${id}/export?format=misp`, member.keys.reader);
    const attribute = (misp.body.Event.Attribute as { value: string; to_ids: boolean }[]).find(
      (a) => a.value === '11.22.33.44',
    );
    expect(attribute?.to_ids).toBe(false);
  });

  it.each([
    ['the submitter itself', () => submitter.keys.reader, { type: 'sighting' }, 403],
    ['an org that may not see the AMBER alert', () => provisional.keys.reader, { type: 'sighting' }, 404],
    ['an unknown feedback type', () => peerA.keys.reader, { type: 'seen-it' }, 400],
    [
      'an indicator that is not in the alert',
      () => peerA.keys.reader,
      { type: 'sighting', indicator: '11.22.33.45' },
      400,
    ],
  ])('refuses %s', async (_l, key, body, status) => {
    const id = await publishAmber();
    expect((await report(key(), id, body)).status).toBe(status);
  });
});
