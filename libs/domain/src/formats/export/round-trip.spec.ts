import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportableSample,
  fixtureSamples,
  importSample,
  normalizeSample,
} from '../../../../../test/harness/fixture-alerts';
import { SEVERITIES, TLP_LABELS } from '../../alerts/tlp';
import { isActionable } from '../../indicators/actionable';
import { normalizeIndicator } from '../../indicators/normalize-indicator';
import { normalizeIndicators } from '../../indicators/normalize-indicators';
import type { CanonicalIndicator, ImportedAlert, IndicatorFlag } from '../../model/canonical';
import type { MachineTagTaxonomy } from '../../model/taxonomies';
import { importMispEvent } from '../misp/import-misp';
import { importStixBundle } from '../stix/import-stix';
import { exportMispEvent } from './export-misp';
import { exportStixBundle } from './export-stix';
import type { ExportableAlert } from './export-types';

/** What a round trip must keep (issue 10 point 5): alert fields and each accepted value with its actionability. */
function essentials(a: {
  title: string;
  description: string | null;
  severity: string;
  tlp: string;
  classification: { taxonomy: string; type: string } | null;
  indicators: readonly CanonicalIndicator[];
}) {
  const indicators = new Map<string, boolean>();
  for (const i of a.indicators) {
    if (i.canonicalValue !== null && !indicators.has(`${i.type} ${i.canonicalValue}`)) {
      indicators.set(`${i.type} ${i.canonicalValue}`, isActionable(i));
    }
  }
  return {
    title: a.title,
    description: a.description,
    severity: a.severity,
    tlp: a.tlp,
    classification: a.classification,
    indicators: [...indicators].sort(([x], [y]) => (x < y ? -1 : 1)),
  };
}

/** An imported document as the hub reads it (title, severity and TLP defaults aside, which a round trip must not need). */
function reimported(imported: ImportedAlert) {
  const f = imported.fields;
  return essentials({
    title: f.title ?? '(none)',
    description: f.description ?? null,
    severity: f.severity ?? '(none)',
    tlp: f.tlp ?? '(none)',
    classification: f.classification ?? null,
    indicators: normalizeIndicators(imported.indicators),
  });
}

function viaStix(a: ExportableAlert) {
  const r = importStixBundle(JSON.parse(JSON.stringify(exportStixBundle(a))));
  if (!r.ok) {
    throw new Error(JSON.stringify(r.error));
  }
  return reimported(r.value);
}

function viaMisp(a: ExportableAlert) {
  const r = importMispEvent(JSON.parse(JSON.stringify(exportMispEvent(a))));
  if (!r.ok) {
    throw new Error(JSON.stringify(r.error));
  }
  return reimported(r.value);
}

// --- generated alerts ----------------------------------------------------------------------------------------

const RSIT = JSON.parse(
  readFileSync(resolve(__dirname, '../../../../alerts/data/taxonomies/rsit/machinetag.json'), 'utf8'),
) as MachineTagTaxonomy;
const RSIT_PAIRS = (RSIT.values ?? []).flatMap((v) => v.entry.map((e) => ({ taxonomy: v.predicate, type: e.value })));

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const awkward = fc.string({ unit: fc.constantFrom(...'a/%[]\\^|`{}"\' :;=&+.~-ä'), maxLength: 20 });
const rawValue = fc.oneof(
  fc.ipV4().map((value) => ({ type: 'ipv4' as const, value })),
  fc.ipV6().map((value) => ({ type: 'ipv6' as const, value })),
  fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 32 })).map(([a, p]) => ({ type: 'cidr' as const, value: `${a}/${p}` })),
  fc.domain().map((value) => ({ type: 'domain' as const, value })),
  fc.webUrl({ withQueryParameters: true }).map((value) => ({ type: 'url' as const, value })),
  // characters WHATWG parsing leaves in a path or query but RFC 3986 does not allow, quotes and backslashes
  fc
    .tuple(awkward, awkward)
    .map(([path, query]) => ({ type: 'url' as const, value: `http://evil.example/${path}?${query}` })),
  fc.emailAddress().map((value) => ({ type: 'email' as const, value })),
  hex(32).map((value) => ({ type: 'md5' as const, value })),
  hex(40).map((value) => ({ type: 'sha1' as const, value })),
  hex(64).map((value) => ({ type: 'sha256' as const, value })),
  hex(128).map((value) => ({ type: 'sha512' as const, value })),
  fc
    .tuple(fc.integer({ min: 1999, max: 2099 }), fc.integer({ min: 1000, max: 99_999 }))
    .map(([y, n]) => ({ type: 'cve' as const, value: `CVE-${y}-${n}` })),
  fc.integer({ min: 1, max: 4_199_999_999 }).map((n) => ({ type: 'asn' as const, value: `AS${n}` })),
);
const FLAG_CHOICES: readonly (readonly IndicatorFlag[])[] = [
  [],
  [],
  ['not-actionable'],
  ['warning-listed'],
  ['false-positive'],
];

