import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * GET /api/v1/stats (issue 16 §8, the console's dashboard): every figure is counted over the alerts the caller may
 * see, by the rule of GET /api/v1/alerts. A RED alert for another org, an AMBER one for a trust-1 member and an
 * anonymous alert's country are never counted for whom they are hidden.
 */

let hub: TestHub;
let fr: SeededOrg; // named sender of GREEN alerts
let jp: SeededOrg; // sender of a RED alert for fr only, and of an AMBER one
let br: SeededOrg; // anonymous sender
let low: SeededOrg; // trust 1: sees no AMBER
let mid: SeededOrg; // trust 2: sees AMBER, not RED
let held: SeededOrg; // trust 1: its high alert waits for review
let vet: SeededOrg; // trust 4: reviews
const sockets: AlertClient[] = [];

async function submit(sender: SeededOrg, body: Record<string, unknown>, status = 'published'): Promise<string> {
  const r = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, buildAlert(body));
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const id = r.body.id as string;
  await eventually(async () => {
    const a = await hub.http('GET', `/api/v1/alerts/${id}`, sender.keys.operator);
    expect(a.body.status).toBe(status);
  }, 30_000);
  return id;
}

type Stats = {
  hours: Record<string, number | string>[];
  topClassifications: { classification: { taxonomy: string; type: string | null } | null; count: number }[];
  sourceCountries: Record<string, number>;
  reviewQueue: number | null;
  subscribers: { ownSockets: number; organisations: number } | null;
};

async function stats(key: string): Promise<Stats> {
  const r = await hub.http('GET', '/api/v1/stats', key);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Stats;
}

/** Per severity, summed over the 24 hours (an alert published as the hour turns is still counted once). */
const perSeverity = (s: Stats) =>
  Object.fromEntries(
    ['low', 'medium', 'high', 'critical'].map((sev) => [sev, s.hours.reduce((n, h) => n + Number(h[sev]), 0)]),
  );
const classes = (s: Stats) =>
  Object.fromEntries(
    s.topClassifications.map((c) => [
      c.classification ? `${c.classification.taxonomy}/${c.classification.type}` : 'none',
      c.count,
    ]),
  );

beforeAll(async () => {
  hub = await startTestHub();
  fr = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  jp = await seedOrg(hub, { trustLevel: 3, country: 'JP' });
  br = await seedOrg(hub, { trustLevel: 3, country: 'BR' });
  low = await seedOrg(hub, { trustLevel: 1, country: 'PL' });
  mid = await seedOrg(hub, { trustLevel: 2, country: 'PT' });
  held = await seedOrg(hub, { trustLevel: 1, country: 'NL' });
  vet = await seedOrg(hub, { trustLevel: 4, country: 'IT' });
  const c2 = { taxonomy: 'malicious-code', type: 'c2-server' };
  await submit(fr, { severity: 'high', tlp: 'GREEN', classification: c2 });
  await submit(fr, { severity: 'high', tlp: 'CLEAR', classification: c2 });
  await submit(fr, {
    severity: 'low',
    tlp: 'GREEN',
    classification: { taxonomy: 'information-gathering', type: 'scanner' },
  });
  await submit(br, { severity: 'medium', tlp: 'GREEN', attribution: 'anonymous', classification: c2 });
  const phishing = { taxonomy: 'fraud', type: 'phishing' };
  await submit(jp, { severity: 'critical', tlp: 'RED', recipients: [fr.id], classification: phishing });
  await submit(jp, { severity: 'critical', tlp: 'AMBER', classification: phishing });
  await submit(held, { severity: 'high', tlp: 'GREEN' }, 'pending_review');
}, 120_000);

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await hub?.close();
});

describe('GET /api/v1/stats', () => {
  it('counts for a trust-1 member only what it may see: no RED for another org, no AMBER, no anonymous country', async () => {
    const s = await stats(low.keys.reader);
    expect(s.hours).toHaveLength(24);
    expect(perSeverity(s)).toEqual({ low: 1, medium: 1, high: 2, critical: 0 });
    expect(classes(s)).toEqual({ 'malicious-code/c2-server': 3, 'information-gathering/scanner': 1 });
    expect(s.sourceCountries).toEqual({ FR: 3, anonymous: 1 });
    expect(s.reviewQueue).toBeNull();
    // What it counts is what the alert list gives it.
    const listed = await hub.http('GET', '/api/v1/alerts?status=published&limit=200', low.keys.reader);
    expect(listed.body.items).toHaveLength(4);
  });

  it('counts the AMBER alert for a trust-2 member, and still not the RED one', async () => {
    const s = await stats(mid.keys.reader);
    expect(perSeverity(s)).toEqual({ low: 1, medium: 1, high: 2, critical: 1 });
    expect(classes(s)['fraud/phishing']).toBe(1);
    expect(s.sourceCountries).toEqual({ FR: 3, JP: 1, anonymous: 1 });
  });

  it('counts the RED alert for the org it names, and for its submitter', async () => {
    expect(perSeverity(await stats(fr.keys.reader)).critical).toBe(2);
    const own = await stats(jp.keys.reader);
    expect(perSeverity(own)).toEqual({ low: 1, medium: 1, high: 2, critical: 2 });
    expect(own.sourceCountries.JP).toBe(2);
  });

  it('counts an anonymous alert as anonymous even for its submitter, so no figure names the country', async () => {
    const s = await stats(br.keys.reader);
    expect(s.sourceCountries.BR).toBeUndefined();
    expect(s.sourceCountries.anonymous).toBe(1);
  });

  it('gives a vetter who may review the length of its review queue, and a reader none', async () => {
    expect((await stats(vet.keys.vetter)).reviewQueue).toBe(1);
    expect((await stats(vet.keys.reader)).reviewQueue).toBeNull();
    // The held alert is counted nowhere else until it is published.
    expect(perSeverity(await stats(vet.keys.reader)).high).toBe(2);
  });

  it("counts the sockets of the caller's own org, and connected orgs without naming them", async () => {
    const before = await stats(mid.keys.reader);
    expect(before.subscribers).toEqual({ ownSockets: 0, organisations: 0 });
    for (const key of [mid.keys.reader, mid.keys.operator, low.keys.reader]) {
      const c = connectAlerts(hub.url, key);
      sockets.push(c);
      await waitConnected(c);
    }
    await eventually(async () => {
      expect((await stats(mid.keys.reader)).subscribers).toEqual({ ownSockets: 2, organisations: 2 });
      expect((await stats(low.keys.reader)).subscribers).toEqual({ ownSockets: 1, organisations: 2 });
    });
  });
});
