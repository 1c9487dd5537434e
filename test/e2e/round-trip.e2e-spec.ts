import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';
import { loadStixSchemas } from '../harness/stix-schemas';
import { strictStixProblems } from '../harness/stix-strict';

const fixture = (p: string) => readFileSync(resolve(__dirname, '../fixtures', p), 'utf8');
const schemas = loadStixSchemas();

let hub: TestHub;
let sender: SeededOrg;
let reader: SeededOrg;
let stranger: SeededOrg;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
  reader = await seedOrg(hub, { trustLevel: 3, country: 'BE' });
  stranger = await seedOrg(hub, { trustLevel: 1, country: 'LU' });
});

afterAll(async () => {
  await hub?.close();
});

async function submitAndPublish(body: string, contentType: string, query = ''): Promise<string> {
  const r = await hub.http('POST', `/api/v1/alerts${query}`, sender.keys.operator, body, {
    'content-type': contentType,
  });
  expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(202);
  await eventually(async () => {
    const s = await hub.http('GET', `/api/v1/alerts/${r.body.id}`, sender.keys.reader);
    expect(s.body.status).toBe('published');
  }, 30_000);
  return r.body.id as string;
}

/** The STIX patterns of a bundle's indicators, as `type:value` of the compared observable. */
function stixValues(bundle: any): string[] {
  return (bundle.objects as any[])
    .filter((o) => o.type === 'indicator')
    .map((o) => String(o.pattern))
    .sort();
}

describe('round trips', () => {
  it('STIX in → STIX out: the same indicators and TLP, valid against the official STIX 2.1 schemas', async () => {
    // The OASIS file-hash indicator, marked with the official TLP 2.0 GREEN marking definition.
    const doc = JSON.parse(fixture('stix/oasis-malware-indicator-for-file-hash.json'));
    const green = JSON.parse(fixture('stix/tlp2/tlp-green.json')).objects[0];
    doc.objects = [
      green,
      ...doc.objects.map((o: any) => (o.type === 'indicator' ? { ...o, object_marking_refs: [green.id] } : o)),
    ];
    const input = JSON.stringify(doc);
    const id = await submitAndPublish(input, 'application/stix+json', '?title=Marked%20indicator');
    const out = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, reader.keys.reader);
    expect(out.status).toBe(200);
    expect(out.headers.get('content-type')).toContain('application/stix+json');
    expect(schemas.validateBundleAndObjects(out.body)).toEqual([]);
    const alert = (await hub.http('GET', `/api/v1/alerts/${id}`, reader.keys.reader)).body;
    expect(alert).toMatchObject({ tlp: 'GREEN', tlpDefaulted: false });
    const marking = (out.body.objects as any[]).find((o) => o.type === 'marking-definition');
    expect(marking).toMatchObject({ id: green.id, name: 'TLP:GREEN' });
    const inPatterns = (JSON.parse(input).objects as any[]).filter((o) => o.type === 'indicator').map((o) => o.pattern);
    expect(stixValues(out.body)).toEqual(inPatterns.map((p: string) => p.replace(/\s+/g, ' ')).sort());
    // Exporting twice gives the same bytes: ids and timestamps are deterministic.
    const again = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, reader.keys.reader);
    expect(JSON.stringify(again.body)).toBe(JSON.stringify(out.body));
  });

  it('STIX in → STIX out keeps every domain of a 175-indicator published feed', async () => {
    const input = fixture('stix/amnesty-wintego-helios.stix2.json');
    const id = await submitAndPublish(input, 'application/stix+json', '?title=Wintego%20Helios&tlp=GREEN');
    const out = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, reader.keys.reader);
    expect(schemas.validateBundleAndObjects(out.body)).toEqual([]);
    const domainsIn = new Set(
      (JSON.parse(input).objects as any[])
        .filter((o) => o.type === 'indicator')
        .map((o) => /'([^']+)'/.exec(o.pattern)![1]!.toLowerCase()),
    );
    const domainsOut = new Set(stixValues(out.body).map((p) => /'([^']+)'/.exec(p)![1]!));
    expect(domainsOut).toEqual(domainsIn);
  });

  it('MISP in → MISP out: the same attribute values and TLP tag', async () => {
    const input = fixture('misp/pymisp-circl-osint-xorist-57c4445b.json');
    const id = await submitAndPublish(input, 'application/misp+json');
    const out = await hub.http('GET', `/api/v1/alerts/${id}/export?format=misp`, reader.keys.reader);
    expect(out.status).toBe(200);
    const tags = (out.body.Event.Tag as { name: string }[]).map((t) => t.name);
    expect(tags).toContain('tlp:clear');
    const hashTypes = new Set(['md5', 'sha1', 'sha256']);
    const inValues = (JSON.parse(input).Event.Attribute as { type: string; value: string }[])
      .filter((a) => hashTypes.has(a.type))
      .map((a) => `${a.type}:${a.value.toLowerCase()}`)
      .sort();
    const outValues = (out.body.Event.Attribute as { type: string; value: string }[])
      .filter((a) => hashTypes.has(a.type))
      .map((a) => `${a.type}:${a.value}`)
      .sort();
    expect(outValues).toEqual(inValues);
  });

  it('exports nothing to an org that may not see the alert (404) and refuses an unknown format (400)', async () => {
    const id = await submitAndPublish(
      fixture('csv/amnesty-2020-uzbekistan-ips.txt'),
      'text/plain',
      '?title=Amber%20list&tlp=AMBER',
    );
    expect((await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, stranger.keys.reader)).status).toBe(404);
    const bad = await hub.http('GET', `/api/v1/alerts/${id}/export?format=openioc`, reader.keys.reader);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('?format');
  });

  it('exports a bundle the strict validator rules pass', async () => {
    const id = await submitAndPublish(
      fixture('misp/pymisp-circl-osint-fallchill-to_delete2.json'),
      'application/misp+json',
    );
    const out = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, reader.keys.reader);
    expect(strictStixProblems(out.body)).toEqual([]);
    expect(schemas.validateBundleAndObjects(out.body)).toEqual([]);
  });
});

