import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isActionable } from '../../indicators/actionable';
import Ajv, { type ValidateFunction } from 'ajv';
import { INDICATOR_FLAGS, type CanonicalIndicator, type IndicatorFlag } from '../../model/canonical';
import { INDICATOR_TYPES, type IndicatorType } from '../../alerts/indicator-types';
import { SEVERITIES, TLP_LABELS, type Severity, type TlpLabel } from '../../alerts/tlp';
import { exportMispEvent, MISP_ATTRIBUTE_TYPES, type MispEventExport } from './export-misp';
import type { ExportableAlert } from './export-types';

const ALERT_ID = '0b4f3a52-9a2e-4c4e-8d7a-1f2b3c4d5e6f';
const ORG_ID = '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SCHEMA_DIR = resolve(__dirname, '../../../../../test/fixtures/misp/schema');

function ind(type: IndicatorType, value: string, extra: Partial<CanonicalIndicator> = {}): CanonicalIndicator {
  return { type, rawValue: value, canonicalValue: value, flags: [], rejection: null, warning: null, ...extra };
}

function alert(overrides: Partial<ExportableAlert> = {}): ExportableAlert {
  return {
    id: ALERT_ID,
    title: 'Botnet C2 steering hosts',
    description: 'Controllers seen in several constituencies',
    severity: 'high',
    confidence: 80,
    tlp: 'AMBER',
    classification: { taxonomy: 'malicious-code', type: 'c2-server' },
    sourceOrg: { id: ORG_ID, name: 'CERT-Example', country: 'FR' },
    submittedAt: new Date('2026-03-01T10:00:00Z'),
    publishedAt: new Date('2026-03-02T08:00:30.900Z'),
    validUntil: null,
    firstSeen: null,
    lastSeen: null,
    references: ['https://cert.example/advisories/2026-001'],
    indicators: [ind('ipv4', '198.51.100.1'), ind('domain', 'c2.example.net'), ind('cve', 'CVE-2024-3400')],
    ...overrides,
  };
}

// --- the PyMISP event schemas ------------------------------------------------------------------------------
// Both are JSON Schema draft-04. Ajv 8 dropped draft-04 (it lives in the separate ajv-draft-04 package, not a
// dependency here), so they are compiled with Ajv's default draft-07 class after removing the draft-04 `$schema`
// and `id`: a test below pins that they use only keywords that mean the same in draft-04 and draft-07.
// The strict schema is used (not the lax one): it demands only Event and an Org/Orgc uuid, which we have.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function readSchema(name: string): Record<string, Json> {
  return JSON.parse(readFileSync(resolve(SCHEMA_DIR, name), 'utf8')) as Record<string, Json>;
}

/** Every keyword a schema object uses (property names under `properties`/`defs` are names, not keywords). */
function keywords(schema: Json, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    schema.forEach((s) => keywords(s, into));
  } else if (schema !== null && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      into.add(k);
      if (k === 'properties' || k === 'defs') {
        Object.values(v as Record<string, Json>).forEach((s) => keywords(s, into));
      } else if (k === 'items' || k === 'additionalProperties') {
        keywords(v, into);
      }
    }
  }
  return into;
}

