import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';

// Real feed shapes that the hub used to refuse or read as nothing: IntelMQ's own classification types, headerless
// delimited lists, several MISP events in one body.

const fixture = (p: string) => readFileSync(resolve(__dirname, '../fixtures', p), 'utf8');

let hub: TestHub;
let sender: SeededOrg;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
});

afterAll(async () => {
  await hub?.close();
});

async function submit(body: string, contentType: string, query = ''): Promise<any> {
  const r = await hub.http('POST', `/api/v1/alerts${query}`, sender.keys.operator, body, {
    'content-type': contentType,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body;
}

/** The alert once published, as its submitter reads it. */
async function published(id: string): Promise<any> {
  return eventually(async () => {
    const r = await hub.http('GET', `/api/v1/alerts/${id}`, sender.keys.reader);
    if (r.status !== 200 || r.body.status !== 'published') {
      throw new Error(`alert ${id} is ${String(r.body?.status)}`);
    }
    return r.body;
  }, 30_000);
}

describe('POST /api/v1/alerts with IntelMQ classification types', () => {
  it('accepts a blacklist feed and publishes it classified other/other', async () => {
    const body = await submit(fixture('intelmq/blacklist-feed.events.jsonl'), 'application/x-ndjson');
    expect(body).toMatchObject({ status: 'queued', format: 'intelmq', unsupported: [] });
    const alert = await published(body.id as string);
    expect(alert).toMatchObject({
      title: 'Example Blocklist report',
      classification: { taxonomy: 'other', type: 'other' },
      tlp: 'GREEN',
    });
    expect(alert.indicatorCount).toBe(5);
  });

  it('accepts legacy types and an unknown one, reporting the unknown type with its line', async () => {
    const body = await submit(fixture('intelmq/legacy-types.events.jsonl'), 'application/x-ndjson', '?tlp=GREEN');
    expect(body.unsupported).toContainEqual({
      pointer: '/line/12',
      line: 12,
      detail:
        'classification.type "cryptojacking" is not an RSIT or IntelMQ classification type; the event is left unclassified',
    });
    const alert = await published(body.id as string);
    expect(alert.classification).toBeNull();
    const indicators = await hub.http('GET', `/api/v1/alerts/${body.id as string}/indicators`, sender.keys.reader);
    expect((indicators.body.items as any[]).map((i) => i.source)).toContain('line 12');
  });

  it('publishes a single unknown-type event unclassified', async () => {
    const body = await submit(
      JSON.stringify({ 'source.ip': '198.51.100.61', 'classification.type': 'cryptojacking', 'feed.name': 'X' }),
      'application/x-ndjson',
      '?tlp=GREEN',
    );
    expect(body.unsupported).toHaveLength(1);
    expect(body.unsupported[0]).toMatchObject({ line: 1 });
    const alert = await published(body.id as string);
    expect(alert.classification).toBeNull();
    expect(alert.indicatorCount).toBe(1);
  });
});

describe('POST /api/v1/alerts with a headerless delimited file', () => {
  it('reads a tab-separated file cell by cell and reports the line without indicator', async () => {
    const body = await submit(fixture('csv/headerless-blocklist.tsv'), 'text/plain', '?title=Blocklist&tlp=GREEN');
    expect(body).toMatchObject({ format: 'csv', indicators: 10 });
    expect(body.unsupported).toEqual([
      expect.objectContaining({ line: 6, detail: expect.stringMatching(/^no cell of the line is an indicator/) }),
    ]);
    const alert = await published(body.id as string);
    expect(alert).toMatchObject({ indicatorCount: 10, rejectedCount: 0 });
  });

  it('refuses a delimited file with no indicator cell, naming its first line', async () => {
    const r = await hub.http(
      'POST',
      '/api/v1/alerts?title=Nothing',
      sender.keys.operator,
      'alpha\t2024-01-01T00:00:00Z\t42\nbeta\t2024-01-02T00:00:00Z\t43\n',
      { 'content-type': 'text/plain' },
    );
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ line: 1 })]);
  });
});

