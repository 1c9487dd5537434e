import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '@tocsin/domain';
import { contentTypeFor, detectFormat } from './detect-format';
import { TocsinUsageError } from './errors';

const FIXTURES = resolve(__dirname, '../../../test/fixtures');
const samples = ['stix', 'misp', 'csv', 'intelmq'].flatMap((format) =>
  readdirSync(join(FIXTURES, format))
    .filter((f) => f !== 'SOURCE.md' && statSync(join(FIXTURES, format, f)).isFile())
    .map((file) => ({ format, file, path: join(FIXTURES, format, file) })),
);

describe(detectFormat.name, () => {
  it('finds samples of every format', () => {
    expect(new Set(samples.map((s) => s.format))).toEqual(new Set(['stix', 'misp', 'csv', 'intelmq']));
  });

  it.each(samples)('reads test/fixtures/$format/$file as $format', ({ format, file, path }) => {
    const bytes = readFileSync(path);
    const named = detectFormat(bytes, file);
    expect(named.format).toBe(format);
    expect(MEDIA_TYPES[named.contentType]).toBe(format);
    // The content alone decides too (a pipe has no name), except for a plain list, which is CSV either way.
    expect(detectFormat(bytes.toString('utf8')).format).toBe(format);
  });

  it.each([
    [
      'native JSON',
      JSON.stringify({ title: 't', indicators: [{ value: '198.51.100.7' }] }),
      'native',
      'application/json',
    ],
    ['a STIX bundle', '{"type":"bundle","id":"bundle--1","objects":[]}', 'stix', 'application/stix+json'],
    ['a MISP {"Event": …}', '{"Event":{"info":"x","Attribute":[]}}', 'misp', 'application/misp+json'],
    [
      'a MISP restSearch answer',
      '{"response":[{"Event":{"info":"a"}},{"Event":{"info":"b"}}]}',
      'misp',
      'application/misp+json',
    ],
    ['a list of MISP events', '[{"Event":{"info":"a"}},{"info":"b","Attribute":[]}]', 'misp', 'application/misp+json'],
    ['a bare MISP event', '{"info":"x","threat_level_id":"1","Attribute":[]}', 'misp', 'application/misp+json'],
    [
      'IntelMQ JSON lines',
      '{"source.ip":"198.51.100.7"}\n{"source.fqdn":"evil.example"}\n',
      'intelmq',
      'application/x-ndjson',
    ],
    [
      'a list of IntelMQ events',
      '[{"source.ip":"198.51.100.7","classification.type":"c2-server"}]',
      'intelmq',
      'application/x-ndjson',
    ],
    [
      'one hierarchical IntelMQ event',
      '{"source":{"ip":"198.51.100.7"},"feed":{"name":"f"}}',
      'intelmq',
      'application/x-ndjson',
    ],
    ['a CSV with a header', 'type,value\nipv4,198.51.100.7\n', 'csv', 'text/csv'],
    ['a plain list', '# feed\n198.51.100.7\nevil.example\n', 'csv', 'text/plain'],
    ['a quoted value (text to the hub: one value a line)', '"198.51.100.7"', 'csv', 'text/plain'],
  ])('reads %s', (_name, content, format, contentType) => {
    expect(detectFormat(content)).toMatchObject({ format, contentType });
  });

  it('lets the file name decide what the content leaves open', () => {
    expect(detectFormat('198.51.100.7\n', 'ips.txt')).toMatchObject({ format: 'csv', contentType: 'text/plain' });
    expect(detectFormat('198.51.100.7\n', 'ips.csv')).toMatchObject({ format: 'csv', contentType: 'text/csv' });
    expect(detectFormat('{"a":1}\n', 'events.jsonl')).toMatchObject({ format: 'intelmq' });
    expect(detectFormat('{"title":"t","indicators":[]}', 'list.txt')).toMatchObject({ format: 'csv' });
    expect(detectFormat('\uFEFF{"type":"bundle","objects":[]}', 'b.json').format).toBe('stix');
  });

  it.each([
    ['empty', '   \n', /is empty/],
    ['binary', 'PK\u0003\u0004\u0000\u0000', /NUL bytes/],
    ['JSON of no known shape', '{"hello":"world"}', /no known shape/],
    ['a single STIX object, not a bundle', '{"type":"indicator","id":"indicator--1"}', /not a bundle/],
    ['an empty JSON list', '[]', /empty JSON list/],
    ['a mixed JSON list', '[{"Event":{}},{"source.ip":"1.2.3.4"}]', /neither all MISP events nor all IntelMQ/],
    ['a restSearch answer without events', '{"response":[{"x":1}]}', /does not hold MISP events/],
    ['broken JSON', '{"type": "bundle", "objects": [', /not valid JSON, nor JSON lines/],
    ['JSON lines that are not IntelMQ', '{"a":1}\n{"b":2}\n', /not of IntelMQ events/],
  ])('refuses %s with a reason', (_name, content, reason) => {
    expect(() => detectFormat(content, 'doc.json')).toThrow(TocsinUsageError);
    expect(() => detectFormat(content, 'doc.json')).toThrow(reason);
  });
});

describe(contentTypeFor.name, () => {
  it('gives the media type MEDIA_TYPES maps to each format', () => {
    for (const format of ['native', 'stix', 'misp', 'csv', 'intelmq'] as const) {
      expect(MEDIA_TYPES[contentTypeFor(format)]).toBe(format);
    }
    expect(contentTypeFor('csv', 'list.txt')).toBe('text/plain');
  });
});