function compileDraft04(name: string): ValidateFunction {
  const { $schema: _draft, id: _id, ...schema } = readSchema(name);
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

let strict: ValidateFunction;
let lax: ValidateFunction;
const problems = (validate: ValidateFunction, data: unknown): string[] =>
  validate(data)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
const expectValid = (event: MispEventExport): void => {
  expect(problems(strict, event)).toEqual([]);
  expect(problems(lax, event)).toEqual([]);
};

beforeAll(() => {
  strict = compileDraft04('pymisp-misp-event-schema.json');
  lax = compileDraft04('pymisp-misp-event-schema-lax.json');
});

describe('PyMISP event schema', () => {
  it.each(['pymisp-misp-event-schema.json', 'pymisp-misp-event-schema-lax.json'])(
    '%s is draft-04 and uses only keywords that mean the same in draft-07',
    (name) => {
      const schema = readSchema(name);
      expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
      const sameInDraft07 = ['$schema', 'id', 'title', 'type', 'properties', 'additionalProperties', 'required'];
      const used = [...keywords(schema)].filter((k) => k !== 'defs');
      expect(used.filter((k) => ![...sameInDraft07, 'items', 'uniqueItems', '$ref'].includes(k))).toEqual([]);
    },
  );

  it('rejects what the strict schema forbids (an unknown attribute key, a string to_ids, an Orgc without uuid)', () => {
    const event = exportMispEvent(alert());
    const attr = event.Event.Attribute[0]!;
    expect(problems(strict, { Event: { ...event.Event, Attribute: [{ ...attr, first_seen: 'x' }] } })).not.toEqual([]);
    expect(problems(strict, { Event: { ...event.Event, Attribute: [{ ...attr, to_ids: 'true' }] } })).not.toEqual([]);
    expect(problems(strict, { Event: { ...event.Event, Orgc: { name: 'x' } } })).not.toEqual([]);
    expect(problems(strict, {})).not.toEqual([]);
  });
});

describe(exportMispEvent.name, () => {
  it('exports an event valid against the strict PyMISP schema', () => {
    const event = exportMispEvent(alert());
    expectValid(event);
    expect(event.Event).toMatchObject({
      uuid: ALERT_ID,
      info: 'Botnet C2 steering hosts',
      date: '2026-03-02',
      timestamp: '1772438430',
      publish_timestamp: '1772438430',
      published: true,
      threat_level_id: '1',
      analysis: '2',
      distribution: '0',
      attribute_count: '5',
      Orgc: { uuid: ORG_ID, name: 'CERT-Example' },
    });
  });

  it('dates an unpublished event at submission and says it is not published', () => {
    const event = exportMispEvent(alert({ publishedAt: null, submittedAt: new Date('2026-03-01T23:59:59.999Z') }));
    expectValid(event);
    expect(event.Event).toMatchObject({
      date: '2026-03-01',
      timestamp: '1772409599',
      publish_timestamp: '0',
      published: false,
    });
  });

  it.each<[IndicatorType, string, string, string, string, boolean]>([
    ['ipv4', '198.51.100.1', 'ip-dst', 'Network activity', '198.51.100.1', true],
    ['ipv6', '2001:db8::1', 'ip-dst', 'Network activity', '2001:db8::1', true],
    ['cidr', '198.51.100.0/24', 'ip-dst', 'Network activity', '198.51.100.0/24', true],
    ['domain', 'c2.example.net', 'domain', 'Network activity', 'c2.example.net', true],
    ['url', "http://evil.example/it's", 'url', 'Network activity', "http://evil.example/it's", true],
    ['email', 'phish@example.org', 'email-src', 'Payload delivery', 'phish@example.org', true],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', 'md5', 'Payload delivery', 'd41d8cd98f00b204e9800998ecf8427e', true],
    ['sha1', 'a'.repeat(40), 'sha1', 'Payload delivery', 'a'.repeat(40), true],
    ['sha256', 'b'.repeat(64), 'sha256', 'Payload delivery', 'b'.repeat(64), true],
    ['sha512', 'c'.repeat(128), 'sha512', 'Payload delivery', 'c'.repeat(128), true],
    ['cve', 'CVE-2024-3400', 'vulnerability', 'External analysis', 'CVE-2024-3400', true],
    ['asn', 'AS13335', 'AS', 'Network activity', '13335', true],
  ])('maps a %s indicator %s to a MISP %s attribute (%s)', (type, value, mispType, category, mispValue, toIds) => {
    expect(MISP_ATTRIBUTE_TYPES[type]).toEqual({ type: mispType, category });
    const event = exportMispEvent(alert({ indicators: [ind(type, value)], description: null, references: [] }));
    expectValid(event);
    expect(event.Event.Attribute).toHaveLength(1);
    expect(event.Event.Attribute[0]).toMatchObject({
      type: mispType,
      category,
      value: mispValue,
      to_ids: toIds,
      distribution: '5',
      comment: '',
      timestamp: event.Event.timestamp,
    });
    expect(event.Event.Attribute[0]!.uuid).toMatch(UUID_V5);
  });

  it.each<[TlpLabel, string]>([
    ['CLEAR', 'tlp:clear'],
    ['GREEN', 'tlp:green'],
    ['AMBER', 'tlp:amber'],
    ['AMBER+STRICT', 'tlp:amber+strict'],
    ['RED', 'tlp:red'],
  ])('tags a TLP:%s alert %s', (tlp, tag) => {
    const event = exportMispEvent(alert({ tlp, classification: null }));
    expectValid(event);
    expect(event.Event.Tag).toEqual([{ name: tag }, { name: 'tocsin:severity="high"' }]);
  });

  it('adds the RSIT machine tag of the classification', () => {
    const event = exportMispEvent(alert({ classification: { taxonomy: 'fraud', type: 'phishing' } }));
    expect(event.Event.Tag).toEqual([
      { name: 'tlp:amber' },
      { name: 'tocsin:severity="high"' },
      { name: 'rsit:fraud="phishing"' },
    ]);
  });

  it.each<[Severity, string]>([
    ['critical', '1'],
    ['high', '1'],
    ['medium', '2'],
    ['low', '3'],
  ])('gives a %s alert threat level %s', (severity, level) => {
    expect(exportMispEvent(alert({ severity })).Event.threat_level_id).toBe(level);
  });

  it.each<[string, Partial<CanonicalIndicator>, boolean, string]>([
    ['an actionable indicator', {}, true, ''],
    [
      'a warning-listed indicator',
      { flags: ['warning-listed'], warning: { list: 'rfc1918', reason: 'private address space' } },
      false,
      'warning-listed (rfc1918): private address space',
    ],
    [
      'a warning-flagged indicator without details',
      { flags: ['warning-listed'] },
      false,
      'warning-listed (unknown): matched a warning list',
    ],
    [
      'a not-actionable indicator',
      { flags: ['not-actionable'] },
      false,
      'not actionable: the sender marked it not for detection',
    ],
    ['a refanged, type-inferred indicator', { flags: ['refanged', 'type-inferred'] }, true, ''],
    [
      'an indicator reported a false positive',
      { flags: ['false-positive'] },
      false,
      'reported a false positive by trusted recipients',
    ],
  ])('gives %s to_ids %s and says why in the comment', (_label, extra, toIds, comment) => {
    const event = exportMispEvent(alert({ indicators: [ind('ipv4', '10.0.0.1', extra)] }));
    expectValid(event);
    expect(event.Event.Attribute[0]).toMatchObject({ type: 'ip-dst', value: '10.0.0.1', to_ids: toIds, comment });
  });

  it('keeps an AS value that is not an AS number as it is, to_ids still its actionability', () => {
    const event = exportMispEvent(
      alert({ indicators: [ind('asn', 'AS4294967296')], description: null, references: [] }),
    );
    expectValid(event);
    expect(event.Event.Attribute.map((a) => [a.type, a.value, a.to_ids])).toEqual([['AS', 'AS4294967296', true]]);
  });

  it('leaves rejected indicators out and keeps the first of repeated ones', () => {
    const event = exportMispEvent(
      alert({
        indicators: [
          ind('ipv4', '198.51.100.1'),
          ind('ipv4', 'nope', { canonicalValue: null, rejection: 'not an IPv4 address' }),
          ind('ipv4', '198.51.100.1', { flags: ['not-actionable'] }),
        ],
        description: null,
        references: [],
      }),
    );
    expectValid(event);
    expect(event.Event.Attribute.map((a) => [a.value, a.to_ids])).toEqual([['198.51.100.1', true]]);
  });

  it('carries the description as a comment attribute and each reference as a link, none for detection', () => {
    const event = exportMispEvent(
      alert({ indicators: [], references: ['https://a.example/1', 'https://a.example/2'] }),
    );
    expectValid(event);
    expect(event.Event.Attribute.map((a) => [a.type, a.category, a.value, a.to_ids])).toEqual([
      ['comment', 'Other', 'Controllers seen in several constituencies', false],
      ['link', 'External analysis', 'https://a.example/1', false],
      ['link', 'External analysis', 'https://a.example/2', false],
    ]);
    expect(event.Event.attribute_count).toBe('3');
  });

  it('is deterministic, and derives different uuids for a different alert', () => {
    const first = exportMispEvent(alert());
    expect(JSON.stringify(exportMispEvent(structuredClone(alert())))).toBe(JSON.stringify(first));
    expect(JSON.stringify(exportMispEvent(alert({ id: ALERT_ID.toUpperCase() })))).toBe(JSON.stringify(first));
    const other = exportMispEvent(alert({ id: '9f9d8c7b-6a5b-4c3d-8e2f-1a0b9c8d7e6f' }));
    const uuids = first.Event.Attribute.map((a) => a.uuid);
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(other.Event.Attribute.map((a) => a.uuid).filter((u) => uuids.includes(u))).toEqual([]);
  });
});

// --- properties -------------------------------------------------------------------------------------------

const hex = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

const VALUES: Readonly<Record<IndicatorType, fc.Arbitrary<string>>> = {
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
  cidr: fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
  domain: fc.domain(),
  url: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string({ unit: 'binary' })),
  email: fc.emailAddress(),
  md5: hex(32),
  sha1: hex(40),
  sha256: hex(64),
  sha512: hex(128),
  cve: fc.integer({ min: 0, max: 999_999 }).map((n) => `CVE-2024-${String(n).padStart(4, '0')}`),
  asn: fc.integer({ min: 0, max: 4_294_967_295 }).map((n) => `AS${n}`),
};

