import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { INDICATOR_TYPES, type IndicatorType } from './indicator-types';
import { normalizeIndicators, type NormalizedIndicator } from './normalize-indicators';

function normalizeOne(type: IndicatorType, value: string): NormalizedIndicator {
  const out = normalizeIndicators([{ type, value }]);
  expect(out).toHaveLength(1);
  return out[0]!;
}

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

describe(normalizeIndicators.name, () => {
  it.each<[IndicatorType, string, string]>([
    ['md5', MD5, MD5],
    ['md5', MD5.toUpperCase(), MD5],
    ['md5', `  ${MD5}\n`, MD5],
    ['sha1', SHA1.toUpperCase(), SHA1],
    ['sha256', SHA256.toUpperCase(), SHA256],
    ['sha256', SHA256, SHA256],
    ['sha512', SHA512.toUpperCase(), SHA512],
    ['ipv4', '192.0.2.1', '192.0.2.1'],
    ['ipv4', '0.0.0.0', '0.0.0.0'],
    ['ipv4', '255.255.255.255', '255.255.255.255'],
    ['ipv4', ' 198.51.100.7 ', '198.51.100.7'],
    ['ipv4', '10.0.100.1', '10.0.100.1'],
    ['ipv6', '2001:DB8::1', '2001:db8::1'],
    ['ipv6', '::1', '::1'],
    ['ipv6', '::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['cidr', '192.0.2.0/24', '192.0.2.0/24'],
    ['cidr', '2001:DB8::/32', '2001:db8::/32'],
    ['domain', 'Evil.EXAMPLE.com', 'evil.example.com'],
    ['domain', 'evil.example.com.', 'evil.example.com'],
    ['domain', ' EVIL.example. ', 'evil.example'],
    ['domain', '_dmarc.example.org', '_dmarc.example.org'],
    ['domain', 'xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['domain', 'a-b.co', 'a-b.co'],
    ['url', 'https://evil.example/path?q=1', 'https://evil.example/path?q=1'],
    ['url', 'HTTP://Evil.Example/Payload.EXE', 'HTTP://Evil.Example/Payload.EXE'],
    ['url', ' hxxp+s://x ', 'hxxp+s://x'],
    ['email', 'Alice@Example.COM', 'alice@example.com'],
    ['email', ' bob.smith+tag@mail.example.org ', 'bob.smith+tag@mail.example.org'],
    ['cve', 'cve-2021-44228', 'CVE-2021-44228'],
    ['cve', 'CVE-2024-1234567', 'CVE-2024-1234567'],
    ['asn', 'AS64496', 'AS64496'],
    ['asn', 'as64496', 'AS64496'],
    ['asn', '64496', 'AS64496'],
    ['asn', 'AS0064496', 'AS64496'],
    ['asn', '0', 'AS0'],
    ['asn', 'AS4294967295', 'AS4294967295'],
  ])('canonicalizes %s %j as %j', (type, raw, canonicalValue) => {
    expect(normalizeOne(type, raw)).toEqual({ type, rawValue: raw, canonicalValue, rejection: null });
  });

  it.each<[IndicatorType, string]>([
    ['md5', ''],
    ['md5', MD5.slice(1)],
    ['md5', `${MD5}0`],
    ['md5', 'g'.repeat(32)],
    ['md5', `0x${MD5.slice(2)}`],
    ['md5', SHA1],
    ['sha1', MD5],
    ['sha256', SHA512],
    ['sha512', SHA256],
    ['sha256', `${SHA256.slice(0, 32)} ${SHA256.slice(32)}`],
    ['ipv4', ''],
    ['ipv4', '010.1.1.1'],
    ['ipv4', '1.1.1.01'],
    ['ipv4', '00.1.2.3'],
    ['ipv4', '256.1.1.1'],
    ['ipv4', '1.2.3'],
    ['ipv4', '1.2.3.4.5'],
    ['ipv4', '1..2.3'],
    ['ipv4', '1.2.3.-1'],
    ['ipv4', '+1.2.3.4'],
    ['ipv4', '1e2.1.1.1'],
    ['ipv4', '1.2.3.4/24'],
    ['ipv4', '0x7f.0.0.1'],
    ['ipv4', '2130706433'],
    ['ipv4', 'a.b.c.d'],
    ['ipv4', '1000.1.1.1'],
    ['ipv6', ''],
    ['ipv6', '192.0.2.1'],
    ['ipv6', '2001:db8::g'],
    ['ipv6', '2001:db8::/32'],
    ['cidr', '192.0.2.0'],
    ['cidr', '192.0.2.0/'],
    ['cidr', '192.0.2.0/abc'],
    ['cidr', '192.0.2.0/1234'],
    ['cidr', 'evil.example/24'],
    ['domain', ''],
    ['domain', 'localhost'],
    ['domain', '-evil.example'],
    ['domain', 'evil-.example'],
    ['domain', 'ev il.example'],
    ['domain', 'evil..example'],
    ['domain', 'evil.example..'],
    ['domain', '.evil.example'],
    ['domain', 'evil.e'],
    ['domain', `${'a'.repeat(64)}.example`],
    ['domain', `${'a.'.repeat(126)}com`],
    ['domain', 'http://evil.example'],
    ['domain', 'bücher.example'],
    ['url', ''],
    ['url', 'evil.example/path'],
    ['url', '/relative/path'],
    ['url', 'https://'],
    ['url', 'http://evil .example'],
    ['url', '1http://evil.example'],
    ['url', 'mailto:alice@example.com'],
    ['email', ''],
    ['email', 'alice'],
    ['email', 'alice@example'],
    ['email', '@example.com'],
    ['email', 'alice@'],
    ['email', 'al ice@example.com'],
    ['email', 'alice@@example.com'],
    ['cve', ''],
    ['cve', 'CVE-21-1234'],
    ['cve', 'CVE-2021-123'],
    ['cve', 'CAN-2021-1234'],
    ['cve', '2021-44228'],
    ['cve', 'CVE_2021_44228'],
    ['cve', 'CVE-2021-44228x'],
    ['asn', ''],
    ['asn', 'AS'],
    ['asn', 'ASN64496'],
    ['asn', 'AS-1'],
    ['asn', 'AS1.5'],
    ['asn', 'AS 64496'],
    ['asn', '4294967296'],
    ['asn', '12345678901'],
    ['asn', '0x10'],
  ])('rejects %s %j with a reason', (type, raw) => {
    const n = normalizeOne(type, raw);
    expect(n).toEqual({ type, rawValue: raw, canonicalValue: null, rejection: expect.any(String) });
    expect(n.rejection).toMatch(/\S/);
  });

  it('merges indicators of one type with the same canonical value, keeping the first raw value', () => {
    expect(
      normalizeIndicators([
        { type: 'md5', value: MD5.toUpperCase() },
        { type: 'domain', value: 'evil.example' },
        { type: 'md5', value: ` ${MD5} ` },
        { type: 'domain', value: 'EVIL.example.' },
        { type: 'asn', value: '64496' },
        { type: 'asn', value: 'as64496' },
      ]),
    ).toEqual([
      { type: 'md5', rawValue: MD5.toUpperCase(), canonicalValue: MD5, rejection: null },
      { type: 'domain', rawValue: 'evil.example', canonicalValue: 'evil.example', rejection: null },
      { type: 'asn', rawValue: '64496', canonicalValue: 'AS64496', rejection: null },
    ]);
  });

  it('keeps every rejected indicator, duplicates included, in input order', () => {
    const out = normalizeIndicators([
      { type: 'ipv4', value: '010.1.1.1' },
      { type: 'ipv4', value: '192.0.2.1' },
      { type: 'ipv4', value: '010.1.1.1' },
    ]);
    expect(out.map((n) => [n.rawValue, n.canonicalValue])).toEqual([
      ['010.1.1.1', null],
      ['192.0.2.1', '192.0.2.1'],
      ['010.1.1.1', null],
    ]);
  });

  it('returns nothing for no indicators', () => {
    expect(normalizeIndicators([])).toEqual([]);
  });

  describe('properties', () => {
    const anyType = fc.constantFrom(...INDICATOR_TYPES);
    const anyString = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF.:/@-_ ASCVEasve\t') }),
    );
    const pad = fc.constantFrom('', ' ', '\t', '\n ', '\u00a0');
    const mixCase = (s: string, flips: readonly boolean[]) =>
      [...s].map((c, i) => (flips[i % Math.max(flips.length, 1)] ? c.toUpperCase() : c.toLowerCase())).join('');

    /** Values that are (mostly) valid for their type, in raw, messy form. */
    const plausible: fc.Arbitrary<[IndicatorType, string]> = fc.oneof(
      fc.tuple(fc.constantFrom<IndicatorType>('md5'), fc.stringMatching(/^[0-9a-fA-F]{32}$/)),
      fc.tuple(fc.constantFrom<IndicatorType>('sha1'), fc.stringMatching(/^[0-9a-fA-F]{40}$/)),
      fc.tuple(fc.constantFrom<IndicatorType>('sha256'), fc.stringMatching(/^[0-9a-fA-F]{64}$/)),
      fc.tuple(fc.constantFrom<IndicatorType>('sha512'), fc.stringMatching(/^[0-9a-fA-F]{128}$/)),
      fc.tuple(fc.constantFrom<IndicatorType>('ipv4'), fc.ipV4()),
      fc.tuple(fc.constantFrom<IndicatorType>('ipv6'), fc.ipV6()),
      fc.tuple(
        fc.constantFrom<IndicatorType>('cidr'),
        fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
      ),
      fc.tuple(fc.constantFrom<IndicatorType>('domain'), fc.domain()),
      fc.tuple(fc.constantFrom<IndicatorType>('url'), fc.webUrl()),
      fc.tuple(fc.constantFrom<IndicatorType>('email'), fc.emailAddress()),
      fc.tuple(fc.constantFrom<IndicatorType>('cve'), fc.stringMatching(/^[cC][vV][eE]-\d{4}-\d{4,7}$/)),
      fc.tuple(
        fc.constantFrom<IndicatorType>('asn'),
        fc
          .tuple(fc.constantFrom('', 'AS', 'as', 'As'), fc.constantFrom('', '0', '00'), fc.nat({ max: 4_294_967_295 }))
          .filter(([, zeros, n]) => `${zeros}${n}`.length <= 10)
          .map(([prefix, zeros, n]) => `${prefix}${zeros}${n}`),
      ),
    );
    const messy = fc
      .tuple(plausible, pad, pad, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.boolean())
      .map(([[type, v], before, after, flips, flip]): [IndicatorType, string] => {
        const caseInsensitive = type !== 'url';
        return [type, `${before}${caseInsensitive && flip ? mixCase(v, flips) : v}${after}`];
      });

    it('never throws, and returns either a canonical value or a reason, on arbitrary strings of every type', () => {
      fc.assert(
        fc.property(anyType, anyString, (type, raw) => {
          const n = normalizeOne(type, raw);
          expect(n.type).toBe(type);
          expect(n.rawValue).toBe(raw);
          expect((n.canonicalValue === null) !== (n.rejection === null)).toBe(true);
        }),
        { numRuns: 2_000 },
      );
    });

    it('accepts every value the realistic generators produce', () => {
      fc.assert(
        fc.property(messy, ([type, raw]) => {
          expect(normalizeOne(type, raw).rejection).toBeNull();
        }),
        { numRuns: 1_000 },
      );
    });

    it('is idempotent: a canonical value normalizes to itself', () => {
      fc.assert(
        fc.property(fc.oneof(messy, fc.tuple(anyType, anyString)), ([type, raw]) => {
          const first = normalizeOne(type, raw).canonicalValue;
          if (first !== null) {
            expect(normalizeOne(type, first)).toEqual({
              type,
              rawValue: first,
              canonicalValue: first,
              rejection: null,
            });
          }
        }),
        { numRuns: 2_000 },
      );
    });

    it('produces canonical values with no surrounding whitespace and no upper case for case-insensitive types', () => {
      fc.assert(
        fc.property(messy, ([type, raw]) => {
          const c = normalizeOne(type, raw).canonicalValue ?? '';
          expect(c).toBe(c.trim());
          if (type === 'cve' || type === 'asn') {
            expect(c).toBe(c.toUpperCase());
          } else if (type !== 'url') {
            expect(c).toBe(c.toLowerCase());
          }
        }),
      );
    });

    it('merges any two spellings of the same value', () => {
      fc.assert(
        fc.property(messy, pad, ([type, raw], extra) => {
          const out = normalizeIndicators([
            { type, value: raw },
            { type, value: `${extra}${raw}${extra}` },
          ]);
          expect(out).toHaveLength(1);
        }),
      );
    });
  });
});
