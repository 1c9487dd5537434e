import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTaxiiTimestamp, parseTaxiiTimestamp } from './taxii-timestamp';

describe(parseTaxiiTimestamp.name, () => {
  it.each([
    ['2026-01-02T03:04:05Z', 1767323045000000n],
    ['2026-01-02T03:04:05.1Z', 1767323045100000n],
    ['2026-01-02T03:04:05.123456Z', 1767323045123456n],
    ['2026-01-02T03:04:05.123456789Z', 1767323045123456n],
    ['2026-01-02t03:04:05.5z', 1767323045500000n],
  ])('reads %s', (s, us) => {
    expect(parseTaxiiTimestamp(s)).toBe(us);
  });

  it.each(['2026-02-30T00:00:00Z', '2026-01-02T25:00:00Z', '2026-01-02T03:04:05+01:00', '2026-01-02', 'now', ''])(
    'refuses %j',
    (s) => {
      expect(parseTaxiiTimestamp(s)).toBeNull();
    },
  );

  it('reads back what it writes, to the microsecond', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 4_102_444_800_000_000n }), (us) => {
        expect(parseTaxiiTimestamp(formatTaxiiTimestamp(us))).toBe(us);
      }),
    );
  });
});