const indicatorArb: fc.Arbitrary<CanonicalIndicator> = fc
  .constantFrom(...INDICATOR_TYPES)
  .chain((type) =>
    fc.record({
      type: fc.constant(type),
      value: fc.oneof({ weight: 4, arbitrary: VALUES[type] }, { weight: 1, arbitrary: fc.string({ unit: 'binary' }) }),
      flags: fc.subarray<IndicatorFlag>([...INDICATOR_FLAGS]),
      warning: fc.option(fc.record({ list: fc.string(), reason: fc.string({ unit: 'binary' }) })),
      rejected: fc.boolean(),
    }),
  )
  .map(({ type, value, flags, warning, rejected }) => ({
    type,
    rawValue: value,
    canonicalValue: rejected ? null : value,
    flags,
    rejection: rejected ? 'rejected' : null,
    warning,
  }));

const dateArb = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

const alertArb: fc.Arbitrary<ExportableAlert> = fc.record({
  id: fc.uuid(),
  title: fc.string({ unit: 'binary' }),
  description: fc.option(fc.string({ unit: 'binary' })),
  severity: fc.constantFrom(...SEVERITIES),
  confidence: fc.option(fc.double()),
  tlp: fc.constantFrom(...TLP_LABELS),
  classification: fc.option(fc.record({ taxonomy: fc.string(), type: fc.string() })),
  sourceOrg: fc.record({ id: fc.uuid(), name: fc.string({ unit: 'binary' }), country: fc.option(fc.string()) }),
  submittedAt: dateArb,
  publishedAt: fc.option(dateArb),
  validUntil: fc.option(dateArb),
  firstSeen: fc.option(dateArb),
  lastSeen: fc.option(dateArb),
  references: fc.array(fc.oneof(fc.webUrl(), fc.string()), { maxLength: 3 }),
  indicators: fc.array(indicatorArb, { maxLength: 12 }),
});

