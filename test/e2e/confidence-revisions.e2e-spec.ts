import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { correlated as correlatedIn } from '../harness/pipeline';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * A published alert's confidence raised later by corroboration (another organisation publishes the same indicators):
 * every recipient is told as for any revision (`alert-updated`, its own seq, with the confidence REST shows), live and
 * on replay, and no one else is. A sighting's change of it is not a revision: REST and the submitter's `sighting` show it.
 */

let hub: TestHub;
let sql: Client;
const clients: AlertClient[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  sql = new Client({ connectionString: hub.db.url });
  await sql.connect();
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await sql?.end();
  await hub?.close();
});

async function listen(key: string, lastSeq?: number): Promise<AlertClient> {
  const c = connectAlerts(hub.url, key, lastSeq);
  clients.push(c);
  await waitConnected(c);
  return c;
}

async function publish(org: SeededOrg, body: Record<string, unknown>): Promise<{ id: string; seq: number }> {
  const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, body);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return eventually(async () => {
    const a = await hub.http('GET', `/api/v1/alerts/${r.body.id}`, org.keys.reader);
    expect(a.body.status).toBe('published');
    return { id: r.body.id as string, seq: a.body.seq as number };
  }, 30_000);
}

/** Waits until the worker has correlated the alert (corroboration and coordination committed). */
const correlated = (id: string): Promise<void> => correlatedIn(sql, id);

async function updatesInLog(id: string): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    `SELECT count(*) AS n FROM publish_log WHERE alert_id = $1 AND event = 'alert-updated'`,
    [id],
  );
  return Number(rows[0]?.n);
}

const updatesOf = (c: AlertClient, id: string) =>
  c.all.filter((e) => e.name === 'alert-updated' && e.body.alert?.id === id).map((e) => e.body);

// Addresses outside every warning list (documentation ranges would be flagged and never correlate).
const C2 = '45.137.21.9';
const C2_DOMAIN = 'upd4te-check.net';

describe('a published alert whose confidence corroboration raises', () => {
  it('is revised: recipients get alert-updated with the confidence REST shows, live and on replay, once', async () => {
    const first = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
    const second = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
    const member = await seedOrg(hub, { trustLevel: 2, country: 'ES' });
    const provisional = await seedOrg(hub, { trustLevel: 1, country: 'PT' });
    const live = await listen(member.keys.reader);
    const outsider = await listen(provisional.keys.reader);

    const indicators = [
      { type: 'ipv4', value: C2 },
      { type: 'domain', value: C2_DOMAIN },
    ];
    const x = await publish(first, buildAlert({ tlp: 'AMBER', title: 'Controllers seen in FR', indicators }));
    await correlated(x.id);
    const before = (await hub.http('GET', `/api/v1/alerts/${x.id}`, member.keys.reader)).body;
    expect(before).toMatchObject({ confidence: null, revision: 1 });

    // Another organisation publishes the same controllers, defanged: it corroborates the first report.
    const y = await publish(
      second,
      buildAlert({
        tlp: 'AMBER',
        title: 'Controllers seen in DE',
        indicators: [
          { type: 'ipv4', value: '45.137.21[.]9' },
          { type: 'domain', value: 'upd4te-check[.]net' },
        ],
      }),
    );
    await correlated(y.id);

    // REST: from 50 (none given) by 5 × trust 3.
    const after = (await hub.http('GET', `/api/v1/alerts/${x.id}`, member.keys.reader)).body;
    expect(after).toMatchObject({ confidence: 65, revision: 2, title: 'Controllers seen in FR' });

    // Live: one revision, with the whole revisable context and that confidence.
    await eventually(() => expect(updatesOf(live, x.id)).toHaveLength(1));
    const [update] = updatesOf(live, x.id);
    expect(update.seq).toBeGreaterThan(x.seq);
    expect(update.alert).toEqual({
      id: x.id,
      revision: 2,
      title: 'Controllers seen in FR',
      description: after.description,
      severity: after.severity,
      validUntil: null,
      confidence: 65,
      updatedAt: expect.any(String),
    });
    // The corroborating report was vetted after the first was published: it is published with its confidence
    // already raised, so it needs no revision.
    const yLive = live.all.find((e) => e.name === 'alert' && e.body.alert.id === y.id);
    expect(yLive?.body.alert.confidence).toBe(65);
    expect(await updatesInLog(y.id)).toBe(0);
    expect(await updatesInLog(x.id)).toBe(1);

    // Replay from before the first report: the alert as published, then its revision, the same bodies.
    const away = await listen(member.keys.reader, x.seq - 1);
    await eventually(() => expect(updatesOf(away, x.id)).toHaveLength(1));
    expect(updatesOf(away, x.id)[0]).toEqual(update);
    const replayed = away.all.find((e) => e.name === 'alert' && e.body.alert.id === x.id);
    expect(replayed?.body.alert.confidence).toBeNull();

    // A trust-1 member, who may not see AMBER alerts, is told nothing of either.
    expect(outsider.all.filter((e) => e.body.alert?.id === x.id || e.body.alertId === x.id)).toEqual([]);
  });
});

describe('a published alert whose confidence a sighting moves', () => {
  it('shows it on REST and tells the submitter in its sighting event, with no revision pushed to anyone', async () => {
    const submitter = await seedOrg(hub, { trustLevel: 3, country: 'CZ' });
    const reporter = await seedOrg(hub, { trustLevel: 3, country: 'SK' });
    const member = await seedOrg(hub, { trustLevel: 2, country: 'AT' });
    const watcher = await listen(member.keys.reader);
    const own = await listen(submitter.keys.reader);
    const x = await publish(
      submitter,
      buildAlert({ tlp: 'GREEN', confidence: 70, indicators: [{ type: 'ipv4', value: '91.215.85.17' }] }),
    );

    const seen = await hub.http('POST', `/api/v1/alerts/${x.id}/sightings`, reporter.keys.reader, {
      type: 'sighting',
    });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ recorded: true, confidence: 76 });
    await eventually(() => expect(own.all.filter((e) => e.name === 'sighting')).toHaveLength(1));
    expect(own.all.find((e) => e.name === 'sighting')!.body).toMatchObject({ alertId: x.id, confidence: 76 });
    expect((await hub.http('GET', `/api/v1/alerts/${x.id}`, member.keys.reader)).body).toMatchObject({
      confidence: 76,
      revision: 1,
    });
    // Events come in seq order: once a later alert has reached the watcher, nothing of the sighting ever will.
    const later = await publish(submitter, buildAlert({ tlp: 'GREEN' }));
    await eventually(() => expect(watcher.events.map((e) => e.alert.id)).toContain(later.id));
    expect(watcher.all.filter((e) => e.name !== 'alert')).toEqual([]);
    expect(await updatesInLog(x.id)).toBe(0);
  });
});
