import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { startTestHub, type TestHub } from '../harness/hub';

/**
 * Thousands of malformed bodies of each format over real HTTP: every answer is a 4xx problem document that
 * says what is wrong; never a 5xx, never a crashed worker.
 */
const RUNS = 1000;
const fixture = (p: string) => readFileSync(resolve(__dirname, '../fixtures', p), 'utf8');

let hub: TestHub;
let sender: SeededOrg;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3 });
});

afterAll(async () => {
  await hub?.close();
});

async function expect4xx(body: string, contentType: string, query = '?title=fuzz'): Promise<void> {
  const r = await hub.http('POST', `/api/v1/alerts${query}`, sender.keys.operator, body, {
    'content-type': contentType,
  });
  expect(
    r.status,
    `${contentType} ${body.slice(0, 200)} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`,
  ).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  expect(typeof r.body.type).toBe('string');
  expect(typeof r.body.detail).toBe('string');
}

/** A document cut short anywhere before its end is never valid JSON. */
const truncated = (doc: string) => fc.integer({ min: 0, max: doc.length - 2 }).map((n) => doc.slice(0, n));

/** A JSON document whose structure is wrong for the format: valid JSON, wrong shape. */
const wrongShape = fc.oneof(
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
);

describe('fuzzing POST /api/v1/alerts with malformed bodies', () => {
  const stix = fixture('stix/oasis-poisonivy-report.json');
  const misp = fixture('misp/pymisp-circl-osint-fallchill-to_delete2.json');

  it.each([
    [
      'native JSON',
      'application/json',
      truncated(
        JSON.stringify({
          title: 'x',
          severity: 'low',
          tlp: 'GREEN',
          indicators: [{ type: 'ipv4', value: '198.51.100.1' }],
        }),
      ),
    ],
    ['STIX 2.1', 'application/stix+json', truncated(stix)],
    ['MISP', 'application/misp+json', truncated(misp)],
  ])('answers a 4xx to %s cut short anywhere', { timeout: 120_000 }, async (_l, ct, gen) => {
    await fc.assert(
      fc.asyncProperty(gen, (body) => expect4xx(body, ct)),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['native JSON', 'application/json'],
    ['STIX 2.1', 'application/stix+json'],
    ['MISP', 'application/misp+json'],
  ])('answers a 4xx to %s documents of the wrong shape', { timeout: 120_000 }, async (_l, ct) => {
    await fc.assert(
      fc.asyncProperty(wrongShape, (doc) => expect4xx(JSON.stringify(doc), ct, '')),
      { numRuns: RUNS },
    );
  });

  it('answers a 4xx to CSV lists with an unterminated quote', { timeout: 120_000 }, async () => {
    const row = fc
      .tuple(fc.constantFrom('ipv4', 'domain', 'url', ''), fc.stringMatching(/^[a-z0-9.:/]{1,30}$/))
      .map(([t, v]) => `${t},${v}`);
    const gen = fc.tuple(
      fc.array(row, { maxLength: 20 }),
      fc.stringMatching(/^[a-z0-9.]{0,20}$/),
      fc.array(row, { maxLength: 5 }),
    );
    await fc.assert(
      fc.asyncProperty(gen, ([before, broken, after]) =>
        expect4xx(['type,value', ...before, `domain,"${broken}`, ...after].join('\n'), 'text/csv'),
      ),
      { numRuns: RUNS },
    );
  });

  it('answers a 4xx to IntelMQ lines that are not JSON objects', { timeout: 120_000 }, async () => {
    const bad = fc.oneof(
      fc.stringMatching(/^[^{\n#][^\n]{0,40}$/).filter((l) => l.trim().length > 0),
      fc
        .jsonValue({ maxDepth: 1 })
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => JSON.stringify(v)),
    );
    const good = fc.constant(JSON.stringify({ 'source.ip': '198.51.100.9', 'classification.type': 'c2-server' }));
    await fc.assert(
      fc.asyncProperty(fc.array(good, { maxLength: 5 }), bad, (lines, b) =>
        expect4xx([...lines, b].join('\n'), 'application/x-ndjson'),
      ),
      { numRuns: RUNS },
    );
  });

  it('answers a 4xx to random bytes sent as each JSON format', { timeout: 120_000 }, async () => {
    const ct = fc.constantFrom('application/json', 'application/stix+json', 'application/misp+json');
    const garbage = fc.string({ minLength: 1, maxLength: 200 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    });
    await fc.assert(
      fc.asyncProperty(garbage, ct, (body, c) => expect4xx(body, c)),
      { numRuns: RUNS },
    );
  });
});