/** The MISP value of an AS (`AS013335` → `13335`); the raw value when it is not an AS number. */
function asNumberText(value: string): string {
  const m = /^(?:AS)?(\d{1,10})$/i.exec(value.trim());
  return m ? String(Number(m[1])) : value;
}

describe(`${exportMispEvent.name} (properties)`, () => {
  it('never throws, always validates, and gives every attribute a distinct UUIDv5', () => {
    fc.assert(
      fc.property(alertArb, (a) => {
        const event = exportMispEvent(a);
        expectValid(event);
        const uuids = event.Event.Attribute.map((x) => x.uuid);
        expect(uuids.every((u) => UUID_V5.test(u))).toBe(true);
        expect(new Set(uuids).size).toBe(uuids.length);
        expect(event.Event.attribute_count).toBe(String(uuids.length));
        expect(event.Event.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 300 },
    );
  });

  it('sets to_ids exactly for the attributes of actionable indicators (isActionable), CVEs included', () => {
    fc.assert(
      fc.property(alertArb, (a) => {
        const event = exportMispEvent(a);
        for (const attr of event.Event.Attribute.filter((x) => x.to_ids)) {
          const sources = a.indicators.filter(
            (i) =>
              i.canonicalValue !== null &&
              MISP_ATTRIBUTE_TYPES[i.type].type === attr.type &&
              (i.type === 'asn' ? asNumberText(i.canonicalValue) === attr.value : i.canonicalValue === attr.value),
          );
          expect(sources.some(isActionable)).toBe(true);
        }
        // …and every first occurrence of an actionable indicator is exported for detection.
        const seen = new Set<string>();
        for (const i of a.indicators) {
          if (i.canonicalValue === null || seen.has(`${i.type} ${i.canonicalValue}`)) {
            continue;
          }
          seen.add(`${i.type} ${i.canonicalValue}`);
          const value = i.type === 'asn' ? asNumberText(i.canonicalValue) : i.canonicalValue;
          const attr = event.Event.Attribute.find(
            (x) => x.type === MISP_ATTRIBUTE_TYPES[i.type].type && x.value === value,
          );
          if (attr !== undefined && MISP_ATTRIBUTE_TYPES[i.type].type !== 'ip-dst' && i.type !== 'asn') {
            expect(attr.to_ids).toBe(isActionable(i));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
