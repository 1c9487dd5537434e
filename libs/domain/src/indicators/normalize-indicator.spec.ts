import fc from 'fast-check';
import { parse } from 'tldts';
import { describe, expect, it } from 'vitest';
import { INDICATOR_TYPES, type IndicatorType } from '../alerts/indicator-types';
import type { IndicatorFlag } from '../model/canonical';
import { MAX_INDICATOR_LENGTH, normalizeIndicator, type IndicatorNormalization } from './normalize-indicator';
import { refang } from './refang';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

const SUFFIX_REASONS = ['not under a known public suffix', 'is a public suffix, not a domain'];

function accepted(type: IndicatorType, value: string): IndicatorNormalization {
  const out = normalizeIndicator({ type, value });
  expect(out.rejection).toBeNull();
  return out;
}

/**
 * Normalizing an accepted canonical value again (with its type) gives it back, unflagged but for the flags that
 * belong to the value itself (`unknown-suffix`).
 */
function expectFixedPoint(out: IndicatorNormalization): void {
  if (out.canonicalValue === null) {
    return;
  }
  expect(normalizeIndicator({ type: out.type, value: out.canonicalValue })).toEqual({
    type: out.type,
    rawValue: out.canonicalValue,
    canonicalValue: out.canonicalValue,
    flags: out.flags.filter((f) => f === 'unknown-suffix'),
    rejection: null,
  });
}

/** Under an ICANN suffix of the public suffix list (what tldts, the library we use, says). */
const isIcann = (domain: string): boolean =>
  parse(domain, { extractHostname: false, allowPrivateDomains: false }).isIcann === true;

function expectWellFormed(out: IndicatorNormalization, raw: string): void {
  expect(out.rawValue).toBe(raw);
  expect(INDICATOR_TYPES).toContain(out.type);
  if (out.canonicalValue === null) {
    expect(typeof out.rejection).toBe('string');
    expect(out.rejection).not.toBe('');
  } else {
    expect(out.rejection).toBeNull();
    expect(out.canonicalValue.length).toBeLessThanOrEqual(MAX_INDICATOR_LENGTH);
  }
}

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: length, maxLength: length });

