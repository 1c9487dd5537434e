import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDICATOR_TYPES, type IndicatorType } from '../alerts/indicator-types';
import { inferIndicatorType } from './infer-type';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

describe(inferIndicatorType.name, () => {
  it.each<[string, IndicatorType]>([
    [MD5, 'md5'],
    [MD5.toUpperCase(), 'md5'],
    [SHA1, 'sha1'],
    [SHA256, 'sha256'],
    [SHA256.toUpperCase(), 'sha256'],
    [SHA512, 'sha512'],
    ['0'.repeat(32), 'md5'],
    ['CVE-2021-44228', 'cve'],
    ['cve-2021-44228', 'cve'],
    ['CVE-2014-0160', 'cve'],
    ['CVE\u20112021\u201144228', 'cve'],
    ['AS13335', 'asn'],
    ['as13335', 'asn'],
    ['ASN13335', 'asn'],
    ['ASN 13335', 'asn'],
    ['AS1.10', 'asn'],
    ['https://evil.example.com/path', 'url'],
    ['ftp://files.example.org/a', 'url'],
    ['javascript://x', 'url'],
    ['http://alice@evil.example.com/', 'url'],
    ['alice@example.com', 'email'],
    ['bob.smith+tag@mail.example.co.uk', 'email'],
    ['10.0.0.0/8', 'cidr'],
    ['10.1.2.3/8', 'cidr'],
    ['2001:db8::/32', 'cidr'],
    ['192.0.2.1', 'ipv4'],
    ['255.255.255.255', 'ipv4'],
    // odd IPv4 notations are typed ipv4 so that the rejection says what is wrong
    ['127.1', 'ipv4'],
    ['0x7f.0.0.1', 'ipv4'],
    ['010.0.0.1', 'ipv4'],
    ['256.1.1.1', 'ipv4'],
    ['2001:db8::1', 'ipv6'],
    ['2001:DB8:0:0:0:0:0:1', 'ipv6'],
    ['::1', 'ipv6'],
    ['::ffff:192.0.2.1', 'ipv6'],
    ['fe80::1%eth0', 'ipv6'],
    ['example.com', 'domain'],
    ['Example.COM.', 'domain'],
    ['evil.example.co.uk', 'domain'],
    ['_dmarc.example.org', 'domain'],
    ['bücher.de', 'domain'],
    ['xn--bcher-kva.de', 'domain'],
    ['пример.рф', 'domain'],
    ['co.uk', 'domain'],
    ['*.evil.com', 'domain'],
  ])('infers %j as %s', (value, type) => {
    expect(inferIndicatorType(value)).toBe(type);
  });

  it.each<[string]>([
    [''],
    ['   '],
    ['13335'],
    ['0'],
    ['deadbeef'],
    ['0'.repeat(33)],
    [`${MD5}g`],
    ['CVE-21-44228'],
    ['CVE-2021-123'],
    ['AS'],
    ['AS-13335'],
    ['localhost'],
    ['hello'],
    ['foo.invalid'],
    ['bücher.example'],
    ['evil.com/path'],
    ['alice@localhost'],
    ['not an indicator'],
    ['hxxp:evil'],
    ['12:34'],
  ])('infers nothing from %j', (value) => {
    expect(inferIndicatorType(value)).toBeNull();
  });

  it('never throws and returns a known type or null', () => {
    for (const arb of [fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })]) {
      fc.assert(
        fc.property(arb, (value) => {
          const type = inferIndicatorType(value);
          expect(type === null || INDICATOR_TYPES.includes(type)).toBe(true);
        }),
        { numRuns: 500 },
      );
    }
  });

  it('infers the type of generated IP addresses, URLs and e-mail addresses', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(inferIndicatorType(ip)).toBe('ipv4');
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(inferIndicatorType(ip)).toBe('ipv6');
      }),
    );
    fc.assert(
      fc.property(fc.webUrl(), (url) => {
        expect(inferIndicatorType(url)).toBe('url');
      }),
    );
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        expect(inferIndicatorType(email)).toBe('email');
      }),
    );
  });
});
