import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';
import { loadStixSchemas } from '../harness/stix-schemas';

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
});
