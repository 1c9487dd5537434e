import { describe, expect, it } from 'vitest';
import { entries, entryProblem, fieldProblems } from './admin-checks';

describe('the console’s constituency checks', () => {
  it.each([
    ['countries', 'LU'],
    ['countries', 'lu'],
    ['asns', 'AS64500'],
    ['asns', '64501'],
    ['asns', 'as1.10'],
    ['cidrs', '203.0.113.77/24'],
    ['cidrs', '198.51.100.1'],
    ['cidrs', '2001:db8:ab::/48'],
    ['cidrs', '::ffff:192.0.2.1/128'],
    ['domains', 'Example.LU.'],
    ['domains', '*.example.lu'],
    ['domains', 'bücher.example'],
    ['domains', 'lu'],
  ] as const)('accepts %s entry %s', (kind, value) => {
    expect(entryProblem(kind, value)).toBeNull();
  });

  it.each([
    ['countries', 'LUX', /two letters/],
    ['asns', 'ASX', /digits/],
    ['asns', '4294967296', /at most/],
    ['asns', 'AS1.70000', /at most/],
    ['cidrs', '10.0.0.0/33', /0 to 32/],
    ['cidrs', '2001:db8::/129', /0 to 128/],
    ['cidrs', '10.0.0.256/8', /not an IPv4 or IPv6 address/],
    ['cidrs', 'example.lu/24', /not an IPv4 or IPv6 address/],
    ['cidrs', '10.0.0.0/8/8', /one "\/"/],
    ['domains', 'exa mple.lu', /not a domain label/],
    ['domains', '-bad.lu', /not a domain label/],
    ['domains', 'a..lu', /not a domain label/],
  ] as const)('refuses %s entry %s and says why', (kind, value, why) => {
    expect(entryProblem(kind, value)).toMatch(why);
  });

  it('reads one entry per line or comma and counts positions as the API does', () => {
    expect(entries(' LU \n\nFR, BE\n')).toEqual(['LU', 'FR', 'BE']);
    expect(fieldProblems('cidrs', '10.0.0.0/8\n\n10.0.0.0/40')).toEqual([
      { index: 1, value: '10.0.0.0/40', why: 'the prefix length must be a number from 0 to 32' },
    ]);
  });
});
