import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  compileRsit,
  importDocument,
  normalizeIndicators,
  splitMispEvents,
  type CanonicalIndicator,
  type ExportableAlert,
  type ImportedAlert,
  type MachineTagTaxonomy,
  type SourceFormat,
} from '@tocsin/domain';
import { loadWarningLists } from '@tocsin/normalization';

export const FIXTURE_DIR = resolve(__dirname, '../fixtures');
const FORMATS = ['stix', 'misp', 'csv', 'intelmq'] as const;
/** Folders beside the samples that hold schemas and the official TLP objects, not samples. */
const NOT_SAMPLES = new Set(['schema', 'tlp2', 'SOURCE.md']);

export interface FixtureSample {
  /** `<format>/<file>` under test/fixtures. */
  readonly name: string;
  readonly format: Exclude<SourceFormat, 'native'>;
  readonly text: string;
  readonly contentType: string;
}

/**
 * Every real sample under test/fixtures/{stix,misp,csv,intelmq}, in name order. A MISP file holding several events
 * (a restSearch answer, an events collection) is one sample per event, `<file>#/response/0`, as the hub makes one
 * alert per event.
 */
export function fixtureSamples(): FixtureSample[] {
  return FORMATS.flatMap((format) =>
    readdirSync(join(FIXTURE_DIR, format))
      .filter((f) => !NOT_SAMPLES.has(f) && statSync(join(FIXTURE_DIR, format, f)).isFile())
      .sort()
      .flatMap((f): FixtureSample[] => {
        const sample: FixtureSample = {
          name: `${format}/${f}`,
          format,
          text: readFileSync(join(FIXTURE_DIR, format, f), 'utf8'),
          contentType: {
            stix: 'application/stix+json',
            misp: 'application/misp+json',
            csv: f.endsWith('.csv') ? 'text/csv' : 'text/plain',
            intelmq: 'application/x-ndjson',
          }[format],
        };
        const events = format === 'misp' ? splitMispEvents(JSON.parse(sample.text)) : undefined;
        return events
          ? events.map((e) => ({ ...sample, name: `${sample.name}#${e.pointer}`, text: JSON.stringify(e.document) }))
          : [sample];
      }),
  );
}

let rsit: ReturnType<typeof compileRsit> | undefined;
let warnings: ReturnType<typeof loadWarningLists> | undefined;

/** Runs one sample through its importer; the issues when it is refused. */
export function importSample(s: FixtureSample): { ok: true; value: ImportedAlert } | { ok: false; error: unknown } {
  rsit ??= compileRsit(
    JSON.parse(
      readFileSync(resolve(__dirname, '../../libs/alerts/data/taxonomies/rsit/machinetag.json'), 'utf8'),
    ) as MachineTagTaxonomy,
  );
  const body = { kind: 'text' as const, value: s.text };
  const r = importDocument(s.format, body, { maxIndicators: 100_000, maxRecipients: 100 }, rsit);
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
}

/** Normalizes imported indicators as the hub does: the real warning lists shipped with normalization. */
export function normalizeSample(imported: ImportedAlert): CanonicalIndicator[] {
  warnings ??= loadWarningLists();
  const w = warnings;
  return normalizeIndicators(imported.indicators, (type, canonical) => w.match(type, canonical));
}

const SUBMITTED = new Date('2026-03-01T10:00:00.000Z');

/** An imported, normalized sample as the exporters take it (the hub's defaults where the document says nothing). */
export function exportableSample(
  name: string,
  imported: ImportedAlert,
  indicators: readonly CanonicalIndicator[],
): ExportableAlert {
  const f = imported.fields;
  const date = (v: string | null | undefined): Date | null => (v ? new Date(v) : null);
  return {
    id: '3f0c8a52-9a2e-4c4e-8d7a-1f2b3c4d5e6f',
    title: f.title ?? name,
    description: f.description ?? null,
    severity: f.severity ?? 'medium',
    confidence: f.confidence ?? null,
    tlp: f.tlp ?? 'AMBER',
    classification: f.classification ?? null,
    sourceOrg: { id: '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d', name: 'CERT-Example', country: 'FR' },
    submittedAt: SUBMITTED,
    publishedAt: new Date(SUBMITTED.getTime() + 60_000),
    validUntil: date(f.validUntil),
    firstSeen: date(f.firstSeen),
    lastSeen: date(f.lastSeen),
    references: f.references ?? [],
    indicators,
  };
}
