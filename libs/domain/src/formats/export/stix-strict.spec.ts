import { describe, expect, it } from 'vitest';
import {
  exportableSample,
  fixtureSamples,
  importSample,
  normalizeSample,
} from '../../../../../test/harness/fixture-alerts';
import { loadStixSchemas } from '../../../../../test/harness/stix-schemas';
import { expectedScoId, strictStixProblems } from '../../../../../test/harness/stix-strict';
import type { CanonicalIndicator } from '../../model/canonical';
import { exportStixBundle, type StixObject } from './export-stix';
import type { ExportableAlert } from './export-types';
import { stixScoId } from './uuid-v5';

const schemas = loadStixSchemas();

const ind = (type: CanonicalIndicator['type'], value: string, flags: CanonicalIndicator['flags'] = []) =>
  ({ type, rawValue: value, canonicalValue: value, flags, rejection: null, warning: null }) as CanonicalIndicator;

const ALERT: ExportableAlert = {
  id: '0b4f3a52-9a2e-4c4e-8d7a-1f2b3c4d5e6f',
  title: 'Botnet C2 steering hosts',
  description: 'Controllers seen in several constituencies',
  severity: 'critical',
  confidence: 80,
  tlp: 'AMBER+STRICT',
  classification: { taxonomy: 'malicious-code', type: 'c2-server' },
  sourceOrg: { id: '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d', name: 'CERT-Example', country: 'FR' },
  submittedAt: new Date('2026-03-01T10:00:00Z'),
  publishedAt: new Date('2026-03-01T10:05:30.250Z'),
  validUntil: new Date('2026-06-01T00:00:00Z'),
  firstSeen: new Date('2026-02-27T23:59:59Z'),
  lastSeen: null,
  references: ['https://cert.example/advisories/2026-001', 'see the advisory'],
  indicators: [
    ind('ipv4', '198.51.100.1'),
    ind('ipv4', '10.0.0.1', ['warning-listed']),
    ind('domain', 'c2.example.net'),
    ind('url', 'http://x4z9arb.cn/4712/', ['not-actionable']),
    ind('sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', ['false-positive']),
    ind('asn', 'AS13335', ['not-actionable']),
    ind('email', 'phish@example.org', ['not-actionable']),
    ind('cve', 'CVE-2024-3400'),
    ind('cve', 'CVE-2021-44228', ['not-actionable']),
  ],
};

const withObject = (bundle: ReturnType<typeof exportStixBundle>, type: string, change: Partial<StixObject>) => ({
  ...bundle,
  objects: bundle.objects.map((o) => (o.type === type ? { ...o, ...change } : o)),
});

describe('strict STIX checks (the stix2-validator --strict rules)', () => {
  const good = exportStixBundle(ALERT);

  it('passes a full export: every kind of object Tocsin writes', () => {
    expect(new Set(good.objects.map((o) => o.type))).toEqual(
      new Set([
        'identity',
        'extension-definition',
        'marking-definition',
        'indicator',
        'ipv4-addr',
        'url',
        'file',
        'autonomous-system',
        'email-addr',
        'vulnerability',
        'report',
      ]),
    );
    expect(strictStixProblems(good)).toEqual([]);
    expect(schemas.validateBundleAndObjects(good)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    [
      'a UUIDv5 indicator id',
      withObject(good, 'indicator', { id: `indicator--${stixScoId('x', {}).split('--')[1]}` }),
      'uuid-check',
    ],
    ['a UUIDv4 SCO id', withObject(good, 'url', { id: 'url--6a3f3ff0-9c52-4d39-9c1c-7f6c0d3c9d8e' }), 'uuid-check'],
    [
      'an indicator without description',
      withObject(good, 'indicator', { description: undefined }),
      'indicator-properties',
    ],
    [
      'a reference url without hashes',
      withObject(good, 'report', { external_references: [{ source_name: 'r', url: 'https://a.example/' }] }),
      'extref-hashes',
    ],
    ['a custom x_ property', withObject(good, 'report', { x_tocsin_severity: 'high' }), 'custom-prefix'],
    [
      'an indicator type outside the vocabulary',
      withObject(good, 'indicator', { indicator_types: ['bad'] }),
      'indicator-type-ov',
    ],
    ['a report type outside the vocabulary', withObject(good, 'report', { report_types: ['alert'] }), 'report-type-ov'],
    [
      'a timestamp without milliseconds',
      withObject(good, 'report', { published: '2026-03-01T10:05:30Z' }),
      'timestamp',
    ],
    [
      'a dangling object ref',
      withObject(good, 'report', { object_refs: ['indicator--6a3f3ff0-9c52-4d39-9c1c-7f6c0d3c9d8e'] }),
      'refs',
    ],
    [
      'an extension without its definition',
      { ...good, objects: good.objects.filter((o) => o.type !== 'extension-definition') },
      'extension-definition',
    ],
  ])('catches %s', (_label, bundle, rule) => {
    expect(strictStixProblems(bundle).some((p) => p.includes(`[${rule}]`))).toBe(true);
  });

  it('derives SCO ids as STIX 2.1 §2.9 does (the harness recomputes them independently)', () => {
    for (const o of good.objects.filter((x) => ['ipv4-addr', 'url', 'file', 'autonomous-system'].includes(x.type))) {
      expect(o.id).toBe(expectedScoId(o));
    }
  });

  it.each(fixtureSamples().map((s) => [s.name, s] as const))(
    'passes strict mode for the export of %s',
    (_n, sample) => {
      const imported = importSample(sample);
      if (!imported.ok) {
        throw new Error(`${sample.name} is refused: ${JSON.stringify(imported.error)}`);
      }
      const bundle = exportStixBundle(exportableSample(sample.name, imported.value, normalizeSample(imported.value)));
      expect(strictStixProblems(bundle)).toEqual([]);
      expect(schemas.validateBundleAndObjects(bundle)).toEqual([]);
    },
  );
});