describe('POST /api/v1/alerts with several MISP events in one body', () => {
  const json = (p: string): any => JSON.parse(fixture(p));
  const xorist = () => json('misp/pymisp-circl-osint-xorist-57c4445b.json');
  const samsam = () => json('misp/pymisp-circl-samsam-mainly_objects_1.json');
  const turla = () => json('misp/eset-turla-crutch.misp.json').response[0];

  it('makes one alert per event of a restSearch answer, each retrievable with its own report', async () => {
    const events = [xorist(), samsam(), turla()];
    const body = await submit(JSON.stringify({ response: events }), 'application/misp+json');
    expect(body.failed).toEqual([]);
    expect(body.alerts).toHaveLength(3);
    expect(body.alerts.map((a: any) => a.event)).toEqual(['/response/0', '/response/1', '/response/2']);
    expect(new Set(body.alerts.map((a: any) => a.id)).size).toBe(3);
    for (const [n, accepted] of (body.alerts as any[]).entries()) {
      expect(accepted).toMatchObject({ status: 'queued', format: 'misp' });
      const alert = await published(accepted.id as string);
      expect(alert.title).toBe(events[n].Event.info);
      expect(alert.sourceFormat).toBe('misp');
      expect(alert.unsupported).toEqual(accepted.unsupported);
      expect(accepted.unsupported.every((i: any) => i.pointer === '' || i.pointer.startsWith('/Event'))).toBe(true);
    }
  });

  it('creates the valid events and reports the failing one with its pointer in the body', async () => {
    const broken = { Event: { info: 'broken', Attribute: 'not a list' } };
    const untitled = { Event: { Attribute: [{ type: 'ip-dst', value: '198.51.100.70' }] } };
    const body = await submit(
      JSON.stringify([xorist(), broken, samsam(), untitled]),
      'application/json',
      '?format=misp',
    );
    expect(body.alerts.map((a: any) => a.event)).toEqual(['/0', '/2']);
    expect(body.failed).toEqual([
      expect.objectContaining({ pointer: '/1/Event/Attribute' }),
      expect.objectContaining({ pointer: '/3', detail: expect.stringMatching(/\(\?title\)$/) }),
    ]);
  });

  it('answers 400 naming every event when none is valid', async () => {
    const r = await hub.http(
      'POST',
      '/api/v1/alerts',
      sender.keys.operator,
      JSON.stringify({ response: [{ Event: 5 }, { nothing: true }] }),
      { 'content-type': 'application/misp+json' },
    );
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: any) => e.pointer)).toEqual(['/response/0/Event', '/response/1']);
  });

  it('keeps the one-event answer for a restSearch answer of one event', async () => {
    const body = await submit(JSON.stringify({ response: [xorist()] }), 'application/misp+json');
    expect(Object.keys(body).sort()).toEqual(
      ['format', 'id', 'indicators', 'status', 'tlp', 'tlpDefaulted', 'unsupported'].sort(),
    );
  });

  describe('bounds', () => {
    let small: TestHub;
    let org: SeededOrg;

    beforeAll(async () => {
      small = await startTestHub({ env: { TOCSIN_MAX_EVENTS_PER_SUBMISSION: '2', TOCSIN_MAX_INDICATORS: '5' } });
      org = await seedOrg(small, { trustLevel: 3 });
    });

    afterAll(async () => {
      await small?.close();
    });

    const post = (doc: unknown) =>
      small.http('POST', '/api/v1/alerts', org.keys.operator, JSON.stringify(doc), {
        'content-type': 'application/misp+json',
      });

    it('refuses more events than TOCSIN_MAX_EVENTS_PER_SUBMISSION, creating none', async () => {
      const r = await post({ response: [xorist(), samsam(), samsam()] });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([
        { pointer: '/response', detail: 'holds 3 MISP events; at most 2 are accepted in one submission' },
      ]);
    });

    it('refuses events whose indicators together pass TOCSIN_MAX_INDICATORS', async () => {
      const r = await post([xorist(), xorist()]);
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([
        { pointer: '', detail: expect.stringMatching(/^the events hold 6 indicators in all; at most 5 are/) },
      ]);
    });
  });
});
