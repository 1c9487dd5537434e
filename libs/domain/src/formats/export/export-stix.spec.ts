import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadStixSchemas, type StixSchemas } from '../../../../../test/harness/stix-schemas';
import { strictStixProblems } from '../../../../../test/harness/stix-strict';
import { INDICATOR_FLAGS, type CanonicalIndicator, type IndicatorFlag } from '../../model/canonical';
import { INDICATOR_TYPES, type IndicatorType } from '../../alerts/indicator-types';
import { SEVERITIES, TLP_LABELS, type TlpLabel } from '../../alerts/tlp';
import { escapeStixString, exportStixBundle, stixPattern, type StixBundle, type StixObject } from './export-stix';
import type { ExportableAlert } from './export-types';
import { TLP2_EXTENSION_DEFINITION_ID, tlp2MarkingDefinition } from './stix-tlp-markings';
import { TOCSIN_STIX_EXTENSION_ID, TOCSIN_STIX_IDENTITY_ID } from './tocsin-stix-extension';
import { stixScoId } from './uuid-v5';
import { isActionable } from '../../indicators/actionable';
import { normalizeIndicator } from '../../indicators/normalize-indicator';

/** The official TLP 2.0 objects and extension schema (oasis-open, see test/fixtures/stix/SOURCE.md). */
const TLP2_DIR = resolve(__dirname, '../../../../../test/fixtures/stix/tlp2');
const readJson = (name: string): any => JSON.parse(readFileSync(resolve(TLP2_DIR, name), 'utf8'));

const ALERT_ID = '0b4f3a52-9a2e-4c4e-8d7a-1f2b3c4d5e6f';
const ORG_ID = '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
const MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

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
    publishedAt: new Date('2026-03-01T10:05:30.250Z'),
    validUntil: null,
    firstSeen: null,
    lastSeen: null,
    references: ['https://cert.example/advisories/2026-001'],
    indicators: [ind('ipv4', '198.51.100.1'), ind('domain', 'c2.example.net'), ind('cve', 'CVE-2024-3400')],
    ...overrides,
  };
}

