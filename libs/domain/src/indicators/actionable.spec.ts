import { describe, expect, it } from 'vitest';
import { isActionable, type ActionableInput } from './actionable';

const accepted: ActionableInput = { canonicalValue: '198.51.100.7', rejection: null, flags: [], warning: null };

describe(isActionable.name, () => {
  it.each<[string, Partial<ActionableInput>, boolean]>([
    ['an accepted value with no flag', {}, true],
    ['a refanged, type-inferred, IDN value', { flags: ['refanged', 'type-inferred', 'idn'] }, true],
    ['a rejected value', { canonicalValue: null, rejection: 'not an IPv4 address' }, false],
    ['a value with a rejection but a canonical value (a stale row)', { rejection: 'bad' }, false],
    ['a value not yet normalized', { canonicalValue: null }, false],
    ['a warning-listed value (the warning)', { warning: { list: 'rfc1918', reason: 'private' } }, false],
    ['a warning-listed value (the flag only)', { flags: ['warning-listed'] }, false],
    ['a value reported a false positive', { flags: ['false-positive'] }, false],
    ['a value its sender excluded (MISP to_ids false, a STIX observation)', { flags: ['not-actionable'] }, false],
  ])('says %s is actionable: %s', (_label, change, expected) => {
    expect(isActionable({ ...accepted, ...change })).toBe(expected);
  });

  it('reads a row without a warning field as not warning-listed', () => {
    expect(isActionable({ canonicalValue: 'x', rejection: null, flags: [] })).toBe(true);
  });
});
