import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayReceive, TLP_LABELS, type TlpLabel, type TrustLevel } from '@tocsin/domain';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * TLP × trust × relation × path: for every TLP label, organisations of trust 1–4 that are the submitter, a named
 * recipient or neither receive exactly what the one policy (mayReceive) allows, on every delivery path: live push,
 * replay by lastSeq, both again through a subscription (live, and resumed from its server-kept cursor), and REST.
 */
let hub: TestHub;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

function open(token: string, lastSeq?: number, subscriptions?: string[]): AlertClient {
  const c = connectAlerts(hub.url, token, lastSeq, subscriptions ? { subscriptions } : {});
  clients.push(c);
  return c;
}

type Relation = 'submitter' | 'recipient' | 'other';
interface Member {
  readonly org: SeededOrg;
  readonly trust: TrustLevel;
  readonly relation: Relation;
}

describe('TLP × trust × relation × path', () => {
  const members: Member[] = [];
  let submitter: SeededOrg;

  beforeAll(async () => {
    submitter = await seedOrg(hub, { trustLevel: 3, country: 'FI' });
    members.push({ org: submitter, trust: 3, relation: 'submitter' });
    for (const trust of [1, 2, 3, 4] as TrustLevel[]) {
      for (const relation of ['recipient', 'other'] as const) {
        members.push({ org: await seedOrg(hub, { trustLevel: trust, country: 'SE' }), trust, relation });
      }
    }
  });

  it('delivers each alert to exactly those the policy allows, the same on every path', async () => {
    const subs = new Map<string, string>();
    for (const m of members) {
      subs.set(m.org.id, (await hub.http('POST', '/api/v1/subscriptions', m.org.keys.reader, {})).body.id as string);
    }
    const live = members.map((m) => ({ m, c: open(m.org.keys.reader) }));
    const liveSub = members.map((m) => ({ m, c: open(m.org.keys.reader, undefined, [subs.get(m.org.id)!]) }));
    await Promise.all([...live, ...liveSub].map((x) => waitConnected(x.c)));
    // A marker alert everyone sees gives the replay start.
    const marker = await hub.http('POST', '/api/v1/alerts', submitter.keys.operator, buildAlert({ tlp: 'CLEAR' }));
    const markerEvent = await eventually(() => {
      const e = live[0]!.c.events.find((x) => x.alert.id === marker.body.id);
      expect(e).toBeTruthy();
      return e!;
    });

    // Recipients are named on RED alerts only, and only those of trust ≥ 3 may be (lower is a 400): the
    // recipient-relation orgs of trust 1–2 stand unnamed, as the policy requires.
    const recipientsOf = (tlp: TlpLabel) =>
      tlp !== 'RED' ? [] : members.filter((m) => m.relation === 'recipient' && m.trust >= 3).map((m) => m.org.id);
    const alerts: { id: string; tlp: TlpLabel; recipients: string[] }[] = [];
    for (const tlp of TLP_LABELS) {
      const recipients = recipientsOf(tlp);
      const r = await hub.http('POST', '/api/v1/alerts', submitter.keys.operator, buildAlert({ tlp, recipients }));
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      alerts.push({ id: r.body.id, tlp, recipients });
    }
    await eventually(async () => {
      for (const a of alerts) {
        expect((await hub.http('GET', `/api/v1/alerts/${a.id}`, submitter.keys.reader)).body.status).toBe('published');
      }
    }, 30_000);

    const expected = (m: Member) =>
      new Set(
        alerts
          .filter((a) =>
            mayReceive(
              { tlp: a.tlp, sourceOrgId: submitter.id, recipients: a.recipients },
              { id: m.org.id, trustLevel: m.trust },
            ),
          )
          .map((a) => a.id),
      );
    const ours = new Set(alerts.map((a) => a.id));
    const got = (c: AlertClient) => new Set(c.events.map((e) => e.alert.id).filter((id) => ours.has(id)));

    // Replay by lastSeq (whole feed) and by the server-kept cursor (subscription acked at the marker).
    for (const x of liveSub) {
      const ack: unknown = await x.c.socket.timeout(10_000).emitWithAck('ack', { seq: markerEvent.seq });
      expect(ack).toMatchObject({ ok: true });
    }
    const replayed = members.map((m) => ({ m, c: open(m.org.keys.reader, markerEvent.seq) }));
    const resumed = members.map((m) => ({ m, c: open(m.org.keys.reader, undefined, [subs.get(m.org.id)!]) }));
    await Promise.all([...replayed, ...resumed].map((x) => waitConnected(x.c)));

    // A final CLEAR alert, seen by all on every path, marks the end of what each path will ever send.
    const end = await hub.http('POST', '/api/v1/alerts', submitter.keys.operator, buildAlert({ tlp: 'CLEAR' }));
    const paths = { live, 'live, subscription': liveSub, replay: replayed, 'resumed subscription': resumed };
    for (const [path, list] of Object.entries(paths)) {
      for (const { m, c } of list) {
        await eventually(() => expect(c.events.map((e) => e.alert.id)).toContain(end.body.id), 30_000);
        expect(got(c), `${path}: trust ${m.trust} ${m.relation}`).toEqual(expected(m));
      }
    }

    // REST: readable exactly when pushed; otherwise the same 404 as a missing alert.
    for (const m of members) {
      for (const a of alerts) {
        const r = await hub.http('GET', `/api/v1/alerts/${a.id}`, m.org.keys.reader);
        expect(r.status, `REST ${a.tlp}: trust ${m.trust} ${m.relation}`).toBe(expected(m).has(a.id) ? 200 : 404);
      }
    }
  }, 180_000);
});