const ofType = (bundle: StixBundle, type: string): StixObject[] => bundle.objects.filter((o) => o.type === type);
const only = (bundle: StixBundle, type: string): StixObject => {
  const found = ofType(bundle, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const orgIdentity = (bundle: StixBundle): StixObject =>
  ofType(bundle, 'identity').find((o) => o.id !== TOCSIN_STIX_IDENTITY_ID)!;
const patterns = (bundle: StixBundle): unknown[] => ofType(bundle, 'indicator').map((o) => o.pattern);

/** The value a single-comparison pattern tests, unescaped; null if the pattern is not of that form. */
function patternValue(pattern: string): string | null {
  const quoted = /^\[[a-z0-9-]+:[a-z0-9_.'A-Z-]+ = '((?:[^'\\]|\\.)*)'\]$/.exec(pattern);
  if (quoted) {
    return quoted[1]!.replace(/\\(.)/g, '$1');
  }
  const number = /^\[autonomous-system:number = (\d+)\]$/.exec(pattern);
  return number ? `AS${number[1]}` : null;
}

let schemas: StixSchemas;
const expectValid = (bundle: unknown): void => {
  expect(schemas.validateBundleAndObjects(bundle)).toEqual([]);
};

beforeAll(() => {
  schemas = loadStixSchemas();
});

describe('STIX 2.1 schema harness', () => {
  it('registers all 57 official schemas under their own $id, mapped to the local files', () => {
    expect(schemas.files.size).toBe(57);
    for (const [id, path] of schemas.files) {
      expect(id).toBe(`http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/${path}`);
    }
    expect(schemas.schemaForType.get('indicator')).toMatch(/\/sdos\/indicator\.json$/);
    expect(schemas.schemaForType.get('marking-definition')).toMatch(/\/common\/marking-definition\.json$/);
  });

  it('rejects what the official schemas reject (a created without milliseconds, a bad id)', () => {
    const bundle = exportStixBundle(alert());
    const indicator = ofType(bundle, 'indicator')[0]!;
    const broken = { ...indicator, created: '2026-03-01T10:00:00Z' };
    expect(schemas.validateObject(broken)).not.toEqual([]);
    expect(schemas.validateBundle({ ...bundle, objects: [broken] })).not.toEqual([]);
    expect(schemas.validateObject({ ...indicator, id: 'indicator--not-a-uuid' })).not.toEqual([]);
    expect(schemas.validateObject({ ...ofType(bundle, 'report')[0]!, object_refs: [] })).not.toEqual([]);
  });
});

describe(exportStixBundle.name, () => {
  it('exports a bundle valid against the official STIX 2.1 schemas, object by object too', () => {
    const bundle = exportStixBundle(alert());
    expectValid(bundle);
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bundle.objects.map((o) => o.type)).toEqual([
      'identity',
      'extension-definition',
      'identity',
      'marking-definition',
      'indicator',
      'indicator',
      'vulnerability',
      'report',
    ]);
  });

  it('names the sending organisation in an identity that created every other object', () => {
    const bundle = exportStixBundle(alert());
    const identity = ofType(bundle, 'identity').find((o) => o.id !== TOCSIN_STIX_IDENTITY_ID)!;
    expect(identity).toMatchObject({ name: 'CERT-Example', identity_class: 'organization', spec_version: '2.1' });
    const sdos = bundle.objects.filter((x) => ['indicator', 'vulnerability', 'report'].includes(x.type));
    expect(sdos.length).toBeGreaterThan(2);
    for (const o of sdos) {
      expect(o.created_by_ref).toBe(identity.id);
    }
    // The Tocsin extension is defined by the Tocsin identity, never by a member.
    expect(only(bundle, 'extension-definition').created_by_ref).toBe(TOCSIN_STIX_IDENTITY_ID);
  });

  it.each<[IndicatorType, string, string]>([
    ['ipv4', '198.51.100.1', "[ipv4-addr:value = '198.51.100.1']"],
    ['ipv6', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['cidr', '198.51.100.0/24', "[ipv4-addr:value = '198.51.100.0/24']"],
    ['cidr', '2001:db8::/32', "[ipv6-addr:value = '2001:db8::/32']"],
    ['domain', 'c2.example.net', "[domain-name:value = 'c2.example.net']"],
    ['url', 'http://x4z9arb.cn/4712/', "[url:value = 'http://x4z9arb.cn/4712/']"],
    ['email', 'phish@example.org', "[email-addr:value = 'phish@example.org']"],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']"],
    [
      'sha1',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
    ],
    [
      'sha256',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    ],
    ['sha512', 'cf83'.padEnd(128, 'e'), `[file:hashes.'SHA-512' = '${'cf83'.padEnd(128, 'e')}']`],
    ['asn', 'AS13335', '[autonomous-system:number = 13335]'],
  ])('exports a %s indicator %s as the pattern %s', (type, value, pattern) => {
    expect(stixPattern(type, value)).toBe(pattern);
    const bundle = exportStixBundle(alert({ indicators: [ind(type, value)] }));
    expectValid(bundle);
    expect(only(bundle, 'indicator')).toMatchObject({
      pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      spec_version: '2.1',
      name: value,
      description: expect.stringContaining('Botnet C2 steering hosts'),
      indicator_types: ['malicious-activity'],
    });
  });

  it.each([
    ["http://evil.example/it's", "[url:value = 'http://evil.example/it\\'s']"],
    ['http://evil.example/a\\b', "[url:value = 'http://evil.example/a\\\\b']"],
    ["http://evil.example/\\'", "[url:value = 'http://evil.example/\\\\\\'']"],
    ["http://evil.example/']OR[url:value = '", "[url:value = 'http://evil.example/\\']OR[url:value = \\'']"],
  ])('escapes quotes and backslashes in the URL %s', (value, pattern) => {
    const bundle = exportStixBundle(alert({ indicators: [ind('url', value)] }));
    expectValid(bundle);
    expect(patterns(bundle)).toEqual([pattern]);
    expect(patternValue(pattern)).toBe(value);
  });

  it('escapes the backslash before the quote, so an escape is never undone', () => {
    expect(escapeStixString("\\'")).toBe("\\\\\\'");
    expect(escapeStixString('plain')).toBe('plain');
  });

  it('gives no pattern for a CVE or an AS number out of range', () => {
    expect(stixPattern('cve', 'CVE-2024-3400')).toBeNull();
    expect(stixPattern('asn', 'AS4294967296')).toBeNull();
    expect(stixPattern('asn', 'ASX')).toBeNull();
    const bundle = exportStixBundle(alert({ indicators: [ind('asn', 'AS4294967296')] }));
    expect(ofType(bundle, 'indicator')).toEqual([]);
    expectValid(bundle);
  });

  it.each<[TlpLabel, string, string, string]>([
    ['CLEAR', 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'TLP:CLEAR', 'clear'],
    ['GREEN', 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'TLP:GREEN', 'green'],
    ['AMBER', 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'TLP:AMBER', 'amber'],
    ['AMBER+STRICT', 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'TLP:AMBER+STRICT', 'amber+strict'],
    ['RED', 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', 'TLP:RED', 'red'],
  ])('marks a TLP:%s alert with the official TLP 2.0 marking-definition', (tlp, id, name, level) => {
    const bundle = exportStixBundle(alert({ tlp }));
    expectValid(bundle);
    expect(only(bundle, 'marking-definition')).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id,
      created: '2022-10-01T00:00:00.000Z',
      name,
      extensions: { [TLP2_EXTENSION_DEFINITION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
    });
    // Every object of the alert; the Tocsin identity and extension definition are public, unmarked.
    for (const o of bundle.objects.filter((x) => !['marking-definition', 'extension-definition'].includes(x.type))) {
      expect(o.object_marking_refs).toEqual(o.id === TOCSIN_STIX_IDENTITY_ID ? undefined : [id]);
    }
  });

  it.each<[TlpLabel, string]>([
    ['CLEAR', 'tlp-clear.json'],
    ['GREEN', 'tlp-green.json'],
    ['AMBER', 'tlp-amber.json'],
    ['AMBER+STRICT', 'tlp-amber+strict.json'],
    ['RED', 'tlp-red.json'],
  ])('carries the TLP:%s marking-definition exactly as published in %s', (tlp, file) => {
    const official = readJson(file).objects[0];
    const exported = only(exportStixBundle(alert({ tlp })), 'marking-definition');
    expect(exported).toEqual(official);
    expect(tlp2MarkingDefinition(tlp)).toEqual(official);
    const validateTlp2 = schemas.compile(readJson('tlp2-extension.schema.json'));
    expect(validateTlp2(exported)).toEqual([]);
    expect(validateTlp2({ ...exported, name: 'TLP:WHITE' })).not.toEqual([]);
  });

  it('writes every timestamp in UTC with millisecond precision', () => {
    const bundle = exportStixBundle(
      alert({
        submittedAt: new Date('2026-03-01T10:00:00Z'),
        publishedAt: new Date('2026-03-02T08:00:00.5Z'),
        firstSeen: new Date('2026-02-27T23:59:59Z'),
        validUntil: new Date('2026-06-01T00:00:00Z'),
      }),
    );
    expectValid(bundle);
    const stamps = bundle.objects.flatMap((o) =>
      ['created', 'modified', 'valid_from', 'valid_until', 'published'].flatMap((k) => (k in o ? [o[k]] : [])),
    );
    expect(stamps.length).toBeGreaterThan(10);
    for (const s of stamps) {
      expect(s).toMatch(MILLIS);
    }
    expect(only(bundle, 'report')).toMatchObject({
      created: '2026-03-01T10:00:00.000Z',
      modified: '2026-03-01T10:00:00.000Z',
      published: '2026-03-02T08:00:00.500Z',
    });
    expect(ofType(bundle, 'indicator')[0]).toMatchObject({
      valid_from: '2026-02-27T23:59:59.000Z',
      valid_until: '2026-06-01T00:00:00.000Z',
    });
  });

  it('publishes at submittedAt until published, and validates from submittedAt without firstSeen', () => {
    const bundle = exportStixBundle(alert({ publishedAt: null, firstSeen: null }));
    expect(only(bundle, 'report').published).toBe('2026-03-01T10:00:00.000Z');
    expect(ofType(bundle, 'indicator')[0]!.valid_from).toBe('2026-03-01T10:00:00.000Z');
  });

  it('leaves out a validUntil that is not after valid_from (STIX requires valid_until > valid_from)', () => {
    const bundle = exportStixBundle(alert({ validUntil: new Date('2026-03-01T10:00:00Z') }));
    expectValid(bundle);
    expect(ofType(bundle, 'indicator').every((o) => !('valid_until' in o))).toBe(true);
  });

  it('is deterministic: the same alert exports to the same bytes', () => {
    const a = alert();
    const first = exportStixBundle(a);
    const again = exportStixBundle(structuredClone(a));
    expect(again).toEqual(first);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(JSON.stringify(exportStixBundle({ ...a, id: a.id.toUpperCase() }))).toBe(JSON.stringify(first));
  });

  it('derives different ids for a different alert (the TLP marking aside)', () => {
    const ids = (b: StixBundle): string[] => [b.id, ...b.objects.map((o) => o.id)];
    const one = ids(exportStixBundle(alert()));
    const other = ids(exportStixBundle(alert({ id: '9f9d8c7b-6a5b-4c3d-8e2f-1a0b9c8d7e6f' })));
    const shared = one.filter((id) => other.includes(id));
    expect(shared.sort()).toEqual(
      [
        TOCSIN_STIX_IDENTITY_ID,
        TOCSIN_STIX_EXTENSION_ID,
        'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
      ].sort(),
    );
    expect(new Set(one).size).toBe(one.length);
  });

  it.each<[string, Partial<CanonicalIndicator>]>([
    ['warning-listed (warning set)', { warning: { list: 'rfc1918', reason: 'private address space' } }],
    ['warning-listed (flag only)', { flags: ['warning-listed'] }],
    ['not actionable', { flags: ['not-actionable'] }],
    ['false-positive', { flags: ['false-positive'] }],
  ])('exports a %s indicator as an observation (an SCO), not an indicator', (_label, extra) => {
    const bundle = exportStixBundle(
      alert({ indicators: [ind('ipv4', '10.0.0.1', extra), ind('ipv4', '198.51.100.7')] }),
    );
    expectValid(bundle);
    expect(patterns(bundle)).toEqual(["[ipv4-addr:value = '198.51.100.7']"]);
    const sco = only(bundle, 'ipv4-addr');
    expect(sco).toEqual({
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: stixScoId('ipv4-addr', { value: '10.0.0.1' }),
      value: '10.0.0.1',
      object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
    });
    const indicatorIds = ofType(bundle, 'indicator').map((o) => o.id);
    expect(only(bundle, 'report').object_refs).toEqual([orgIdentity(bundle).id, ...indicatorIds, sco.id]);
  });

  it('leaves a rejected indicator out of every object', () => {
    const bundle = exportStixBundle(
      alert({
        indicators: [ind('ipv4', '10.0.0.1', { canonicalValue: null, rejection: 'bad' }), ind('ipv4', '198.51.100.7')],
      }),
    );
    expectValid(bundle);
    expect(JSON.stringify(bundle)).not.toContain('10.0.0.1');
  });

  it.each<[IndicatorType, string, string, Record<string, unknown>]>([
    ['ipv6', '2001:db8::1', 'ipv6-addr', { value: '2001:db8::1' }],
    ['cidr', '198.51.100.0/24', 'ipv4-addr', { value: '198.51.100.0/24' }],
    ['domain', 'c2.example.net', 'domain-name', { value: 'c2.example.net' }],
    ['url', 'http://x4z9arb.cn/4712/', 'url', { value: 'http://x4z9arb.cn/4712/' }],
    ['email', 'phish@example.org', 'email-addr', { value: 'phish@example.org' }],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', 'file', { hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' } }],
    ['asn', 'AS13335', 'autonomous-system', { number: 13335 }],
  ])('keeps a not-actionable %s %s as a %s SCO with its STIX §2.9 id', (type, value, scoType, props) => {
    const bundle = exportStixBundle(alert({ indicators: [ind(type, value, { flags: ['not-actionable'] })] }));
    expectValid(bundle);
    expect(ofType(bundle, 'indicator')).toEqual([]);
    expect(only(bundle, scoType)).toMatchObject({ id: stixScoId(scoType, props), ...props });
  });

  it('exports a CVE as a vulnerability with its cve external reference, its actionability in the extension', () => {
    const bundle = exportStixBundle(
      alert({
        indicators: [ind('cve', 'CVE-2024-3400'), ind('cve', 'CVE-2021-44228', { flags: ['not-actionable'] })],
      }),
    );
    expectValid(bundle);
    expect(ofType(bundle, 'indicator')).toEqual([]);
    expect(ofType(bundle, 'vulnerability').map((v) => [v.name, v.external_references, v.extensions])).toEqual([
      [
        'CVE-2024-3400',
        [{ source_name: 'cve', external_id: 'CVE-2024-3400' }],
        { [TOCSIN_STIX_EXTENSION_ID]: { extension_type: 'property-extension', actionable: true } },
      ],
      [
        'CVE-2021-44228',
        [{ source_name: 'cve', external_id: 'CVE-2021-44228' }],
        { [TOCSIN_STIX_EXTENSION_ID]: { extension_type: 'property-extension', actionable: false } },
      ],
    ]);
    expect(only(bundle, 'report').object_refs).toEqual([
      orgIdentity(bundle).id,
      ...ofType(bundle, 'vulnerability').map((v) => v.id),
    ]);
  });

  it('leaves out a CVE id the cve reference does not accept (a 5-digit sequence with a leading zero)', () => {
    const bundle = exportStixBundle(alert({ indicators: [ind('cve', 'CVE-2024-01234')] }));
    expectValid(bundle);
    expect(ofType(bundle, 'vulnerability')).toEqual([]);
  });

  it('exports one object per indicator type and value, the first one winning', () => {
    const bundle = exportStixBundle(
      alert({ indicators: [ind('ipv4', '198.51.100.1'), ind('ipv4', '198.51.100.1'), ind('cidr', '198.51.100.1')] }),
    );
    expectValid(bundle);
    expect(patterns(bundle)).toEqual(["[ipv4-addr:value = '198.51.100.1']", "[ipv4-addr:value = '198.51.100.1']"]);
    expect(new Set(bundle.objects.map((o) => o.id)).size).toBe(bundle.objects.length);
  });

  it('describes the alert in a report that ties every object', () => {
    const bundle = exportStixBundle(alert());
    const report = only(bundle, 'report');
    expect(report).toMatchObject({
      name: 'Botnet C2 steering hosts',
      description: 'Controllers seen in several constituencies',
      report_types: ['threat-report'],
      labels: ['tocsin:severity="high"', 'rsit:malicious-code="c2-server"'],
      confidence: 80,
      external_references: [
        { source_name: 'tocsin', external_id: ALERT_ID },
        { source_name: 'reference', description: 'https://cert.example/advisories/2026-001' },
      ],
      extensions: {
        [TOCSIN_STIX_EXTENSION_ID]: {
          extension_type: 'property-extension',
          alert_id: ALERT_ID,
          severity: 'high',
          classification: { taxonomy: 'malicious-code', type: 'c2-server' },
        },
      },
    });
    const others = bundle.objects.filter(
      (o) =>
        !['report', 'marking-definition', 'extension-definition'].includes(o.type) && o.id !== TOCSIN_STIX_IDENTITY_ID,
    );
    expect(report.object_refs).toEqual(others.map((o) => o.id));
  });

  it('omits a null description, classification and confidence', () => {
    const bundle = exportStixBundle(alert({ description: null, classification: null, confidence: null }));
    expectValid(bundle);
    const report = only(bundle, 'report');
    expect('description' in report).toBe(false);
    expect('confidence' in report).toBe(false);
    expect(report.labels).toEqual(['tocsin:severity="high"']);
    expect(ofType(bundle, 'indicator').some((o) => 'confidence' in o)).toBe(false);
  });

  it.each([
    [42.4, 42],
    [-5, 0],
    [250, 100],
    [Number.NaN, undefined],
  ])('turns confidence %s into the STIX integer %s', (confidence, expected) => {
    const bundle = exportStixBundle(alert({ confidence }));
    expectValid(bundle);
    expect(only(bundle, 'report').confidence).toBe(expected);
  });

  it('keeps every reference as a description (a url without hashes fails strict validation)', () => {
    const bundle = exportStixBundle(
      alert({ references: ['see the advisory', 'https://a.example/x y', 'CVE-2024-3400'] }),
    );
    expectValid(bundle);
    expect(only(bundle, 'report').external_references).toEqual([
      { source_name: 'tocsin', external_id: ALERT_ID },
      { source_name: 'reference', description: 'see the advisory' },
      { source_name: 'reference', description: 'https://a.example/x y' },
      { source_name: 'reference', description: 'CVE-2024-3400' },
    ]);
  });

  it('exports an alert without indicators as identity, marking and report', () => {
    const bundle = exportStixBundle(alert({ indicators: [], references: [] }));
    expectValid(bundle);
    expect(bundle.objects.map((o) => o.type)).toEqual([
      'identity',
      'extension-definition',
      'identity',
      'marking-definition',
      'report',
    ]);
  });
});

// --- properties -------------------------------------------------------------------------------------------

const hex = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

const VALUES: Readonly<Record<IndicatorType, fc.Arbitrary<string>>> = {
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
  cidr: fc.oneof(
    fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
    fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
  ),
  domain: fc.domain(),
  url: fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.string({ unit: 'binary' }).map((s) => `http://evil.example/${s}`),
    fc.string({ unit: fc.constantFrom("'", '\\', 'a', ']', ' ') }).map((s) => `http://evil.example/${s}`),
  ),
  email: fc.emailAddress(),
  md5: hex(32),
  sha1: hex(40),
  sha256: hex(64),
  sha512: hex(128),
  cve: fc
    .tuple(fc.integer({ min: 1999, max: 2099 }), fc.integer({ min: 0, max: 9_999_999 }))
    .map(([y, n]) => `CVE-${y}-${String(n).padStart(4, '0')}`),
  asn: fc.integer({ min: 0, max: 4_294_967_295 }).map((n) => `AS${n}`),
};

const indicatorArb: fc.Arbitrary<CanonicalIndicator> = fc
  .constantFrom(...INDICATOR_TYPES)
  .chain((type) =>
    fc.record({
      type: fc.constant(type),
      // mostly well-formed values of the type; sometimes anything at all (exports must not throw on it)
      value: fc.oneof({ weight: 4, arbitrary: VALUES[type] }, { weight: 1, arbitrary: fc.string({ unit: 'binary' }) }),
      flags: fc.subarray<IndicatorFlag>([...INDICATOR_FLAGS]),
      warning: fc.option(fc.record({ list: fc.string(), reason: fc.string() })),
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

/** Almost-URIs: whatever the exporter calls a URI must pass the schema's `format: uri` (ajv-formats). */
const uriLike = fc
  .string({ unit: fc.constantFrom(...'a1/%2f[]#?@: "|.-\'{~') })
  .map((s) => `http${s.length % 2 === 0 ? 's' : ''}://${s}`);

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
  confidence: fc.option(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double())),
  tlp: fc.constantFrom(...TLP_LABELS),
  classification: fc.option(fc.record({ taxonomy: fc.string(), type: fc.string() })),
  sourceOrg: fc.record({ id: fc.uuid(), name: fc.string({ unit: 'binary' }), country: fc.option(fc.string()) }),
  submittedAt: dateArb,
  publishedAt: fc.option(dateArb),
  validUntil: fc.option(dateArb),
  firstSeen: fc.option(dateArb),
  lastSeen: fc.option(dateArb),
  references: fc.array(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string(), uriLike), {
    maxLength: 3,
  }),
  indicators: fc.array(indicatorArb, { maxLength: 12 }),
});

describe(`${exportStixBundle.name} (properties)`, () => {
  it('never throws and always validates against the official schemas', () => {
    fc.assert(
      fc.property(alertArb, (a) => {
        expectValid(exportStixBundle(a));
      }),
      { numRuns: 300 },
    );
    // 300 bundles through every official schema: seconds on a loaded machine, not a timing assertion.
  }, 60_000);

  it('makes one pattern per actionable indicator that reads back as its canonical value', () => {
    fc.assert(
      fc.property(alertArb, (a) => {
        const bundle = exportStixBundle(a);
        const exported = patterns(bundle).map((p) => patternValue(p as string));
        expect(exported).not.toContain(null);
        const expected = new Set(
          a.indicators
            .filter((i) => isActionable(i) && i.type !== 'cve' && stixPattern(i.type, i.canonicalValue!) !== null)
            .map((i) => (i.type === 'asn' ? `AS${Number(/\d+/.exec(i.canonicalValue!)![0])}` : i.canonicalValue)),
        );
        expect(new Set(exported)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('passes the strict validator rules for any alert (UUIDv4 SDOs, §2.9 SCO ids, vocabularies, refs…)', () => {
    fc.assert(
      fc.property(alertArb, (a) => {
        expect(strictStixProblems(exportStixBundle(a))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('exports any canonical URL, awkward characters included, as a valid pattern and a valid url SCO', () => {
    const awkward = fc.string({ unit: fc.constantFrom(...'a/?#%[]\\^|`{}<>"\' @:;=&+.~-ä'), maxLength: 30 });
    fc.assert(
      fc.property(awkward, awkward, (userAndPath, query) => {
        for (const raw of [`http://evil.example/${userAndPath}?${query}`, `https://${userAndPath}@evil.example/`]) {
          const value = normalizeIndicator({ type: 'url', value: raw }).canonicalValue;
          if (value === null) {
            continue;
          }
          const bundle = exportStixBundle(
            alert({ indicators: [ind('url', value), ind('url', value, { flags: ['not-actionable'] })] }),
          );
          expectValid(bundle);
          expect(strictStixProblems(bundle)).toEqual([]);
          expect(patterns(bundle).map((p) => patternValue(p as string))).toEqual([value]);
          const sco = exportStixBundle(alert({ indicators: [ind('url', value, { flags: ['not-actionable'] })] }));
          expectValid(sco);
          expect(only(sco, 'url')).toMatchObject({ id: stixScoId('url', { value }), value });
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('is deterministic for any alert', () => {
    fc.assert(
      fc.property(alertArb, (a) => {
        expect(JSON.stringify(exportStixBundle(structuredClone(a)))).toBe(JSON.stringify(exportStixBundle(a)));
      }),
    );
  });
});