/** Every indicator REST lists for an alert, page by page. */
async function restIndicators(id: string): Promise<any[]> {
  const out: any[] = [];
  for (let cursor: string | null = null; ;) {
    const r = await hub.http(
      'GET',
      `/api/v1/alerts/${id}/indicators?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      reader.keys.reader,
    );
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (cursor === null) {
      return out;
    }
  }
}

/** What a recipient's tools would detect: a value as the exports write it (an AS as its number). */
const detectable = (type: string, value: string): string => (type === 'asn' ? value.replace(/^AS/i, '') : value);

/** The values a STIX bundle makes indicators of (the one compared value of each pattern, unescaped). */
function stixDetections(bundle: any): Set<string> {
  const out = new Set<string>();
  for (const o of bundle.objects as any[]) {
    if (o.type === 'indicator') {
      const m = /= '((?:[^'\\]|\\.)*)'\]$/.exec(o.pattern) ?? /= (\d+)\]$/.exec(o.pattern);
      out.add(m![1]!.replace(/\\(.)/g, '$1'));
    } else if (o.type === 'vulnerability' && Object.values(o.extensions ?? {}).some((e: any) => e.actionable)) {
      out.add(o.name);
    }
  }
  return out;
}

describe('one meaning of actionable, over HTTP, socket replay and both exports', () => {
  const clients: AlertClient[] = [];
  afterAll(() => clients.forEach((c) => c.close()));

  it.each([
    ['misp/pymisp-circl-osint-fallchill-to_delete2.json', 'application/misp+json', ''],
    ['misp/pymisp-circl-samsam-mainly_objects_1.json', 'application/misp+json', ''],
    ['stix/oasis-poisonivy-report.json', 'application/stix+json', '?tlp=GREEN'],
    ['csv/misp-export-shape.csv', 'text/csv', '?title=MISP%20CSV&tlp=GREEN'],
    ['intelmq/phishing.events.jsonl', 'application/x-ndjson', '?title=Phishing&tlp=GREEN'],
  ])('%s: REST, socket replay, STIX and MISP name the same actionable values', async (file, type, query) => {
    const id = await submitAndPublish(fixture(file), type, query);
    const rest = await restIndicators(id);
    const accepted = rest.filter((i) => i.canonicalValue !== null);
    expect(accepted.length).toBeGreaterThan(0);
    // A rejected indicator is never actionable.
    expect(rest.filter((i) => i.rejection !== null && i.actionable)).toEqual([]);
    const restActionable = new Set(
      accepted.filter((i) => i.actionable).map((i) => detectable(i.type, i.canonicalValue)),
    );
    const restOther = new Set(accepted.filter((i) => !i.actionable).map((i) => detectable(i.type, i.canonicalValue)));

    // Replay from the start of the log: the alert event as live recipients got it, and its follow-up chunks.
    const client = connectAlerts(hub.url, reader.keys.reader, 0);
    clients.push(client);
    const chunks: any[] = [];
    client.socket.on('alert-indicators', (c: any) => chunks.push(c));
    await waitConnected(client);
    const event = await eventually(() => {
      const e = client.events.find((x) => x.alert.id === id);
      if (!e || chunks.filter((c) => c.alertId === id).length < e.alert.indicatorChunks.count - 1) {
        throw new Error('not replayed yet');
      }
      return e;
    });
    const pushed = [...event.alert.indicators, ...chunks.filter((c) => c.alertId === id).flatMap((c) => c.indicators)];
    expect(pushed).toHaveLength(accepted.length);
    const socketActionable = new Set(
      pushed.filter((i: any) => i.actionable).map((i: any) => detectable(i.type, i.value)),
    );

    const stix = (await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, reader.keys.reader)).body;
    const misp = (await hub.http('GET', `/api/v1/alerts/${id}/export?format=misp`, reader.keys.reader)).body;
    const mispValues = (toIds: boolean) =>
      new Set(
        (misp.Event.Attribute as any[])
          .filter((a) => a.to_ids === toIds && !['link', 'comment'].includes(a.type))
          .map((a) => String(a.value)),
      );

    expect(socketActionable).toEqual(restActionable);
    expect(stixDetections(stix)).toEqual(restActionable);
    expect(mispValues(true)).toEqual(restActionable);
    expect(mispValues(false)).toEqual(restOther);
    expect(strictStixProblems(stix)).toEqual([]);
  });
});

describe('GET /api/v1/alerts/:id/indicators', () => {
  it('answers a rejected indicator actionable: false, an accepted one true', async () => {
    const body = JSON.stringify({
      title: 'One good, one bad',
      tlp: 'GREEN',
      indicators: [
        { type: 'ipv4', value: '999.1.1.1' },
        { type: 'ipv4', value: '8.8.4.5' },
      ],
    });
    const id = await submitAndPublish(body, 'application/json');
    const items = await restIndicators(id);
    expect(items.map((i) => [i.rawValue, i.rejection !== null, i.actionable])).toEqual([
      ['999.1.1.1', true, false],
      ['8.8.4.5', false, true],
    ]);
  });
});

describe('lossless round trips through the hub', () => {
  async function alertAndIndicators(id: string) {
    const a = (await hub.http('GET', `/api/v1/alerts/${id}`, reader.keys.reader)).body;
    const indicators = (await restIndicators(id))
      .filter((i) => i.canonicalValue !== null)
      .map((i) => `${i.type} ${i.canonicalValue} ${i.actionable}`)
      .sort();
    return {
      title: a.title,
      description: a.description,
      severity: a.severity,
      tlp: a.tlp,
      classification: a.classification,
      indicators,
    };
  }

  it.each([
    ['stix', 'application/stix+json'],
    ['misp', 'application/misp+json'],
  ])('%s export → import gives back the alert: fields, values and actionability', async (format, type) => {
    const doc = JSON.parse(fixture('misp/pymisp-circl-osint-fallchill-to_delete2.json'));
    doc.Event.threat_level_id = '3'; // low: STIX used to give it back as medium
    doc.Event.Tag = [...(doc.Event.Tag ?? []), { name: 'rsit:malicious-code="c2-server"' }];
    doc.Event.Attribute.push(
      { type: 'vulnerability', category: 'External analysis', value: 'CVE-2017-11882', to_ids: false },
      { type: 'ip-dst', category: 'Network activity', value: '10.1.2.3', to_ids: true },
    );
    const first = await submitAndPublish(
      JSON.stringify(doc),
      'application/misp+json',
      '?description=' + encodeURIComponent('Exported, then imported again'),
    );
    const before = await alertAndIndicators(first);
    expect(before).toMatchObject({
      severity: 'low',
      classification: { taxonomy: 'malicious-code', type: 'c2-server' },
    });
    expect(before.indicators).toContain('cve CVE-2017-11882 false');
    expect(before.indicators).toContain('ipv4 10.1.2.3 false'); // warning-listed (RFC 1918)

    const exported = await hub.http('GET', `/api/v1/alerts/${first}/export?format=${format}`, reader.keys.reader);
    expect(exported.status).toBe(200);
    const second = await submitAndPublish(JSON.stringify(exported.body), type);
    expect(await alertAndIndicators(second)).toEqual(before);
  });
});
