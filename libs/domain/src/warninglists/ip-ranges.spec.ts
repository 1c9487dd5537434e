import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { RangeSet, ipv4InMapped, nextIpv4, parseIpRange, parseIpv4, parseIpv6 } from './ip-ranges';

const v6 = (s: string): bigint =>
  BigInt(
    `0x${ipaddr.IPv6.parse(s)
      .toNormalizedString()
      .split(':')
      .map((g) => g.padStart(4, '0'))
      .join('')}`,
  );

describe(parseIpv4.name, () => {
  it.each<[string, number | null]>([
    ['0.0.0.0', 0],
    ['10.1.2.3', 0x0a010203],
    ['255.255.255.255', 0xffffffff],
    ['192.0.2.1', 0xc0000201],
    ['256.0.0.1', null],
    ['01.2.3.4', null],
    ['1.2.3', null],
    ['1.2.3.4.5', null],
    ['1..3.4', null],
    ['1.2.3.', null],
    ['0x7f.0.0.1', null],
    [' 1.2.3.4', null],
    ['', null],
  ])('%s → %s', (s, expected) => {
    expect(parseIpv4(s)).toBe(expected);
  });
});

describe(parseIpv6.name, () => {
  it.each<[string, bigint | null]>([
    ['::', 0n],
    ['::1', 1n],
    ['2001:DB8::1', v6('2001:db8::1')],
    ['fe80::1%eth0', v6('fe80::1')],
    ['::ffff:192.0.2.1', v6('::ffff:c000:201')],
    ['::192.0.2.1', v6('::c000:201')],
    ['64:ff9b::192.0.2.1', v6('64:ff9b::c000:201')],
    ['1:2:3:4:5:6:1.2.3.4', v6('1:2:3:4:5:6:102:304')],
    ['1:2:3:4:5:6:7:8', v6('1:2:3:4:5:6:7:8')],
    ['1:2:3:4:5:6:7::', v6('1:2:3:4:5:6:7:0')],
    ['::2:3:4:5:6:7:8', v6('0:2:3:4:5:6:7:8')],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', (1n << 128n) - 1n],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1:2:3:4:5:6:7', null],
    ['1::2::3', null],
    [':::', null],
    ['1:2:3:4:5:6::1.2.3.4', null],
    ['1:2:3:4:5:6:7:1.2.3.4', null],
    ['12345::', null],
    ['g::', null],
    [':1::', null],
    ['1::2:', null],
    ['::1.2.3', null],
    ['1.2.3.4', null],
    ['', null],
  ])('%s → %s', (s, expected) => {
    expect(parseIpv6(s)).toBe(expected);
  });

  it('reads every text form ipaddr.js writes as the same number', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (parts) => {
        const address = new ipaddr.IPv6(parts);
        const value = parts.reduce((acc, p) => (acc << 16n) | BigInt(p), 0n);
        expect(parseIpv6(address.toString())).toBe(value);
        expect(parseIpv6(address.toNormalizedString())).toBe(value);
        expect(parseIpv6(address.toNormalizedString().toUpperCase())).toBe(value);
        expect(parseIpv6(address.toRFC5952String())).toBe(value);
      }),
    );
  });
});

describe(parseIpRange.name, () => {
  it.each<[string, { family: 4 | 6; start: number | bigint; end: number | bigint } | null]>([
    ['10.0.0.0/8', { family: 4, start: 0x0a000000, end: 0x0affffff }],
    ['10.1.2.3/8', { family: 4, start: 0x0a000000, end: 0x0affffff }],
    ['192.0.2.7', { family: 4, start: 0xc0000207, end: 0xc0000207 }],
    ['0.0.0.0/0', { family: 4, start: 0, end: 0xffffffff }],
    ['255.255.255.255/32', { family: 4, start: 0xffffffff, end: 0xffffffff }],
    ['2001:DB8::/32', { family: 6, start: v6('2001:db8::'), end: v6('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff') }],
    ['FE80::/10', { family: 6, start: v6('fe80::'), end: v6('febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff') }],
    ['::1/128', { family: 6, start: 1n, end: 1n }],
    ['::/0', { family: 6, start: 0n, end: (1n << 128n) - 1n }],
    ['10.0.0.0/33', null],
    ['::/129', null],
    ['10.0.0.0/', null],
    ['10.0.0.0/-1', null],
    ['example.com', null],
  ])('%s', (s, expected) => {
    expect(parseIpRange(s)).toEqual(expected);
  });
});

describe(ipv4InMapped.name, () => {
  it('gives the IPv4 range inside ::ffff:0:0/96 and nothing outside it', () => {
    const inside = parseIpRange('::ffff:10.0.0.0/104');
    const outside = parseIpRange('::1/128');
    expect(inside?.family === 6 ? ipv4InMapped(inside) : 'v4').toEqual({
      family: 4,
      start: 0x0a000000,
      end: 0x0affffff,
    });
    expect(outside?.family === 6 ? ipv4InMapped(outside) : 'v4').toBeNull();
  });
});

describe(RangeSet.name, () => {
  it('merges overlapping and touching ranges', () => {
    const set = RangeSet.of(
      [
        { start: 10, end: 20 },
        { start: 15, end: 30 },
        { start: 31, end: 40 },
        { start: 50, end: 50 },
        { start: 0, end: 5 },
      ],
      nextIpv4,
    );
    expect(set.size).toBe(3);
    expect(set.covers(10, 40)).toBe(true);
    expect(set.covers(0, 5)).toBe(true);
    expect(set.covers(5, 10)).toBe(false);
    expect(set.covers(50, 50)).toBe(true);
    expect(set.covers(41, 41)).toBe(false);
    expect(set.covers(51, 51)).toBe(false);
  });

  it('answers like a scan of the ranges it was built from', () => {
    const range = fc
      .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 40 }))
      .map(([start, length]) => ({ start, end: start + length }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 30 }), range, (ranges, query) => {
        const set = RangeSet.of(ranges, nextIpv4);
        let covered = true;
        for (let x = query.start; x <= query.end && covered; x++) {
          covered = ranges.some((r) => r.start <= x && x <= r.end);
        }
        expect(set.covers(query.start, query.end)).toBe(covered);
      }),
    );
  });
});
