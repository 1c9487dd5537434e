import { describe, expect, it } from 'vitest';
import type { ExportableAlert } from '../formats/export/export-types';
import { parseTaxiiQuery } from './taxii-query';
import { taxiiRowMatches, taxiiRowsOfAlert, type AlertLogVersion } from './taxii-rows';

const alert: ExportableAlert = {
  id: '0a6c4c1e-2b8e-4c53-9a1f-5d3e2c1b0a99',
  title: 'C2 servers',
  description: 'seen in two constituencies',
  severity: 'high',
  confidence: 80,
  tlp: 'AMBER',
  classification: null,
  sourceOrg: { id: '1b6c4c1e-2b8e-4c53-9a1f-5d3e2c1b0a98', name: 'CERT-X', country: 'FR' },
  submittedAt: new Date('2026-01-02T03:04:00.000Z'),
  publishedAt: new Date('2026-01-02T03:04:05.000Z'),
  validUntil: null,
  firstSeen: null,
  lastSeen: null,
  references: [],
  indicators: [
    {
      type: 'ipv4',
      rawValue: '198.51.100.1',
      canonicalValue: '198.51.100.1',
      flags: [],
      rejection: null,
      warning: null,
    },
  ],
};
const at = 1767323045000000n; // 2026-01-02T03:04:05Z
const entries: AlertLogVersion[] = [
  { seq: 10, event: 'alert', at, payload: { title: 'C2 servers', description: 'seen', severity: 'high' } },
  { seq: 11, event: 'alert-updated', at: at + 100n, payload: { title: 'C2 servers (revised)', severity: 'critical' } },
  { seq: 30, event: 'alert-revoked', at: at + 5_000n, payload: {} },
];

describe(taxiiRowsOfAlert.name, () => {
  const rows = taxiiRowsOfAlert(alert, entries);
  const reports = rows.filter((r) => r.type === 'report');

  it('makes each entry a version of the same objects, with the shared meta objects left out', () => {
    const perEntry = [10, 11, 30].map((seq) => rows.filter((r) => r.position.seq === seq).map((r) => r.id));
    expect(perEntry[0]).toEqual(perEntry[1]);
    expect(perEntry[0]).toEqual(perEntry[2]);
    expect(rows.some((r) => r.type === 'marking-definition' || r.type === 'extension-definition')).toBe(false);
    expect(new Set(perEntry[0]).size).toBe(perEntry[0]!.length);
  });

  it('gives every version a strictly later modified, even two entries in one millisecond', () => {
    expect(reports.map((r) => r.object.modified)).toEqual([
      '2026-01-02T03:04:05.000Z',
      '2026-01-02T03:04:05.001Z',
      '2026-01-02T03:04:05.005Z',
    ]);
    expect(reports.map((r) => r.object.created)).toEqual(Array(3).fill('2026-01-02T03:04:00.000Z'));
  });

  it('applies each revision and marks every SDO of a revocation revoked, never an SCO', () => {
    expect(reports.map((r) => r.object.name)).toEqual(['C2 servers', 'C2 servers (revised)', 'C2 servers (revised)']);
    expect(reports.map((r) => r.object.revoked)).toEqual([undefined, undefined, true]);
    const sdos = rows.filter((r) => r.position.seq === 30 && typeof r.object.modified === 'string');
    expect(sdos.every((r) => r.object.revoked === true)).toBe(true);
  });

  it('carries the confidence of each version: as published, then as a revision moved it', () => {
    const moved = taxiiRowsOfAlert(alert, [
      { seq: 10, event: 'alert', at, payload: { title: 'C2 servers', confidence: 50 } },
      { seq: 12, event: 'alert-updated', at: at + 2_000n, payload: { revision: 2, confidence: 65 } },
      { seq: 13, event: 'alert-updated', at: at + 3_000n, payload: { revision: 3, title: 'C2 servers (revised)' } },
      { seq: 14, event: 'alert-updated', at: at + 4_000n, payload: { revision: 4, confidence: null } },
    ]).filter((r) => r.type === 'report');
    expect(moved.map((r) => r.object.confidence)).toEqual([50, 65, 65, undefined]);
    // An entry that says nothing of it keeps the alert's (the export's) confidence.
    expect(reports.map((r) => r.object.confidence)).toEqual([80, 80, 80]);
  });

  it('gives each object its own date_added, in log order', () => {
    const added = rows.map((r) => r.dateAdded);
    expect([...added].sort((x, y) => (x < y ? -1 : 1))).toEqual(added);
    expect(new Set(added).size).toBe(added.length);
  });

  it.each<[string, number[]]>([
    ['', [30]],
    ['last', [30]],
    ['first', [10]],
    ['all', [10, 11, 30]],
    ['first,last', [10, 30]],
    ['2026-01-02T03:04:05.001Z', [11]],
  ])('keeps match[version]=%j of the report: entries %j', (version, seqs) => {
    const q = parseTaxiiQuery(version ? [['match[version]', version]] : [], 'objects');
    if (!q.ok) {
      throw new Error('query');
    }
    expect(reports.filter((r) => taxiiRowMatches(r, q.value)).map((r) => r.position.seq)).toEqual(seqs);
  });

  it('keeps only rows after next and after added_after', () => {
    const q = parseTaxiiQuery([['match[version]', 'all']], 'objects');
    if (!q.ok) {
      throw new Error('query');
    }
    const first = rows[0]!;
    const afterNext = rows.filter((r) => taxiiRowMatches(r, { ...q.value, next: first.position }));
    expect(afterNext).toEqual(rows.slice(1));
    const afterTime = rows.filter((r) => taxiiRowMatches(r, { ...q.value, addedAfter: rows[2]!.dateAdded }));
    expect(afterTime).toEqual(rows.slice(3));
  });
});
