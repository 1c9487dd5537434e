import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

const fixture = (p: string) => readFileSync(resolve(__dirname, '../fixtures', p), 'utf8');

let hub: TestHub;
let sender: SeededOrg;
let receiver: SeededOrg;
let client: AlertClient;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  client = connectAlerts(hub.url, receiver.keys.reader);
  await waitConnected(client);
});

afterAll(async () => {
  client?.close();
  await hub?.close();
});

async function submit(body: string, contentType: string, query = ''): Promise<{ id: string; body: any }> {
  const r = await hub.http('POST', `/api/v1/alerts${query}`, sender.keys.operator, body, {
    'content-type': contentType,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return { id: r.body.id as string, body: r.body };
}

async function received(id: string): Promise<any> {
  return eventually(() => {
    const e = client.events.find((x) => x.alert.id === id);
    if (!e) {
      throw new Error(`alert ${id} not received yet`);
    }
    return e.alert;
  }, 30_000);
}

const values = (alert: any) =>
  (alert.indicators as { type: string; value: string }[]).map((i) => `${i.type}:${i.value}`).sort();

describe('POST /api/v1/alerts in the formats CERTs use', () => {
  it('reads a STIX 2.1 bundle: canonical indicators, the warning-listed one flagged with its reason', async () => {
    const { id } = await submit(
      fixture('stix/oasis-indicators-for-C2-with-COA.json'),
      'application/stix+json;version=2.1',
      '?title=C2%20with%20COA',
    );
    const alert = await received(id);
    expect(alert.sourceFormat).toBe('stix');
    const byValue = new Map((alert.indicators as any[]).map((i) => [i.value, i]));
    expect(byValue.get('ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c')).toMatchObject({
      type: 'sha256',
    });
    const privateIp = byValue.get('10.0.0.0');
    expect(privateIp.flags).toContain('warning-listed');
    expect(privateIp.warning.reason).toEqual(expect.any(String));
    expect(alert.warningCount).toBe(1);
  });

  it('reads a MISP event: its TLP tag, its attributes, to_ids=false marked not actionable', async () => {
    const { id } = await submit(fixture('misp/pymisp-circl-osint-fallchill-to_delete2.json'), 'application/misp+json');
    const alert = await received(id);
    expect(alert).toMatchObject({ sourceFormat: 'misp', tlp: 'CLEAR', tlpDefaulted: false });
    expect(alert.title).toContain('FALLCHILL');
    const types = new Set((alert.indicators as any[]).map((i) => i.type));
    expect(types).toEqual(expect.objectContaining({}));
    expect([...types].sort()).toEqual(expect.arrayContaining(['ipv4', 'md5', 'sha256']));
    expect(alert.indicatorCount).toBeGreaterThanOrEqual(90);
  });

  it('reads a plain one-value-a-line list with the title from the query and defaults TLP to AMBER, saying so', async () => {
    const { id, body } = await submit(
      fixture('csv/amnesty-2020-uzbekistan-ips.txt'),
      'text/plain',
      '?title=Uzbekistan%20campaign',
    );
    expect(body).toMatchObject({ format: 'csv', tlp: 'AMBER', tlpDefaulted: true });
    const alert = await received(id);
    expect(alert).toMatchObject({ title: 'Uzbekistan campaign', tlp: 'AMBER', tlpDefaulted: true });
    expect(alert.indicatorCount).toBe(22);
    expect((alert.indicators as any[]).every((i) => i.type === 'ipv4')).toBe(true);
  });

  it('reads IntelMQ events as JSON lines, with their RSIT classification', async () => {
    const lines = [
      {
        'source.ip': '198.51.100.77',
        'classification.taxonomy': 'malicious-code',
        'classification.type': 'c2-server',
        'feed.name': 'Test C2',
      },
      { 'source.fqdn': 'c2.example-bad.net', 'classification.type': 'c2-server', 'feed.name': 'Test C2' },
      { 'source.url': 'hxxp://c2.example-bad[.]net/gate.php', 'feed.name': 'Test C2' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const { id } = await submit(lines, 'application/x-ndjson', '?tlp=GREEN&title=IntelMQ%20C2');
    const alert = await received(id);
    expect(alert).toMatchObject({
      sourceFormat: 'intelmq',
      tlp: 'GREEN',
      classification: { taxonomy: 'malicious-code', type: 'c2-server' },
    });
    expect(values(alert)).toEqual([
      'domain:c2.example-bad.net',
      'ipv4:198.51.100.77',
      'url:http://c2.example-bad.net/gate.php',
    ]);
  });

  it('lets the document’s TLP win over the query’s', async () => {
    const { body } = await submit(
      fixture('misp/pymisp-circl-osint-xorist-57c4445b.json'),
      'application/json',
      '?format=misp&tlp=RED',
    );
    expect(body).toMatchObject({ tlp: 'CLEAR', tlpDefaulted: false });
  });
});

describe('malformed documents', () => {
  it.each([
    [
      'a STIX bundle with a broken pattern',
      'application/stix+json',
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        objects: [
          {
            type: 'indicator',
            spec_version: '2.1',
            id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
            created: '2026-01-01T00:00:00.000Z',
            modified: '2026-01-01T00:00:00.000Z',
            pattern_type: 'stix',
            valid_from: '2026-01-01T00:00:00Z',
            pattern: "[ipv4-addr:value = '1.2.3.4'",
          },
        ],
      }),
      '/objects/0/pattern',
    ],
    [
      'a MISP event whose Attribute is not a list',
      'application/misp+json',
      JSON.stringify({ Event: { info: 'x', Attribute: 'nope' } }),
      '/Event/Attribute',
    ],
    ['truncated JSON', 'application/stix+json', '{"type": "bundle", "objects": [', ''],
  ])('answers 400 naming where for %s', async (_l, ct, body, pointer) => {
    const r = await hub.http('POST', '/api/v1/alerts?title=x', sender.keys.operator, body, { 'content-type': ct });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    if (pointer) {
      expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
  });

  it('answers 400 with the line for a CSV row with an unbalanced quote', async () => {
    const r = await hub.http(
      'POST',
      '/api/v1/alerts?title=x',
      sender.keys.operator,
      'type,value\nipv4,198.51.100.1\ndomain,"broken.example.net\n',
      {
        'content-type': 'text/csv',
      },
    );
    expect(r.status).toBe(400);
    expect(r.body.errors[0].line).toEqual(expect.any(Number));
  });

  it('refuses a STIX 2.0 bundle whole, with a clear message', async () => {
    const stix20 = {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      spec_version: '2.0',
      objects: [],
    };
    const r = await hub.http('POST', '/api/v1/alerts?title=x', sender.keys.operator, JSON.stringify(stix20), {
      'content-type': 'application/stix+json',
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.errors)).toContain('2.0');
  });

  it('asks for ?title when a CSV list has none', async () => {
    const r = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, '198.51.100.1\n', {
      'content-type': 'text/plain',
    });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ pointer: '?title', detail: expect.stringContaining('title') }]);
  });
});
