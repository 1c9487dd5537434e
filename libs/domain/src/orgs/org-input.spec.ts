import { describe, it, expect } from 'vitest';
import type { Result } from '../shared/result';
import { isCountryCode, parseCreateKey, parseCreateOrg } from './org-input';
import { ROLES } from './roles';
import { TRUST_LEVELS } from './trust';

const VALID_ORG = { name: 'CERT-FR', country: 'FR', sector: 'government', trustLevel: 3 };

/** The distinct pointers of a failed result; fails the test if the result is ok. */
function pointers(r: Result<unknown>): string[] {
  if (r.ok) {
    throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  }
  expect(r.error.length).toBeGreaterThan(0);
  for (const issue of r.error) {
    expect(issue.detail).toMatch(/\S/);
  }
  return [...new Set(r.error.map((i) => i.pointer))];
}

describe(isCountryCode.name, () => {
  it.each([
    ['FR', true],
    ['DE', true],
    ['JP', true],
    ['US', true],
    ['ZZ', false],
    ['XX', false],
    ['fr', false],
    ['Fr', false],
    ['FRA', false],
    ['F', false],
    ['', false],
  ])('answers %j: %s', (code, expected) => {
    expect(isCountryCode(code)).toBe(expected);
  });
});

describe(parseCreateOrg.name, () => {
  it('accepts a complete org', () => {
    expect(parseCreateOrg(VALID_ORG)).toEqual({
      ok: true,
      value: { name: 'CERT-FR', country: 'FR', sector: 'government', trustLevel: 3 },
    });
  });

  it('turns a missing sector into null', () => {
    const { sector: _sector, ...withoutSector } = VALID_ORG;
    expect(parseCreateOrg(withoutSector)).toEqual({
      ok: true,
      value: { name: 'CERT-FR', country: 'FR', sector: null, trustLevel: 3 },
    });
  });

  it('trims the name and the sector', () => {
    const r = parseCreateOrg({ ...VALID_ORG, name: '  CERT-FR  ', sector: '\tenergy\n' });
    expect(r).toEqual({ ok: true, value: { name: 'CERT-FR', country: 'FR', sector: 'energy', trustLevel: 3 } });
  });

  it.each(TRUST_LEVELS)('accepts trust level %i', (trustLevel) => {
    const r = parseCreateOrg({ ...VALID_ORG, trustLevel });
    expect(r.ok && r.value.trustLevel).toBe(trustLevel);
  });

  it('accepts a name of exactly 200 characters and a sector of exactly 100', () => {
    const r = parseCreateOrg({ ...VALID_ORG, name: 'n'.repeat(200), sector: 's'.repeat(100) });
    expect(r.ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a lower-case country', { country: 'fr' }, '/country'],
    ['a mixed-case country', { country: 'Fr' }, '/country'],
    ['an unassigned country ZZ', { country: 'ZZ' }, '/country'],
    ['a three-letter country', { country: 'FRA' }, '/country'],
    ['a one-letter country', { country: 'F' }, '/country'],
    ['a numeric country', { country: 250 }, '/country'],
    ['a missing country', { country: undefined }, '/country'],
    ['a negative trust level', { trustLevel: -1 }, '/trustLevel'],
    ['trust level 5', { trustLevel: 5 }, '/trustLevel'],
    ['a non-integer trust level', { trustLevel: 1.5 }, '/trustLevel'],
    ['a trust level given as a string', { trustLevel: '2' }, '/trustLevel'],
    ['a NaN trust level', { trustLevel: Number.NaN }, '/trustLevel'],
    ['an infinite trust level', { trustLevel: Number.POSITIVE_INFINITY }, '/trustLevel'],
    ['a missing trust level', { trustLevel: undefined }, '/trustLevel'],
    ['an empty name', { name: '' }, '/name'],
    ['a blank name', { name: '   ' }, '/name'],
    ['a 201-character name', { name: 'n'.repeat(201) }, '/name'],
    ['a numeric name', { name: 42 }, '/name'],
    ['a missing name', { name: undefined }, '/name'],
    ['a blank sector', { sector: ' ' }, '/sector'],
    ['a 101-character sector', { sector: 's'.repeat(101) }, '/sector'],
    ['a null sector', { sector: null }, '/sector'],
    ['an unknown field', { website: 'https://cert.example' }, '/website'],
  ])('rejects %s with an issue at %s', (_case, patch, pointer) => {
    const body: Record<string, unknown> = { ...VALID_ORG, ...patch };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) {
        delete body[k];
      }
    }
    expect(pointers(parseCreateOrg(body))).toEqual([pointer]);
  });

  it('reports every bad field at once', () => {
    const r = parseCreateOrg({ name: '', country: 'zz', trustLevel: 9, extra: true });
    expect(pointers(r).sort()).toEqual(['/country', '/extra', '/name', '/trustLevel']);
  });

  it.each([[null], [[]], ['CERT-FR'], [42], [undefined]])('rejects the non-object body %j at the root', (body) => {
    expect(pointers(parseCreateOrg(body))).toEqual(['']);
  });
});

describe(parseCreateKey.name, () => {
  it.each(ROLES)('accepts role %s and a missing label as null', (role) => {
    expect(parseCreateKey({ role })).toEqual({ ok: true, value: { role, label: null } });
  });

  it('trims the label', () => {
    expect(parseCreateKey({ role: 'operator', label: '  SOC ingest  ' })).toEqual({
      ok: true,
      value: { role: 'operator', label: 'SOC ingest' },
    });
  });

  it('accepts a label of exactly 100 characters', () => {
    expect(parseCreateKey({ role: 'reader', label: 'l'.repeat(100) }).ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown role', { role: 'root' }, '/role'],
    ['a capitalised role', { role: 'Admin' }, '/role'],
    ['a numeric role', { role: 1 }, '/role'],
    ['a missing role', {}, '/role'],
    ['a blank label', { role: 'reader', label: '   ' }, '/label'],
    ['a 101-character label', { role: 'reader', label: 'l'.repeat(101) }, '/label'],
    ['a null label', { role: 'reader', label: null }, '/label'],
    ['an unknown field', { role: 'reader', expiresAt: '2030-01-01' }, '/expiresAt'],
  ])('rejects %s with an issue at %s', (_case, body, pointer) => {
    expect(pointers(parseCreateKey(body))).toEqual([pointer]);
  });

  it('names the allowed roles when the role is wrong', () => {
    const r = parseCreateKey({ role: 'root' });
    expect(r).toEqual({
      ok: false,
      error: [{ pointer: '/role', detail: 'must be one of admin, vetter, operator, reader' }],
    });
  });

  it.each([[null], [[]], ['admin']])('rejects the non-object body %j at the root', (body) => {
    expect(pointers(parseCreateKey(body))).toEqual(['']);
  });
});
