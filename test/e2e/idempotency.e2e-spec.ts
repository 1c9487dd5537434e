import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

let hub: TestHub;
let source: SeededOrg;
let other: SeededOrg;
let receiver: SeededOrg;
let pg: Client;
let client: AlertClient;
let n = 0;

const key = () => `retry-${Date.now()}-${(n += 1)}`;
const withKey = (k: string) => ({ 'idempotency-key': k });

async function alertsTitled(title: string): Promise<number> {
  const r = await pg.query<{ n: string }>('SELECT count(*) AS n FROM alerts WHERE title = $1', [title]);
  return Number(r.rows[0]?.n);
}

beforeAll(async () => {
  hub = await startTestHub();
  source = await seedOrg(hub, { trustLevel: 3, country: 'AT' });
  other = await seedOrg(hub, { trustLevel: 3, country: 'CH' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  pg = new Client({ connectionString: hub.db.url });
  await pg.connect();
  client = connectAlerts(hub.url, receiver.keys.reader);
  await waitConnected(client);
});

afterAll(async () => {
  client?.close();
  await pg?.end();
  await hub?.close();
});

describe('POST /api/v1/alerts with an Idempotency-Key', () => {
  it('answers a retry with the first answer, marked replayed, and creates and delivers one alert', async () => {
    const k = key();
    const alert = buildAlert({ title: 'Retried after a lost 202' });
    const first = await hub.http('POST', '/api/v1/alerts', source.keys.operator, alert, withKey(k));
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await hub.http('POST', '/api/v1/alerts', source.keys.operator, alert, withKey(k));
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await alertsTitled('Retried after a lost 202')).toBe(1);

    // A later alert is delivered after the retried one's only copy.
    await eventually(() => expect(client.events.map((e) => e.alert.id)).toContain(first.body.id), 30_000);
    const marker = await hub.http('POST', '/api/v1/alerts', source.keys.operator, buildAlert({ title: 'Marker' }));
    await eventually(() => expect(client.events.map((e) => e.alert.id)).toContain(marker.body.id), 30_000);
    expect(client.events.filter((e) => e.alert.title === 'Retried after a lost 202')).toHaveLength(1);
  });

  it('replays a text submission too, keyed on its bytes, media type and query', async () => {
    const k = key();
    const body = '203.0.113.7\nevil.example.org\n';
    const send = (query: string) =>
      hub.http('POST', `/api/v1/alerts${query}`, source.keys.operator, body, {
        ...withKey(k),
        'content-type': 'text/plain',
      });
    const first = await send('?title=Plain+list+retried&tlp=GREEN');
    expect(first.status).toBe(202);
    const retry = await send('?tlp=GREEN&title=Plain+list+retried');
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const otherQuery = await send('?title=Plain+list+retried&tlp=AMBER');
    expect(otherQuery.status).toBe(422);
    expect(await alertsTitled('Plain list retried')).toBe(1);
  });

  it('answers 422 idempotency-key-reused for the same key with another body, creating nothing', async () => {
    const k = key();
    const first = await hub.http('POST', '/api/v1/alerts', source.keys.operator, buildAlert(), withKey(k));
    expect(first.status).toBe(202);
    const reused = await hub.http(
      'POST',
      '/api/v1/alerts',
      source.keys.operator,
      buildAlert({ title: 'Another body, same key' }),
      withKey(k),
    );
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reused.body).toMatchObject({ type: 'urn:tocsin:problem:idempotency-key-reused', status: 422 });
    expect(await alertsTitled('Another body, same key')).toBe(0);
  });

  it('keeps keys per organisation: another org may use the same key', async () => {
    const k = key();
    const alert = buildAlert({ title: 'Same key, two orgs' });
    const a = await hub.http('POST', '/api/v1/alerts', source.keys.operator, alert, withKey(k));
    const b = await hub.http('POST', '/api/v1/alerts', other.keys.operator, alert, withKey(k));
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.id).not.toBe(a.body.id);
    expect(await alertsTitled('Same key, two orgs')).toBe(2);
  });

  it('creates one alert from concurrent duplicates; the others get its answer or 409', async () => {
    const k = key();
    const alert = buildAlert({ title: 'Concurrent duplicates' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => hub.http('POST', '/api/v1/alerts', source.keys.operator, alert, withKey(k))),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    const accepted = answers.filter((r) => r.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((r) => r.body.id)).size).toBe(1);
    for (const r of answers.filter((x) => x.status === 409)) {
      expect(r.body).toMatchObject({ type: 'urn:tocsin:problem:idempotency-key-in-flight' });
    }
    expect(await alertsTitled('Concurrent duplicates')).toBe(1);
    // Once the first is committed, a retry is a replay.
    const retry = await hub.http('POST', '/api/v1/alerts', source.keys.operator, alert, withKey(k));
    expect(retry.status).toBe(202);
    expect(retry.body.id).toBe(accepted[0]?.body.id);
  });

  it('forgets a key after 24 h: the same key then submits anew', async () => {
    const k = key();
    const alert = buildAlert({ title: 'Key reused after a day' });
    const first = await hub.http('POST', '/api/v1/alerts', source.keys.operator, alert, withKey(k));
    expect(first.status).toBe(202);
    await pg.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE key = $1`, [k]);
    const later = await hub.http('POST', '/api/v1/alerts', source.keys.operator, alert, withKey(k));
    expect(later.status).toBe(202);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.id).not.toBe(first.body.id);
    const again = await hub.http('POST', '/api/v1/alerts', source.keys.operator, alert, withKey(k));
    expect(again.body.id).toBe(later.body.id);
  });

  it.each([
    ['too long', 'k'.repeat(256)],
    ['empty', '""'],
  ])('refuses a %s key with 400 invalid-idempotency-key', async (_label, header) => {
    const r = await hub.http('POST', '/api/v1/alerts', source.keys.operator, buildAlert(), withKey(header));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ type: 'urn:tocsin:problem:invalid-idempotency-key' });
    expect(r.body.errors[0].pointer).toBe('Idempotency-Key');
  });

  it('answers a key without the submit role 403, as without a key', async () => {
    const r = await hub.http('POST', '/api/v1/alerts', source.keys.reader, buildAlert(), withKey(key()));
    expect(r.status).toBe(403);
  });

  it('replays a body of several MISP events whole: one set of alerts, the same answer', async () => {
    const k = key();
    const event = (info: string, ip: string) => ({
      Event: {
        info,
        threat_level_id: '2',
        Tag: [{ name: 'tlp:green' }],
        Attribute: [{ type: 'ip-dst', value: ip, to_ids: true }],
      },
    });
    const body = {
      response: [event('Several-event retry A', '198.51.100.41'), event('Several-event retry B', '198.51.100.42')],
    };
    const send = () => hub.http('POST', '/api/v1/alerts?format=misp', source.keys.operator, body, withKey(k));
    const first = await send();
    expect(first.status).toBe(202);
    expect(first.body.alerts).toHaveLength(2);
    const retry = await send();
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await alertsTitled('Several-event retry A')).toBe(1);
    expect(await alertsTitled('Several-event retry B')).toBe(1);
  });
});