describe(normalizeIndicator.name, () => {
  describe('domains', () => {
    it.each<[string, string]>([
      ['example.com', 'example.com'],
      ['Example.COM.', 'example.com'],
      ['  EVIL.Example.org  ', 'evil.example.org'],
      ['evil.example.co.uk', 'evil.example.co.uk'],
      ['_dmarc.example.org', '_dmarc.example.org'],
      ['a-b.co', 'a-b.co'],
      ['r3---sn-abc.googlevideo.com', 'r3---sn-abc.googlevideo.com'],
      ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
      ['evil[.]example[.]com', 'evil.example.com'],
      ['www.ck', 'www.ck'],
      // private-section suffixes are not treated as suffixes: dynamic-DNS roots are real indicators
      ['duckdns.org', 'duckdns.org'],
      ['evil.duckdns.org', 'evil.duckdns.org'],
      ['github.io', 'github.io'],
      [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
      [`${'a.'.repeat(124)}com`, `${'a.'.repeat(124)}com`],
    ])('canonicalizes %j as %j', (raw, canonicalValue) => {
      expect(accepted('domain', raw).canonicalValue).toBe(canonicalValue);
    });

    it.each<[string, string, IndicatorFlag[]]>([
      ['bücher.de', 'xn--bcher-kva.de', ['idn']],
      ['BÜCHER.de', 'xn--bcher-kva.de', ['idn']],
      ['пример.рф', 'xn--e1afmkfd.xn--p1ai', ['idn']],
      ['例え.jp', 'xn--r8jz45g.jp', ['idn']],
      ['straße.de', 'xn--strae-oqa.de', ['idn']],
      ['ｅｘａｍｐｌｅ.com', 'example.com', ['idn']],
      ['bücher[.]de', 'xn--bcher-kva.de', ['refanged', 'idn']],
    ])('converts the IDN %j to %j', (raw, canonicalValue, flags) => {
      expect(normalizeIndicator({ type: 'domain', value: raw })).toEqual({
        type: 'domain',
        rawValue: raw,
        canonicalValue,
        flags,
        rejection: null,
      });
    });

    it.each<[string, string, IndicatorFlag[]]>([
      // alternative roots and internal names: kept, flagged
      ['c2.evil.bit', 'c2.evil.bit', ['unknown-suffix']],
      ['HOST.Corp.Internal.', 'host.corp.internal', ['unknown-suffix']],
      ['dc01.ad.corp.lan', 'dc01.ad.corp.lan', ['unknown-suffix']],
      ['x.i2p', 'x.i2p', ['unknown-suffix']],
      ['host.1a', 'host.1a', ['unknown-suffix']],
      ['vitalik.eth', 'vitalik.eth', ['unknown-suffix']],
      ['evil.zzzz', 'evil.zzzz', ['unknown-suffix']],
      ['_ldap._tcp.corp.internal', '_ldap._tcp.corp.internal', ['unknown-suffix']],
      ['c2[.]evil[.]bit', 'c2.evil.bit', ['refanged', 'unknown-suffix']],
      // special-use names (RFC 6761, 6762, 9476) are not in the list either: kept, flagged (warning lists name them)
      ['foo.invalid', 'foo.invalid', ['unknown-suffix']],
      ['evil.example', 'evil.example', ['unknown-suffix']],
      ['printer.local', 'printer.local', ['unknown-suffix']],
      ['foo.test', 'foo.test', ['unknown-suffix']],
      ['app.localhost', 'app.localhost', ['unknown-suffix']],
      ['bücher.example', 'xn--bcher-kva.example', ['idn', 'unknown-suffix']],
      ['evil.xn--zckzah', 'evil.xn--zckzah', ['unknown-suffix']],
      // .onion is in the public suffix list (special-use, ICANN section): an ordinary domain
      ['expyuzz4wqqyqhjn.onion', 'expyuzz4wqqyqhjn.onion', []],
      ['example.com', 'example.com', []],
    ])('keeps %j under a suffix the public suffix list lacks as %j %j', (raw, canonicalValue, flags) => {
      expect(normalizeIndicator({ type: 'domain', value: raw })).toEqual({
        type: 'domain',
        rawValue: raw,
        canonicalValue,
        flags,
        rejection: null,
      });
    });

    it.each<[string, string]>([
      ['localhost', 'not under a known public suffix'],
      ['intranet', 'not under a known public suffix'],
      ['bit', 'not under a known public suffix'],
      ['host.123', 'not under a known public suffix'],
      ['host.a', 'not under a known public suffix'],
      ['host.my_tld', 'not under a known public suffix'],
      ['host.tld-x', 'not under a known public suffix'],
      ['.bit', 'empty label'],
      ['a..bit', 'empty label'],
      ['-evil.bit', 'hyphen'],
      ['ev!l.bit', 'characters other than'],
      [`${'a'.repeat(64)}.bit`, 'longer than 63'],
      ['co.uk', 'is a public suffix, not a domain'],
      ['com', 'is a public suffix, not a domain'],
      ['com.', 'is a public suffix, not a domain'],
      ['foo.ck', 'is a public suffix, not a domain'],
      ['xn--p1ai', 'is a public suffix, not a domain'],
      ['', 'empty value'],
      ['.', 'empty domain name'],
      ['a..com', 'empty label'],
      ['.example.com', 'empty label'],
      ['example.com..', 'empty label'],
      [`${'a'.repeat(64)}.com`, 'longer than 63'],
      [`${'a.'.repeat(127)}com`, 'longer than 253'],
      ['ev il.com', 'characters other than'],
      ['evil!.com', 'characters other than'],
      ['*.evil.com', 'characters other than'],
      ['evil.com/path', 'characters other than'],
      ['-evil.com', 'hyphen'],
      ['evil-.com', 'hyphen'],
      ['xn--zz.com', 'punycode'],
      ['xn--abc-.com', 'hyphen'],
      ['192.0.2.1', 'an IP address'],
      ['a%b.com', 'characters other than'],
      ['ü%b.com', 'not a valid internationalized domain name'],
    ])('rejects %j (%s)', (raw, reason) => {
      const out = normalizeIndicator({ type: 'domain', value: raw });
      expect(out).toMatchObject({ type: 'domain', rawValue: raw, canonicalValue: null });
      expect(out.rejection).toContain(reason);
    });
  });

  describe('IPv4', () => {
    it.each<[string, string]>([
      ['192.0.2.1', '192.0.2.1'],
      ['0.0.0.0', '0.0.0.0'],
      ['255.255.255.255', '255.255.255.255'],
      [' 198.51.100.7\n', '198.51.100.7'],
      ['10.0.100.1', '10.0.100.1'],
      ['192[.]0[.]2[.]1', '192.0.2.1'],
      ['[192.0.2.1]', '192.0.2.1'],
      ['192.0.2.1.', '192.0.2.1'],
    ])('canonicalizes %j as %j', (raw, canonicalValue) => {
      expect(accepted('ipv4', raw).canonicalValue).toBe(canonicalValue);
    });

    it.each<[string, string]>([
      ['127.1', 'four dot-separated decimal octets'],
      ['10.1.1', 'four dot-separated decimal octets'],
      ['1.2.3.4.5', 'four dot-separated decimal octets'],
      ['2130706433', 'four dot-separated decimal octets'],
      ['0x7f.0.0.1', 'hexadecimal'],
      ['0x7F000001', 'four dot-separated decimal octets'],
      ['010.0.0.1', 'leading zero'],
      ['192.168.001.1', 'leading zero'],
      ['256.1.1.1', 'above 255'],
      ['1.2.3.999', 'above 255'],
      ['1.2.3.', 'four dot-separated decimal octets'],
      ['1..2.3', 'four dot-separated decimal octets'],
      ['1.2.3.-4', 'four dot-separated decimal octets'],
      ['１.２.３.４', 'four dot-separated decimal octets'],
      ['::ffff:192.0.2.1', 'four dot-separated decimal octets'],
      ['192.0.2.1/32', 'four dot-separated decimal octets'],
    ])('rejects %j (%s)', (raw, reason) => {
      const out = normalizeIndicator({ type: 'ipv4', value: raw });
      expect(out).toMatchObject({ type: 'ipv4', canonicalValue: null });
      expect(out.rejection).toContain(reason);
    });
  });

  describe('IPv6', () => {
    it.each<[string, string]>([
      ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
      ['2001:db8::1', '2001:db8::1'],
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['::1', '::1'],
      ['::', '::'],
      ['FE80::0001', 'fe80::1'],
      ['[2001:db8::1]', '2001:db8::1'],
      ['2001[:]db8[:][:]1', '2001:db8::1'],
      ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
      // the deprecated IPv4-compatible form is not IPv4-mapped (ipaddr.js alone would say it is)
      ['::192.0.2.1', '::c000:201'],
    ])('canonicalizes %j as %j (RFC 5952)', (raw, canonicalValue) => {
      expect(normalizeIndicator({ type: 'ipv6', value: raw })).toMatchObject({
        type: 'ipv6',
        canonicalValue,
        rejection: null,
      });
    });

    it.each<[string, string]>([
      ['::ffff:192.0.2.1', '192.0.2.1'],
      ['::FFFF:198.51.100.7', '198.51.100.7'],
      ['::ffff:c000:201', '192.0.2.1'],
      ['0:0:0:0:0:ffff:c000:0201', '192.0.2.1'],
    ])('normalizes the IPv4-mapped %j to the IPv4 address %j', (raw, canonicalValue) => {
      expect(normalizeIndicator({ type: 'ipv6', value: raw })).toEqual({
        type: 'ipv4',
        rawValue: raw,
        canonicalValue,
        flags: [],
        rejection: null,
      });
    });

    it.each<[string, string]>([
      ['fe80::1%eth0', 'zone id'],
      ['fe80::1%25eth0', 'zone id'],
      ['fe80::1%', 'zone id'],
      ['2001:db8::g', 'not an IPv6 address'],
      ['2001:db8:::1', 'not an IPv6 address'],
      ['1:2:3:4:5:6:7', 'not an IPv6 address'],
      ['1:2:3:4:5:6:7:8:9', 'not an IPv6 address'],
      ['2001::db8::1', 'not an IPv6 address'],
      ['00001::1', 'not an IPv6 address'],
      ['::ffff:010.0.0.1', 'embedded IPv4'],
      ['::ffff:1.2.3', 'embedded IPv4'],
      ['1.2::3', 'not an IPv6 address'],
      ['192.0.2.1', 'not an IPv6 address'],
      ['2001:db8::/32', 'not an IPv6 address'],
    ])('rejects %j (%s)', (raw, reason) => {
      const out = normalizeIndicator({ type: 'ipv6', value: raw });
      expect(out).toMatchObject({ type: 'ipv6', canonicalValue: null });
      expect(out.rejection).toContain(reason);
    });
  });

  describe('CIDR blocks', () => {
    it.each<[string, string]>([
      ['10.1.2.3/8', '10.0.0.0/8'],
      ['192.0.2.0/24', '192.0.2.0/24'],
      ['192.0.2.77/26', '192.0.2.64/26'],
      ['0.0.0.0/0', '0.0.0.0/0'],
      ['203.0.113.9/0', '0.0.0.0/0'],
      // a /32 (or /128) stays a CIDR block
      ['192.0.2.1/32', '192.0.2.1/32'],
      ['2001:DB8::/32', '2001:db8::/32'],
      ['2001:db8:1234:5678::1/48', '2001:db8:1234::/48'],
      ['2001:db8::1/128', '2001:db8::1/128'],
      ['2001:db8::ff/121', '2001:db8::80/121'],
      ['::/0', '::/0'],
      ['::ffff:10.1.2.3/104', '10.0.0.0/8'],
      ['::ffff:192.0.2.1/128', '192.0.2.1/32'],
      ['10[.]0[.]0[.]0/8', '10.0.0.0/8'],
    ])('canonicalizes %j as %j', (raw, canonicalValue) => {
      expect(normalizeIndicator({ type: 'cidr', value: raw })).toMatchObject({
        type: 'cidr',
        canonicalValue,
        rejection: null,
      });
    });

    it.each<[string, string]>([
      ['10.0.0.0', 'address/prefix-length'],
      ['10.0.0.0/8/8', 'address/prefix-length'],
      ['10.0.0.0/', 'prefix length'],
      ['10.0.0.0/08', 'prefix length'],
      ['10.0.0.0/-1', 'prefix length'],
      ['10.0.0.0/x', 'prefix length'],
      ['10.0.0.0/33', 'at most 32'],
      ['2001:db8::/129', 'at most 128'],
      ['10.1/8', 'four dot-separated decimal octets'],
      ['010.0.0.0/8', 'leading zero'],
      ['fe80::%eth0/64', 'zone id'],
      ['evil.com/24', 'four dot-separated decimal octets'],
    ])('rejects %j (%s)', (raw, reason) => {
      const out = normalizeIndicator({ type: 'cidr', value: raw });
      expect(out).toMatchObject({ type: 'cidr', canonicalValue: null });
      expect(out.rejection).toContain(reason);
    });
  });

  describe('URLs', () => {
    it.each<[string, string]>([
      ['http://EXAMPLE.com:80/a%7eb', 'http://example.com/a~b'],
      ['https://example.com:443/', 'https://example.com/'],
      ['https://example.com', 'https://example.com/'],
      ['HTTPS://Evil.Example.COM/Payload.EXE', 'https://evil.example.com/Payload.EXE'],
      ['https://example.com:8443/a', 'https://example.com:8443/a'],
      ['http://example.com:443/', 'http://example.com:443/'],
      ['https://example.com/a%2fb%3F', 'https://example.com/a%2Fb%3F'],
      ['https://example.com/%41%42%2d%5F%2E%7E', 'https://example.com/AB-_.~'],
      ['https://example.com/a b', 'https://example.com/a%20b'],
      ['https://example.com/ä', 'https://example.com/%C3%A4'],
      ['https://example.com/a/./b/../c', 'https://example.com/a/c'],
      ['https://example.com/search?q=%7e&x=%2f', 'https://example.com/search?q=~&x=%2F'],
      ['https://example.com/x?', 'https://example.com/x'],
      ['https://example.com/x#fragment', 'https://example.com/x'],
      ['https://example.com/x?a=1#frag', 'https://example.com/x?a=1'],
      ['https://example.com./x', 'https://example.com/x'],
      ['https://user:p%61ss@example.com/', 'https://user:pass@example.com/'],
      ['http://192.0.2.1:8080/gate.php', 'http://192.0.2.1:8080/gate.php'],
      ['http://0x7f.1/', 'http://127.0.0.1/'],
      ['http://[2001:DB8:0::1]:80/', 'http://[2001:db8::1]/'],
      ['ftp://files.example.org:21/a', 'ftp://files.example.org/a'],
      ['ftps://files.example.org:990/a', 'ftps://files.example.org/a'],
      ['ftps://Files.Example.org:21/a', 'ftps://files.example.org:21/a'],
      ['ftps://files.example.org/a', 'ftps://files.example.org/a'],
      ['ws://example.com:80/socket', 'ws://example.com/socket'],
      ['wss://example.com:443/socket', 'wss://example.com/socket'],
      ['hxxps://evil[.]example[.]com/path', 'https://evil.example.com/path'],
      ['hxxp[:]//evil[.]com/a?b=c', 'http://evil.com/a?b=c'],
      ['<https://evil.com/a>', 'https://evil.com/a'],
      ['http://evil.duckdns.org/x', 'http://evil.duckdns.org/x'],
      // what WHATWG parsing leaves but RFC 3986 does not allow is percent-encoded; sub-delims stay
      ['http://evil.example/]', 'http://evil.example/%5D'],
      ['http://evil.example/a[0]^|b', 'http://evil.example/a%5B0%5D%5E%7Cb'],
      ['http://evil.example/?q=[1]\\^`{|}', 'http://evil.example/?q=%5B1%5D%5C%5E%60%7B%7C%7D'],
      ['http://evil.example/%zz/100%?a=%&b=%4', 'http://evil.example/%25zz/100%25?a=%25&b=%254'],
      ['http://u%:p|w@evil.example/', 'http://u%25:p%7Cw@evil.example/'],
      ["http://evil.example/it's;a=(b)*!$,+@:~?x='y'", "http://evil.example/it's;a=(b)*!$,+@:~?x=%27y%27"],
      ['http://evil.example/%5d%7C', 'http://evil.example/%5D%7C'],
    ])('canonicalizes %j as %j', (raw, canonicalValue) => {
      expect(accepted('url', raw).canonicalValue).toBe(canonicalValue);
    });

    it.each<[string, string]>([
      ['http://bücher.de/a', 'http://xn--bcher-kva.de/a'],
      ['https://ПРИМЕР.рф/', 'https://xn--e1afmkfd.xn--p1ai/'],
    ])('converts the IDN host of %j to punycode', (raw, canonicalValue) => {
      expect(normalizeIndicator({ type: 'url', value: raw })).toMatchObject({ canonicalValue, flags: ['idn'] });
    });

    it.each<[string, string, IndicatorFlag[]]>([
      ['http://C2.Evil.BIT/gate.php', 'http://c2.evil.bit/gate.php', ['unknown-suffix']],
      ['https://host.corp.internal:8443/x', 'https://host.corp.internal:8443/x', ['unknown-suffix']],
      ['http://bücher.example/', 'http://xn--bcher-kva.example/', ['idn', 'unknown-suffix']],
      ['hxxp://c2[.]evil[.]bit/', 'http://c2.evil.bit/', ['refanged', 'unknown-suffix']],
      ['http://expyuzz4wqqyqhjn.onion/', 'http://expyuzz4wqqyqhjn.onion/', []],
    ])('keeps the URL %j whose host is under a suffix the list lacks as %j %j', (raw, canonicalValue, flags) => {
      expect(normalizeIndicator({ type: 'url', value: raw })).toEqual({
        type: 'url',
        rawValue: raw,
        canonicalValue,
        flags,
        rejection: null,
      });
    });

    it('does not flag a punycode host as IDN', () => {
      expect(normalizeIndicator({ type: 'url', value: 'http://xn--bcher-kva.de/ä' }).flags).toEqual([]);
    });

    it.each<[string, string]>([
      ['javascript:alert(1)', 'URL scheme "javascript" is not accepted'],
      ['file:///etc/passwd', 'URL scheme "file" is not accepted'],
      ['mailto:alice@example.com', 'URL scheme "mailto" is not accepted'],
      ['data:text/html,hi', 'URL scheme "data" is not accepted'],
      ['SMB://host/share', 'URL scheme "smb" is not accepted'],
      ['hxxpx://evil.com/', 'URL scheme "hxxpx" is not accepted'],
      ['//example.com/a', 'not an absolute URL'],
      ['/a/b', 'not an absolute URL'],
      ['example.com/a', 'not an absolute URL'],
      ['http:example.com', 'not an absolute URL'],
      ['http://', 'not a valid URL'],
      ['http://exa mple.com/', 'not a valid URL'],
      ['http://[::1/', 'not a valid URL'],
      ['http://ex\nample.com/', 'control characters'],
      ['http://localhost:8080/', 'URL host: not under a known public suffix'],
      ['http://intranet/', 'URL host: not under a known public suffix'],
      ['http://host.a/', 'URL host: not under a known public suffix'],
      ['http://host.123/', 'not a valid URL'],
      ['http://co.uk/', 'URL host: is a public suffix, not a domain'],
      ['http://evil_!.com/', 'URL host: domain name with characters other than'],
      [`https://example.com/${'ä'.repeat(400)}`, 'longer than 2048 characters once normalized'],
    ])('rejects %j (%s)', (raw, reason) => {
      const out = normalizeIndicator({ type: 'url', value: raw });
      expect(out).toMatchObject({ type: 'url', canonicalValue: null });
      expect(out.rejection).toContain(reason);
    });
  });

  describe('e-mail addresses', () => {
    it.each<[string, string, IndicatorFlag[]]>([
      ['alice@example.com', 'alice@example.com', []],
      ['Alice@Example.COM', 'Alice@example.com', []],
      [' bob.smith+tag@mail.example.org ', 'bob.smith+tag@mail.example.org', []],
      ['alice @ example.com', 'alice@example.com', []],
      ['alice@example.com.', 'alice@example.com', []],
      ['"john doe"@example.com', '"john doe"@example.com', []],
      ['alice@bücher.de', 'alice@xn--bcher-kva.de', ['idn']],
      ['jörg@example.com', 'jörg@example.com', []],
      ['alice[at]example[.]com', 'alice@example.com', ['refanged']],
      ['alice(at)example(dot)com', 'alice@example.com', ['refanged']],
      // the local part is refanged too: reports defang every dot of an address (`{.}` in one is legal but unseen)
      ['first[.]last[at]example[.]com', 'first.last@example.com', ['refanged']],
      ['first{.}last@example.com', 'first.last@example.com', ['refanged']],
    ])('canonicalizes %j as %j', (raw, canonicalValue, flags) => {
      expect(normalizeIndicator({ type: 'email', value: raw })).toEqual({
        type: 'email',
        rawValue: raw,
        canonicalValue,
        flags,
        rejection: null,
      });
    });

    it.each<[string, string, IndicatorFlag[]]>([
      ['alice@corp.internal', 'alice@corp.internal', ['unknown-suffix']],
      ['Bob@Mail.Evil.BIT.', 'Bob@mail.evil.bit', ['unknown-suffix']],
      ['alice[at]corp[.]lan', 'alice@corp.lan', ['refanged', 'unknown-suffix']],
    ])('keeps the e-mail address %j whose domain is under a suffix the list lacks as %j %j', (raw, value, flags) => {
      expect(normalizeIndicator({ type: 'email', value: raw })).toEqual({
        type: 'email',
        rawValue: raw,
        canonicalValue: value,
        flags,
        rejection: null,
      });
    });

    it.each<[string, string]>([
      ['alice.example.com', 'no @'],
      ['@example.com', 'empty local part'],
      [`${'a'.repeat(65)}@example.com`, 'longer than 64'],
      ['al ice@example.com', 'spaces or @'],
      ['a@b@example.com', 'spaces or @'],
      ['alice@localhost', 'e-mail domain: not under a known public suffix'],
      ['alice@corp.1', 'e-mail domain: not under a known public suffix'],
      ['alice@co.uk', 'e-mail domain: is a public suffix, not a domain'],
      ['alice@', 'e-mail domain'],
      ['alice@[192.0.2.1]', 'e-mail domain'],
      ['alice@exa mple.com', 'e-mail domain'],
    ])('rejects %j (%s)', (raw, reason) => {
      const out = normalizeIndicator({ type: 'email', value: raw });
      expect(out).toMatchObject({ type: 'email', canonicalValue: null });
      expect(out.rejection).toContain(reason);
    });
  });

  describe('hashes', () => {
    it.each<[IndicatorType, string, string]>([
      ['md5', MD5, MD5],
      ['md5', MD5.toUpperCase(), MD5],
      ['md5', `  ${MD5}\n`, MD5],
      ['md5', `"${MD5}",`, MD5],
      ['sha1', SHA1.toUpperCase(), SHA1],
      ['sha256', SHA256, SHA256],
      ['sha256', SHA256.toUpperCase(), SHA256],
      ['sha512', SHA512.toUpperCase(), SHA512],
    ])('canonicalizes the %s %j', (type, raw, canonicalValue) => {
      expect(normalizeIndicator({ type, value: raw })).toMatchObject({ type, canonicalValue, rejection: null });
    });

    it.each<[IndicatorType, string, string]>([
      ['md5', MD5.slice(1), 'a md5 hash has 32 hex digits, not 31'],
      ['md5', `${MD5}0`, 'a md5 hash has 32 hex digits, not 33'],
      ['md5', SHA1, 'a md5 hash has 32 hex digits, not 40'],
      ['sha1', MD5, 'a sha1 hash has 40 hex digits, not 32'],
      ['sha256', SHA512, 'a sha256 hash has 64 hex digits, not 128'],
      ['sha512', SHA256, 'a sha512 hash has 128 hex digits, not 64'],
      ['md5', `${MD5.slice(1)}g`, 'not a hexadecimal md5 hash'],
      ['sha1', `0x${SHA1.slice(2)}`, 'not a hexadecimal sha1 hash'],
      ['sha256', `${SHA256.slice(0, 32)} ${SHA256.slice(32)}`, 'not a hexadecimal sha256 hash'],
      ['md5', '', 'empty value'],
    ])('rejects the %s %j', (type, raw, reason) => {
      expect(normalizeIndicator({ type, value: raw })).toMatchObject({ type, canonicalValue: null, rejection: reason });
    });
  });

  describe('CVE ids', () => {
    it.each<[string, string]>([
      ['CVE-2021-44228', 'CVE-2021-44228'],
      ['cve-2021-44228', 'CVE-2021-44228'],
      ['Cve-2014-0160', 'CVE-2014-0160'],
      ['CVE-2024-1234567', 'CVE-2024-1234567'],
      ['CVE\u20112021\u201144228', 'CVE-2021-44228'],
      [' CVE-2021-44228. ', 'CVE-2021-44228'],
    ])('canonicalizes %j as %j', (raw, canonicalValue) => {
      expect(accepted('cve', raw).canonicalValue).toBe(canonicalValue);
    });

    it.each<[string, string]>([
      ['CVE-2021-123', 'not a CVE id'],
      ['CVE-21-44228', 'not a CVE id'],
      ['CVE-2021', 'not a CVE id'],
      ['2021-44228', 'not a CVE id'],
      ['CVE_2021_44228', 'not a CVE id'],
      ['CVE-2021-44228x', 'not a CVE id'],
      ['CVE-2021-044228', 'no leading zero'],
    ])('rejects %j (%s)', (raw, reason) => {
      const out = normalizeIndicator({ type: 'cve', value: raw });
      expect(out).toMatchObject({ type: 'cve', canonicalValue: null });
      expect(out.rejection).toContain(reason);
    });
  });

  describe('AS numbers', () => {
    it.each<[string, string]>([
      ['AS13335', 'AS13335'],
      ['as13335', 'AS13335'],
      ['ASN13335', 'AS13335'],
      ['asn13335', 'AS13335'],
      ['ASN 13335', 'AS13335'],
      ['AS 13335', 'AS13335'],
      ['13335', 'AS13335'],
      ['AS0064496', 'AS64496'],
      ['0', 'AS0'],
      ['AS4294967295', 'AS4294967295'],
      ['AS1.10', 'AS65546'],
      ['AS65535.65535', 'AS4294967295'],
    ])('canonicalizes %j as %j', (raw, canonicalValue) => {
      expect(accepted('asn', raw).canonicalValue).toBe(canonicalValue);
    });

    it.each<[string, string]>([
      ['AS4294967296', 'at most 4294967295'],
      ['99999999999', 'at most 4294967295'],
      ['AS65536.1', 'at most 65535'],
      ['AS', 'not an AS number'],
      ['AS-13335', 'not an AS number'],
      ['AS13335x', 'not an AS number'],
      ['AS  13335', 'not an AS number'],
      ['-1', 'not an AS number'],
      ['1e5', 'not an AS number'],
    ])('rejects %j (%s)', (raw, reason) => {
      const out = normalizeIndicator({ type: 'asn', value: raw });
      expect(out).toMatchObject({ type: 'asn', canonicalValue: null });
      expect(out.rejection).toContain(reason);
    });
  });

  describe('type inference', () => {
    it.each<[string, IndicatorType, string, IndicatorFlag[]]>([
      ['hxxps://evil[.]example[.]com/path', 'url', 'https://evil.example.com/path', ['refanged', 'type-inferred']],
      ['Example.COM.', 'domain', 'example.com', ['type-inferred']],
      ['bücher.de', 'domain', 'xn--bcher-kva.de', ['type-inferred', 'idn']],
      ['evil dot example dot com', 'domain', 'evil.example.com', ['refanged', 'type-inferred']],
      ['192[.]0[.]2[.]1', 'ipv4', '192.0.2.1', ['refanged', 'type-inferred']],
      ['::ffff:192.0.2.1', 'ipv4', '192.0.2.1', ['type-inferred']],
      ['2001:DB8:0:0:0:0:0:1', 'ipv6', '2001:db8::1', ['type-inferred']],
      ['10.1.2.3/8', 'cidr', '10.0.0.0/8', ['type-inferred']],
      ['alice[at]example[.]com', 'email', 'alice@example.com', ['refanged', 'type-inferred']],
      [MD5.toUpperCase(), 'md5', MD5, ['type-inferred']],
      [SHA512, 'sha512', SHA512, ['type-inferred']],
      ['cve-2021-44228', 'cve', 'CVE-2021-44228', ['type-inferred']],
      ['ASN 13335', 'asn', 'AS13335', ['type-inferred']],
    ])('infers %j as %s', (raw, type, canonicalValue, flags) => {
      expect(normalizeIndicator({ value: raw })).toEqual({
        type,
        rawValue: raw,
        canonicalValue,
        flags,
        rejection: null,
      });
    });

    it.each<[string, IndicatorType, string]>([
      ['127.1', 'ipv4', 'four dot-separated decimal octets'],
      ['0x7f.0.0.1', 'ipv4', 'hexadecimal'],
      ['010.0.0.1', 'ipv4', 'leading zero'],
      ['fe80::1%eth0', 'ipv6', 'zone id'],
      ['co.uk', 'domain', 'is a public suffix, not a domain'],
      ['javascript://alert', 'url', 'URL scheme "javascript" is not accepted'],
      // nothing inferable: type domain; a dotted name gets the domain rule's reason …
      ['foo.invalid', 'domain', 'not under a known public suffix'],
      ['bücher.example', 'domain', 'not under a known public suffix'],
      ['a..b', 'domain', 'empty label'],
      // … anything else "could not infer the indicator type"
      ['localhost', 'domain', 'could not infer the indicator type'],
      ['13335', 'domain', 'could not infer the indicator type'],
      ['deadbeef', 'domain', 'could not infer the indicator type'],
      ['evil.com/path', 'domain', 'could not infer the indicator type'],
      ['not an indicator', 'domain', 'could not infer the indicator type'],
      ['', 'domain', 'empty value'],
      ['  ', 'domain', 'empty value'],
    ])('rejects the untyped %j as %s (%s)', (raw, type, reason) => {
      const out = normalizeIndicator({ value: raw });
      expect(out).toMatchObject({ type, canonicalValue: null });
      expect(out.rejection).toContain(reason);
      expect(out.flags).toContain('type-inferred');
    });
  });

  describe('length limit', () => {
    it.each<[IndicatorType | undefined, string, IndicatorType]>([
      ['url', `https://example.com/${'a'.repeat(MAX_INDICATOR_LENGTH)}`, 'url'],
      [undefined, `https://example.com/${'a'.repeat(MAX_INDICATOR_LENGTH)}`, 'url'],
      [undefined, 'a'.repeat(MAX_INDICATOR_LENGTH + 1), 'domain'],
      ['md5', ' '.repeat(MAX_INDICATOR_LENGTH + 1), 'md5'],
    ])('rejects a %s value over 2,048 characters', (type, raw, expectedType) => {
      expect(normalizeIndicator(type === undefined ? { value: raw } : { type, value: raw })).toMatchObject({
        type: expectedType,
        canonicalValue: null,
        rejection: 'longer than 2048 characters',
      });
    });

    it('accepts a URL of exactly 2,048 characters', () => {
      const raw = `https://example.com/${'a'.repeat(MAX_INDICATOR_LENGTH - 'https://example.com/'.length)}`;
      expect(accepted('url', raw).canonicalValue).toBe(raw);
    });
  });

  it('keeps the raw value exactly as sent', () => {
    const raw = '  hxxp://Evil[.]COM/x#y  ';
    expect(normalizeIndicator({ type: 'url', value: raw }).rawValue).toBe(raw);
  });

  it('settles a URL whose decoded escapes spell a defanging token', () => {
    expect(normalizeIndicator({ type: 'url', value: 'http://example.com/a(%2E)b' })).toMatchObject({
      canonicalValue: 'http://example.com/a.b',
      flags: ['refanged'],
    });
    // brackets are not allowed in a path: escaped, they spell no token
    expect(normalizeIndicator({ type: 'url', value: 'http://example.com/a[%2E]b' })).toMatchObject({
      canonicalValue: 'http://example.com/a%5B.%5Db',
      flags: [],
    });
  });

  describe('properties', () => {
    const anyType = fc.option(fc.constantFrom(...INDICATOR_TYPES), { nil: undefined });
    const junk = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefx.:/%[]()@ASCVEhtps-_~?#'), maxLength: 60 }),
    );

    it('never throws, whatever the type and string, and returns a canonical value or a reason', () => {
      fc.assert(
        fc.property(anyType, junk, (type, value) => {
          const out = normalizeIndicator(type === undefined ? { value } : { type, value });
          expectWellFormed(out, value);
          expectFixedPoint(out);
        }),
        { numRuns: 3000 },
      );
    });

    it('makes every accepted URL a valid RFC 3986 URI: only allowed characters, `%` only in escapes', () => {
      const awkward = fc.string({ unit: fc.constantFrom(...'a/?#%[]\\^|`{}<>"\' @:;=&+.~-ä'), maxLength: 30 });
      const uriChars = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?[\]]*$/;
      fc.assert(
        fc.property(awkward, awkward, (userAndPath, query) => {
          for (const raw of [`http://evil.example/${userAndPath}?${query}`, `https://${userAndPath}@evil.example/`]) {
            const out = normalizeIndicator({ type: 'url', value: raw });
            if (out.canonicalValue !== null) {
              expect(out.canonicalValue.replace(/%[0-9A-F]{2}/g, '')).toMatch(uriChars);
              expectFixedPoint(out);
            }
          }
        }),
        { numRuns: 500 },
      );
    });

    it('accepts generated IPv4 addresses as they are', () => {
      fc.assert(
        fc.property(fc.ipV4(), (ip) => {
          expect(normalizeIndicator({ type: 'ipv4', value: ip })).toMatchObject({
            canonicalValue: ip,
            rejection: null,
          });
          expect(normalizeIndicator({ value: ip })).toMatchObject({ type: 'ipv4', canonicalValue: ip });
        }),
      );
    });

    it('rejects the non-strict IPv4 notations fast-check generates, or accepts them unchanged', () => {
      fc.assert(
        fc.property(fc.ipV4Extended(), (ip) => {
          const out = normalizeIndicator({ type: 'ipv4', value: ip });
          expect(out.canonicalValue === null || out.canonicalValue === ip).toBe(true);
        }),
      );
    });

    it('accepts generated IPv6 addresses, canonically and idempotently', () => {
      fc.assert(
        fc.property(fc.ipV6(), (ip) => {
          const out = normalizeIndicator({ type: 'ipv6', value: ip });
          expect(out.rejection).toBeNull();
          expect(out.canonicalValue).toMatch(out.type === 'ipv4' ? /^[\d.]+$/ : /^[0-9a-f:]+$/);
          expectFixedPoint(out);
          expect(normalizeIndicator({ value: ip })).toMatchObject({ canonicalValue: out.canonicalValue });
        }),
      );
    });

    it('accepts generated CIDR blocks as their network address', () => {
      fc.assert(
        fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, length) => {
          const out = accepted('cidr', `${ip}/${length}`);
          expect(out.canonicalValue?.endsWith(`/${length}`)).toBe(true);
          expectFixedPoint(out);
        }),
      );
      fc.assert(
        fc.property(fc.ipV6(), fc.integer({ min: 0, max: 128 }), (ip, length) => {
          expectFixedPoint(accepted('cidr', `${ip}/${length}`));
        }),
      );
    });

    it('accepts generated domains, or rejects them for their suffix', () => {
      fc.assert(
        fc.property(fc.domain(), (domain) => {
          const out = normalizeIndicator({ type: 'domain', value: domain });
          if (out.rejection !== null) {
            expect(SUFFIX_REASONS).toContain(out.rejection);
          }
          expect(out.canonicalValue === null || out.canonicalValue === domain.toLowerCase()).toBe(true);
          expectFixedPoint(out);
        }),
        { numRuns: 500 },
      );
    });

    it('keeps generated names under a suffix the list lacks as domains, URL hosts and e-mail domains, flagged', () => {
      const unknownTld = fc
        .stringMatching(/^[a-z][a-z0-9]{1,11}$/)
        .filter((tld) => !isIcann(`x.${tld}`) && !isIcann(tld));
      // fc.emailAddress() may put a defanging token (`{.}`, `{at}`) in the local part: refang undoes it, as the
      // table above shows, which would add `refanged` (or an unquoted `@`); here only the suffix is under test.
      const plainEmail = fc.emailAddress().filter((address) => !refang(address).changed);
      fc.assert(
        fc.property(fc.domain({ size: 'small' }), unknownTld, plainEmail, (domain, tld, email) => {
          const name = `${domain}.${tld}`;
          const out = normalizeIndicator({ type: 'domain', value: name.toUpperCase() });
          expect(out).toEqual({
            type: 'domain',
            rawValue: name.toUpperCase(),
            canonicalValue: name.toLowerCase(),
            flags: ['unknown-suffix'],
            rejection: null,
          });
          expectFixedPoint(out);
          const url = normalizeIndicator({ type: 'url', value: `https://${name}/a` });
          expect(url).toMatchObject({ canonicalValue: `https://${name.toLowerCase()}/a`, flags: ['unknown-suffix'] });
          expectFixedPoint(url);
          const address = `${email.slice(0, email.lastIndexOf('@'))}@${name}`;
          const mail = normalizeIndicator({ type: 'email', value: address });
          expect(mail).toMatchObject({ type: 'email', flags: ['unknown-suffix'], rejection: null });
          expectFixedPoint(mail);
          // untyped, it is not taken for a domain: free text is full of dotted words that are no host names
          expect(normalizeIndicator({ value: name })).toMatchObject({
            canonicalValue: null,
            rejection: 'not under a known public suffix',
          });
        }),
        { numRuns: 300 },
      );
    });

    it('flags unknown-suffix exactly the accepted names that tldts places under no ICANN suffix', () => {
      fc.assert(
        fc.property(fc.domain(), (domain) => {
          const out = normalizeIndicator({ type: 'domain', value: domain });
          if (out.canonicalValue !== null) {
            expect(out.flags.includes('unknown-suffix')).toBe(!isIcann(out.canonicalValue));
          }
        }),
        { numRuns: 500 },
      );
    });

    it('accepts generated host names under a known public suffix', () => {
      const suffix = fc.constantFrom('com', 'org', 'de', 'co.uk', 'xn--p1ai', 'github.io', 'bücher.de');
      fc.assert(
        fc.property(fc.domain({ size: 'small' }), suffix, (domain, tld) => {
          const out = accepted('domain', `${domain.toUpperCase()}.${tld}`);
          expectFixedPoint(out);
        }),
        { numRuns: 500 },
      );
    });

    it('accepts generated URLs, or rejects them for their host suffix, idempotently', () => {
      fc.assert(
        fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
          const out = normalizeIndicator({ type: 'url', value: url });
          if (out.rejection !== null) {
            expect(SUFFIX_REASONS.map((r) => `URL host: ${r}`)).toContain(out.rejection);
          }
          expectFixedPoint(out);
          expect(normalizeIndicator({ value: url })).toMatchObject({ type: 'url', canonicalValue: out.canonicalValue });
        }),
        { numRuns: 500 },
      );
    });

    it('accepts generated URLs on a known host', () => {
      fc.assert(
        fc.property(
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.constantFrom('example.com', 'evil.example.co.uk', 'xn--bcher-kva.de', '192.0.2.1', '[2001:db8::1]'),
          (url, host) => {
            const u = new URL(url);
            u.host = host;
            const out = accepted('url', u.href);
            expect(out.canonicalValue).not.toContain('#');
            expectFixedPoint(out);
          },
        ),
        { numRuns: 500 },
      );
    });

    it('accepts generated e-mail addresses, or rejects them for their domain suffix, idempotently', () => {
      fc.assert(
        fc.property(fc.emailAddress(), (email) => {
          const out = normalizeIndicator({ type: 'email', value: email });
          if (out.rejection !== null) {
            expect(SUFFIX_REASONS.map((r) => `e-mail domain: ${r}`)).toContain(out.rejection);
          }
          expectFixedPoint(out);
        }),
        { numRuns: 500 },
      );
    });

    it('accepts hex strings of the right length as hashes, lower-cased', () => {
      const hashes: [IndicatorType, number][] = [
        ['md5', 32],
        ['sha1', 40],
        ['sha256', 64],
        ['sha512', 128],
      ];
      for (const [type, length] of hashes) {
        fc.assert(
          fc.property(hex(length), (value) => {
            expect(normalizeIndicator({ value })).toEqual({
              type,
              rawValue: value,
              canonicalValue: value.toLowerCase(),
              flags: ['type-inferred'],
              rejection: null,
            });
            expectFixedPoint(accepted(type, value));
          }),
        );
      }
    });

    it('accepts generated CVE ids and AS numbers', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1999, max: 2099 }), fc.integer({ min: 1, max: 99_999_999 }), (year, n) => {
          const raw = `cve-${year}-${String(n).padStart(4, '0')}`;
          expect(normalizeIndicator({ value: raw })).toMatchObject({ type: 'cve', canonicalValue: raw.toUpperCase() });
        }),
      );
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 4_294_967_295 }), (n) => {
          expect(normalizeIndicator({ value: `asn${n}` })).toMatchObject({ type: 'asn', canonicalValue: `AS${n}` });
          expect(normalizeIndicator({ type: 'asn', value: String(n) })).toMatchObject({ canonicalValue: `AS${n}` });
        }),
      );
    });
  });
});
