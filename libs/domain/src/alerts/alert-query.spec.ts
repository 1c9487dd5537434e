import { describe, expect, it } from 'vitest';
import { compileRsit } from '../model/taxonomies';
import { parseAlertQuery } from './alert-query';

const rsit = compileRsit({
  namespace: 'rsit',
  predicates: [{ value: 'malicious-code' }, { value: 'fraud' }],
  values: [
    { predicate: 'malicious-code', entry: [{ value: 'c2-server' }, { value: 'malware-distribution' }] },
    { predicate: 'fraud', entry: [{ value: 'phishing' }] },
  ],
});

const parsed = (q: Record<string, unknown>) => {
  const r = parseAlertQuery(q, rsit);
  if (!r.ok) {
    throw new Error(JSON.stringify(r.error));
  }
  return r.value;
};

const pointers = (q: Record<string, unknown>) => {
  const r = parseAlertQuery(q, rsit);
  return r.ok ? [] : r.error.map((i) => i.pointer);
};

describe(parseAlertQuery.name, () => {
  it('reads no filter as everything', () => {
    expect(parsed({ limit: '5', cursor: 'x' })).toEqual({
      statuses: null,
      severities: null,
      tlps: null,
      classifications: null,
      sourceCountries: null,
      since: null,
      until: null,
      text: null,
    });
  });

  it('reads comma-separated and repeated values, without duplicates', () => {
    const q = parsed({ status: 'published,revoked', severity: ['high', 'critical,high'], sourceCountry: 'fr,DE' });
    expect(q.statuses).toEqual(['published', 'revoked']);
    expect(q.severities).toEqual(['high', 'critical']);
    expect(q.sourceCountries).toEqual(['FR', 'DE']);
  });

  it('reads TLP labels as written, and AMBER+STRICT whose + became a space', () => {
    expect(parsed({ tlp: 'amber+strict,TLP:RED,white' }).tlps).toEqual(['AMBER+STRICT', 'RED', 'CLEAR']);
    expect(parsed({ tlp: 'AMBER STRICT' }).tlps).toEqual(['AMBER+STRICT']);
  });

  it.each([
    [{ minSeverity: 'high' }, ['high', 'critical']],
    [{ minSeverity: 'low' }, ['low', 'medium', 'high', 'critical']],
    [{ minSeverity: 'high', severity: 'low,critical' }, ['critical']],
    [{ minSeverity: 'critical', severity: 'low' }, []],
  ])('narrows severities by minSeverity in %j', (q, expected) => {
    expect(parsed(q).severities).toEqual(expected);
  });

  it('reads RSIT classes and class/type pairs', () => {
    expect(parsed({ classification: 'fraud,malicious-code/c2-server' }).classifications).toEqual([
      { taxonomy: 'fraud', type: null },
      { taxonomy: 'malicious-code', type: 'c2-server' },
    ]);
  });

  it('reads since and until as instants', () => {
    const q = parsed({ since: '2026-12-01', until: '2026-12-02T10:00:00.5+01:00' });
    expect(q.since?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(q.until?.toISOString()).toBe('2026-12-02T09:00:00.500Z');
  });

  it('keeps free text trimmed', () => {
    expect(parsed({ q: '  emotet "loader"  ' }).text).toBe('emotet "loader"');
  });

  it.each([
    [{ status: 'done' }, '?status'],
    [{ status: '' }, '?status'],
    [{ status: 'published,' }, '?status'],
    [{ severity: 'urgent' }, '?severity'],
    [{ severity: { a: 1 } }, '?severity'],
    [{ minSeverity: 'high,low' }, '?minSeverity'],
    [{ tlp: 'PURPLE' }, '?tlp'],
    [{ classification: 'not-a-class' }, '?classification'],
    [{ classification: 'fraud/c2-server' }, '?classification'],
    [{ classification: 'a/b/c' }, '?classification'],
    [{ sourceCountry: 'FRA' }, '?sourceCountry'],
    [{ since: 'yesterday' }, '?since'],
    [{ since: '2026-02-30T00:00:00Z' }, '?since'],
    [{ since: '0000-01-01' }, '?since'],
    [{ until: '2026-12-01T10:00:00' }, '?until'],
    [{ until: ['2026-12-01', '2026-12-02'] }, '?until'],
    [{ since: '2026-12-02', until: '2026-12-01' }, '?until'],
    [{ q: '' }, '?q'],
    [{ q: 'x'.repeat(201) }, '?q'],
    [{ q: 'a\u0000b' }, '?q'],
    [{ q: '!!!' }, '?q'],
    [{ q: ['a', 'b'] }, '?q'],
    [{ severty: 'high' }, '?severty'],
    [{ status: Array.from({ length: 21 }, () => 'published').join(',') }, '?status'],
  ])('names the query parameter of %j', (q, pointer) => {
    expect(pointers(q)).toEqual([pointer]);
  });

  it('names every bad parameter at once', () => {
    expect(pointers({ severity: 'x', tlp: 'y' })).toEqual(['?severity', '?tlp']);
  });
});
