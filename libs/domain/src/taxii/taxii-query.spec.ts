import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeTaxiiNext,
  encodeTaxiiNext,
  parseTaxiiQuery,
  TAXII_DEFAULT_LIMIT,
  TAXII_MAX_LIMIT,
  type TaxiiQuery,
} from './taxii-query';

const ok = (pairs: [string, string][], kind: 'objects' | 'object' | 'versions' = 'objects'): TaxiiQuery => {
  const r = parseTaxiiQuery(pairs, kind);
  if (!r.ok) {
    throw new Error(JSON.stringify(r.error));
  }
  return r.value;
};
const pointers = (pairs: [string, string][], kind: 'objects' | 'object' | 'versions' = 'objects') => {
  const r = parseTaxiiQuery(pairs, kind);
  return r.ok ? [] : r.error.map((i) => i.pointer);
};

describe(parseTaxiiQuery.name, () => {
  it('defaults to limit 100, match[version]=last and no other filter', () => {
    expect(ok([])).toEqual({
      addedAfter: null,
      limit: TAXII_DEFAULT_LIMIT,
      next: null,
      ids: null,
      types: null,
      versions: { all: false, first: false, last: true, exact: new Set() },
      specVersions: null,
    });
  });

  it('defaults the versions endpoint to every version', () => {
    expect(ok([], 'versions').versions.all).toBe(true);
  });

  it('lowers a limit above the maximum to it', () => {
    expect(ok([['limit', '5000']]).limit).toBe(TAXII_MAX_LIMIT);
    expect(ok([['limit', '7']]).limit).toBe(7);
  });

  it('joins comma-separated and repeated match values', () => {
    const q = ok([
      ['match[type]', 'indicator,report'],
      ['match[type]', 'identity'],
      ['match[version]', 'first,2026-01-02T03:04:05.123Z'],
    ]);
    expect(q.types).toEqual(new Set(['indicator', 'report', 'identity']));
    expect(q.versions).toEqual({ all: false, first: true, last: false, exact: new Set([1767323045123000n]) });
  });

  it.each<[[string, string][], string]>([
    [[['limit', '0']], '?limit'],
    [[['limit', '-1']], '?limit'],
    [[['limit', '1e3']], '?limit'],
    [[['added_after', '2026-01-02']], '?added_after'],
    [[['next', 'x']], '?next'],
    [[['next', 'a'.repeat(65)]], '?next'],
    [[['match[id]', 'indicator--not-a-uuid']], '?match[id]'],
    [[['match[type]', 'Indicator']], '?match[type]'],
    [[['match[version]', 'latest']], '?match[version]'],
    [[['match[spec_version]', 'v2']], '?match[spec_version]'],
    [[['match[type]', Array.from({ length: 101 }, () => 'report').join(',')]], '?match[type]'],
    [
      [
        ['limit', '5'],
        ['limit', '6'],
      ],
      '?limit',
    ],
    [[['match[colour]', 'red']], '?match[colour]'],
  ])('refuses %j naming %s', (pairs, pointer) => {
    expect(pointers(pairs)).toEqual([pointer]);
  });

  it('takes no match[id] or match[type] on an object endpoint', () => {
    expect(pointers([['match[type]', 'report']], 'object')).toEqual(['?match[type]']);
    expect(pointers([['match[version]', 'all']], 'versions')).toEqual(['?match[version]']);
  });
});

describe(decodeTaxiiNext.name, () => {
  it('reads back every position it writes', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 50 }), fc.nat({ max: 999_999_999 }), (seq, index) => {
        const token = encodeTaxiiNext({ seq, index });
        expect(token.length).toBeLessThanOrEqual(64);
        expect(decodeTaxiiNext(token)).toEqual({ seq, index });
      }),
    );
  });

  it('refuses anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const p = decodeTaxiiNext(s);
        expect(p === null || encodeTaxiiNext(p) === s).toBe(true);
      }),
    );
  });
});
