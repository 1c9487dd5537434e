import { describe, expect, it } from 'vitest';
import { parseMispWarningList } from './parse-warning-list';

const VALID = {
  name: 'List of RFC 1918 CIDR blocks',
  description: 'private networks',
  version: 5,
  type: 'cidr',
  list: ['10.0.0.0/8'],
  matching_attributes: ['ip-src', 'ip-dst'],
};

describe(parseMispWarningList.name, () => {
  it('accepts a MISP warning list and keeps its fields', () => {
    expect(parseMispWarningList({ ...VALID, category: 'false-positive', extra: 1 })).toEqual({
      ok: true,
      value: { ...VALID, category: 'false-positive' },
    });
  });

  it('accepts the object form of list (value → comment) and a missing description', () => {
    const { description: _, ...noDescription } = VALID;
    expect(parseMispWarningList({ ...noDescription, list: { '10.0.0.0/8': 'private' }, version: '7' })).toEqual({
      ok: true,
      value: { ...noDescription, description: '', list: ['10.0.0.0/8'], version: 7 },
    });
  });

  it.each<[string, unknown, string]>([
    ['not an object', [VALID], ''],
    ['no name', { ...VALID, name: undefined }, '/name'],
    ['a blank name', { ...VALID, name: '  ' }, '/name'],
    ['an unknown type', { ...VALID, type: 'cidr6' }, '/type'],
    ['no list', { ...VALID, list: undefined }, '/list'],
    ['a list of numbers', { ...VALID, list: ['10.0.0.0/8', 7] }, '/list/1'],
    ['a bad description', { ...VALID, description: 3 }, '/description'],
    ['a bad version', { ...VALID, version: 'v5' }, '/version'],
    ['bad matching_attributes', { ...VALID, matching_attributes: 'ip-src' }, '/matching_attributes'],
    ['a bad category', { ...VALID, category: ['x'] }, '/category'],
  ])('refuses %s, pointing at the field', (_label, input, pointer) => {
    const result = parseMispWarningList(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.error.map((i) => i.pointer)).toEqual([pointer]);
  });
});