/** Accepted canonical indicators, as normalization leaves them, with the flags that take actionability away. */
const indicatorArb = fc.tuple(rawValue, fc.constantFrom(...FLAG_CHOICES)).chain(([raw, flags]) => {
  const n = normalizeIndicator(raw);
  return n.canonicalValue === null
    ? fc.constant(null)
    : fc.constant<CanonicalIndicator>({
        type: n.type,
        rawValue: raw.value,
        canonicalValue: n.canonicalValue,
        flags,
        rejection: null,
        warning: flags.includes('warning-listed') ? { list: 'test-list', reason: 'listed' } : null,
      });
});

const text = (max: number) =>
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }).filter((s) => s.trim() === s && s !== '');

const alertArb: fc.Arbitrary<ExportableAlert> = fc.record({
  id: fc.uuid({ version: 4 }),
  title: text(120),
  description: fc.option(text(400)),
  severity: fc.constantFrom(...SEVERITIES),
  confidence: fc.option(fc.integer({ min: 0, max: 100 })),
  tlp: fc.constantFrom(...TLP_LABELS),
  classification: fc.option(fc.constantFrom(...RSIT_PAIRS)),
  sourceOrg: fc.record({ id: fc.uuid({ version: 4 }), name: text(40), country: fc.constant(null) }),
  submittedAt: fc.date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2030-01-01T00:00:00Z'),
    noInvalidDate: true,
  }),
  publishedAt: fc.constant(null),
  validUntil: fc.constant(null),
  firstSeen: fc.constant(null),
  lastSeen: fc.constant(null),
  references: fc.constant([]),
  indicators: fc
    .array(indicatorArb, { maxLength: 15 })
    .map((xs) => xs.filter((x): x is CanonicalIndicator => x !== null)),
});

describe('lossless round trips: export, then import with Tocsin’s own importer', () => {
  it('STIX keeps title, description, severity, TLP, classification, values and actionability of any alert', () => {
    fc.assert(
      fc.property(alertArb, (a) => {
        expect(viaStix(a)).toEqual(essentials(a));
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('MISP keeps title, description, severity, TLP, classification, values and actionability of any alert', () => {
    fc.assert(
      fc.property(alertArb, (a) => {
        expect(viaMisp(a)).toEqual(essentials(a));
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it.each(['low', 'medium', 'high', 'critical'] as const)('gives back severity %s through both formats', (severity) => {
    const a = fc.sample(alertArb, { numRuns: 1, seed: 7 })[0]!;
    expect(viaStix({ ...a, severity }).severity).toBe(severity);
    expect(viaMisp({ ...a, severity }).severity).toBe(severity);
  });

  it.each(fixtureSamples().map((s) => [s.name, s] as const))(
    'keeps what the sample %s says, both ways',
    (_n, sample) => {
      const imported = importSample(sample);
      if (!imported.ok) {
        throw new Error(`${sample.name} is refused: ${JSON.stringify(imported.error)}`);
      }
      const a = exportableSample(sample.name, imported.value, normalizeSample(imported.value));
      expect(viaStix(a)).toEqual(essentials(a));
      expect(viaMisp(a)).toEqual(essentials(a));
    },
  );
});
