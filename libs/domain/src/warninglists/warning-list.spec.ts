import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDICATOR_TYPES, type IndicatorType } from '../alerts/indicator-types';
import { importMispEvent } from '../formats/misp';
import { normalizeIndicators } from '../indicators/normalize-indicators';
import { parseMispWarningList } from './parse-warning-list';
import {
  MAX_REASON_LENGTH,
  MAX_REGEX_INPUT_LENGTH,
  compileRegex,
  compileWarningLists,
  hasNestedQuantifier,
  type MispWarningList,
} from './warning-list';

/** The shipped lists (MISP format), read the way the loader does: one folder per list, folder-name order. */
const DATA_DIR = resolve(__dirname, '../../../normalization/data/warninglists');
const FOLDERS = readdirSync(DATA_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const LISTS = new Map<string, MispWarningList>(
  FOLDERS.map((folder) => {
    const parsed = parseMispWarningList(JSON.parse(readFileSync(join(DATA_DIR, folder, 'list.json'), 'utf8')));
    if (!parsed.ok) {
      throw new Error(`${folder}: ${JSON.stringify(parsed.error)}`);
    }
    return [folder, parsed.value];
  }),
);
const real = compileWarningLists([...LISTS.values()]);
const nameOf = (folder: string): string => {
  const list = LISTS.get(folder);
  if (!list) {
    throw new Error(`no list ${folder}`);
  }
  return list.name;
};

const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
/** The free-mail providers of the phishing fixture's senders. */
const FREE_MAIL = /@(?:gmail|googlemail|hotmail|outlook|live|msn|yahoo|icloud|aol)\.(?:com|co\.uk)$/;
const RANDOM_SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

function list(type: MispWarningList['type'], entries: string[], extra: Partial<MispWarningList> = {}): MispWarningList {
  return { name: `${type} list`, description: `a ${type} list`, type, list: entries, ...extra };
}

describe(compileWarningLists.name, () => {
  describe('with the shipped lists', () => {
    it('compiles every list with no entry left out and each consulted for some indicator type', () => {
      expect(real.lists).toHaveLength(FOLDERS.length);
      for (const info of real.lists) {
        expect(info.skipped, info.name).toEqual([]);
        expect(info.entries, info.name).toBeGreaterThan(0);
        expect(info.indicatorTypes.length, info.name).toBeGreaterThan(0);
      }
    });

    it.each<[IndicatorType, string, string]>([
      // private (RFC 1918; also in rfc5735, the smaller list wins)
      ['ipv4', '10.1.2.3', 'rfc1918'],
      ['ipv4', '172.16.0.1', 'rfc1918'],
      ['ipv4', '172.31.255.254', 'rfc1918'],
      ['ipv4', '192.168.1.1', 'rfc1918'],
      // loopback, this network, link-local, documentation, benchmarking, reserved, broadcast
      ['ipv4', '127.0.0.1', 'rfc5735'],
      ['ipv4', '0.0.0.0', 'rfc5735'],
      ['ipv4', '169.254.1.1', 'rfc5735'],
      ['ipv4', '192.0.2.1', 'rfc5735'],
      ['ipv4', '198.51.100.7', 'rfc5735'],
      ['ipv4', '203.0.113.9', 'rfc5735'],
      ['ipv4', '198.19.255.1', 'rfc5735'],
      ['ipv4', '240.0.0.1', 'rfc5735'],
      ['ipv4', '255.255.255.255', 'rfc5735'],
      // multicast 224/4 is in rfc5735 (15 entries) and multicast (16): the smaller list gives the reason
      ['ipv4', '224.0.0.1', 'rfc5735'],
      ['ipv4', '239.255.255.250', 'rfc5735'],
      ['ipv4', '100.64.0.1', 'rfc6598'],
      ['ipv4', '8.8.8.8', 'public-dns-v4'],
      ['ipv4', '1.1.1.1', 'public-dns-v4'],
      ['ipv4', '9.9.9.9', 'public-dns-v4'],
      ['ipv4', '146.112.61.104', 'sinkholes'],
      ['ipv4', '143.215.130.77', 'sinkholes'],
      ['ipv6', '::1', 'tocsin-reserved-ranges'],
      ['ipv6', '::', 'tocsin-reserved-ranges'],
      ['ipv6', 'fe80::1', 'ipv6-linklocal'],
      ['ipv6', 'FE80::1%eth0', 'ipv6-linklocal'],
      ['ipv6', 'ff02::1', 'tocsin-reserved-ranges'],
      ['ipv6', 'fd12:3456:789a::1', 'tocsin-reserved-ranges'],
      ['ipv6', '2001:db8::1', 'rfc3849'],
      ['ipv6', '3fff:1::1', 'tocsin-reserved-ranges'],
      ['ipv6', '2001:4860:4860::8888', 'public-dns-v6'],
      ['ipv6', '2606:4700:4700::1111', 'public-dns-v6'],
      // an IPv4-mapped address is judged by its IPv4 first, then as a mapped address
      ['ipv6', '::ffff:10.1.2.3', 'rfc1918'],
      ['ipv6', '::ffff:8.8.8.8', 'public-dns-v4'],
      ['ipv6', '::ffff:5.6.7.8', 'tocsin-reserved-ranges'],
      ['cidr', '10.20.0.0/16', 'rfc1918'],
      ['cidr', '192.168.0.0/16', 'rfc1918'],
      ['cidr', '8.8.8.8/32', 'public-dns-v4'],
      ['cidr', '2001:db8:1::/48', 'rfc3849'],
      ['cidr', 'fc00::/7', 'tocsin-reserved-ranges'],
      ['domain', 'google.com', 'google'],
      ['domain', 'mail.google.com', 'google'],
      ['domain', 'www.google.co.uk', 'google'],
      ['domain', 'gmail.com', 'google'],
      ['domain', 'login.live.com', 'microsoft'],
      ['domain', 'apple.com', 'cisco_top1000'],
      ['domain', 'example.com', 'tocsin-reserved-names'],
      ['domain', 'www.example.org', 'tocsin-reserved-names'],
      ['domain', '10.in-addr.arpa', 'rfc6761'],
      ['domain', 'printer.local', 'tocsin-reserved-names'],
      ['domain', 'foo.test', 'tocsin-reserved-names'],
      ['domain', 'router.home.arpa', 'tocsin-reserved-names'],
      ['md5', EMPTY_MD5, 'empty-hashes'],
      ['sha1', EMPTY_SHA1, 'empty-hashes'],
      ['sha256', EMPTY_SHA256, 'empty-hashes'],
      ['sha512', EMPTY_SHA512, 'empty-hashes'],
      // URLs: only lists naming a URL type (google, microsoft, cisco_top1000, tocsin-reserved-names), by their host
      ['url', 'https://mail.google.com/mail/u/0/', 'google'],
      ['url', 'https://login.live.com/x', 'microsoft'],
      ['url', 'http://localhost/phpmyadmin', 'tocsin-reserved-names'],
      ['url', 'http://evil.test./x', 'tocsin-reserved-names'],
      // e-mail addresses: only tocsin-reserved-names names e-mail types, and checks them by their domain
      ['email', 'postmaster@example.com', 'tocsin-reserved-names'],
      ['email', 'admin@dc01.corp.internal', 'tocsin-reserved-names'],
      ['email', 'user@printer.local', 'tocsin-reserved-names'],
    ])('flags %s %s as in %s', (type, value, folder) => {
      expect(real.match(type, value)?.list).toBe(nameOf(folder));
    });

    it.each<[IndicatorType, string]>([
      ['ipv4', '8.8.4.5'],
      ['ipv4', '198.51.99.1'],
      ['ipv4', '11.0.0.1'],
      ['ipv4', '172.32.0.1'],
      ['ipv4', '100.128.0.1'],
      ['ipv4', '192.88.100.1'],
      ['ipv6', '2001:db9::1'],
      ['ipv6', '2a00:1450:4001:80b::200e'],
      ['ipv6', 'fe00::1'],
      ['cidr', '10.0.0.0/7'],
      ['cidr', '8.8.8.0/24'],
      ['cidr', '2001:db8::/31'],
      ['domain', 'evil-example.net'],
      ['domain', 'notgoogle.com'],
      ['domain', 'google.com.evil.net'],
      ['domain', 'googlemail.com.attacker.xyz'],
      ['domain', 'example.com.evil.net'],
      ['domain', 'latest.onion'],
      ['domain', 'c2.evil.bit'],
      ['url', 'http://google.com.evil.net/login'],
      ['url', 'https://evil.attacker.xyz/?next=https://google.com'],
      ['url', 'https://8.8.4.5/'],
      ['email', 'ceo@notgoogle.com'],
      ['email', 'google.com@evil.net'],
      // only tocsin-reserved-names names e-mail types: a sender at a free-mail provider is not a benign domain
      ['email', 'someone@gmail.com'],
      ['email', 'someone@mail.google.com'],
      ['email', 'someone@hotmail.com'],
      ['email', 'someone@outlook.com'],
      ['email', 'root@[10.0.0.1]'],
      // the IP lists name ip-src/ip-dst…, not url: as in MISP, a URL is not checked against them
      ['url', 'http://10.0.0.1:8080/admin'],
      ['url', 'https://user@[::1]:8443/x'],
      // cisco_top1000 is a string list naming url: its entries are names, compared with the whole URL
      ['url', 'https://apple.com/'],
      ['sha256', RANDOM_SHA256],
      ['md5', '0123456789abcdef0123456789abcdef'],
      ['cve', 'CVE-2021-44228'],
      ['asn', 'AS15169'],
    ])('does not flag %s %s', (type, value) => {
      expect(real.match(type, value)).toBeNull();
    });

    it('leaves the free-mail sender addresses of a phishing report unflagged, and flags gmail.com as a domain', () => {
      const doc: unknown = JSON.parse(
        readFileSync(resolve(__dirname, '../../../../test/fixtures/misp/phishing-freemail-senders.misp.json'), 'utf8'),
      );
      const imported = importMispEvent(doc);
      if (!imported.ok) {
        throw new Error(JSON.stringify(imported.error));
      }
      const indicators = normalizeIndicators(imported.value.indicators, (type, value) => real.match(type, value));
      const senders = indicators.filter((i) => i.type === 'email');
      const listed = indicators.filter((i) => i.flags.includes('warning-listed'));

      const freeMail = senders.filter((i) => FREE_MAIL.test(i.canonicalValue ?? ''));
      expect(senders).toHaveLength(29);
      expect(freeMail).toHaveLength(28);
      expect(senders.every((i) => i.rejection === null && i.warning === null)).toBe(true);
      // The free-mail domains themselves are in the google, microsoft and Cisco top-1000 lists (but aol.com)…
      const domains = new Set(freeMail.map((i) => (i.canonicalValue ?? '').split('@')[1] ?? ''));
      expect([...domains].filter((d) => real.match('domain', d) === null)).toEqual(['aol.com']);
      // … and only the domain indicator gmail.com is flagged in the report.
      expect(listed.map((i) => [i.type, i.canonicalValue, i.warning?.list])).toEqual([
        ['domain', 'gmail.com', nameOf('google')],
      ]);
    });

    it('gives the reason as "<list name>: <description>" within the length limit', () => {
      expect(real.match('ipv4', '10.1.2.3')).toEqual({
        list: 'List of RFC 1918 CIDR blocks',
        reason:
          'List of RFC 1918 CIDR blocks: Event contains one or more entries part of the private network CIDR blocks (RFC 1918)',
      });
      const long = real.match('ipv6', '::1');
      expect(long?.reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
      expect(long?.reason).toMatch(/^List of IPv6 special-purpose blocks \(Tocsin\): .*…$/);
    });
  });

  describe('MISP semantics', () => {
    it.each<[string, string, boolean]>([
      ['.google.com', 'google.com', true],
      ['.google.com', 'mail.google.com', true],
      ['.google.com', 'a.b.mail.google.com', true],
      ['.google.com', 'notgoogle.com', false],
      ['.google.com', 'google.com.evil.net', false],
      ['*.google.com', 'mail.google.com', true],
      ['google.com', 'google.com', true],
      ['google.com', 'GOOGLE.COM.', true],
      ['google.com', 'mail.google.com', false],
    ])('a string entry %s matches the domain %s: %s', (entry, value, matches) => {
      const m = compileWarningLists([list('string', [entry], { matching_attributes: ['domain'] })]);
      expect(m.match('domain', value) !== null).toBe(matches);
    });

    it.each<[string, string, boolean]>([
      ['example.net', 'example.net', true],
      ['example.net', 'www.example.net', true],
      ['.example.net.', 'deep.www.example.net', true],
      ['example.net', 'evil-example.net', false],
      ['example.net', 'example.network', false],
      ['localhost', 'localhost', true],
      ['localhost', 'app.localhost', true],
    ])('a hostname entry %s matches %s: %s', (entry, value, matches) => {
      const m = compileWarningLists([list('hostname', [entry])]);
      expect(m.match('domain', value) !== null).toBe(matches);
    });

    it.each<[IndicatorType, string, boolean]>([
      ['ipv4', '192.0.2.1', true],
      ['ipv4', '192.0.2.255', true],
      ['ipv4', '192.0.3.0', false],
      ['ipv4', '192.0.1.255', false],
      ['cidr', '192.0.2.128/25', true],
      ['cidr', '192.0.2.0/24', true],
      ['cidr', '192.0.2.0/23', false],
      ['ipv6', '2001:DB8:0:0:0:0:0:1', true],
      ['ipv6', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
      ['ipv6', '2001:db9::', false],
      ['cidr', '2001:db8:abcd::/48', true],
      ['cidr', '2001:db8::/16', false],
      ['ipv4', '198.51.100.7', true],
      ['ipv4', '198.51.100.8', false],
      ['domain', '192.0.2.1.example', false],
    ])('a cidr list matches %s %s: %s', (type, value, matches) => {
      const m = compileWarningLists([list('cidr', ['192.0.2.0/24', '2001:DB8::/32', '198.51.100.7'])]);
      expect(m.match(type, value) !== null).toBe(matches);
    });

    it('treats a CIDR made of adjacent listed blocks as inside the list', () => {
      const m = compileWarningLists([list('cidr', ['10.0.0.0/9', '10.128.0.0/9'])]);
      expect(m.match('cidr', '10.0.0.0/8')).not.toBeNull();
      expect(m.match('cidr', '10.0.0.0/7')).toBeNull();
    });

    it.each<[string, string, boolean]>([
      ['http://tracker.example/ping', 'tracker', true],
      ['http://TRACKER.example/ping', 'tracker', true],
      ['http://example.org/', 'tracker', false],
    ])('a substring list matches %s (needle %s): %s', (value, needle, matches) => {
      const m = compileWarningLists([list('substring', [needle], { matching_attributes: ['url'] })]);
      expect(m.match('url', value) !== null).toBe(matches);
    });

    it.each<[string, string, boolean]>([
      ['/^https?:\\/\\/[^/]+\\/wp-admin\\//i', 'https://site.example/WP-ADMIN/x', true],
      ['/^https?:\\/\\/[^/]+\\/wp-admin\\//', 'https://site.example/WP-ADMIN/x', false],
      ['#/favicon\\.ico$#', 'https://site.example/favicon.ico', true],
      ['\\.png$', 'https://site.example/a.png', true],
      ['\\.png$', 'https://site.example/a.png?x', false],
    ])('a regex entry %s matches %s: %s', (entry, value, matches) => {
      const m = compileWarningLists([list('regex', [entry])]);
      expect(m.lists[0]?.skipped).toEqual([]);
      expect(m.match('url', value) !== null).toBe(matches);
    });

    it('does not run regexes on values longer than the input limit', () => {
      const m = compileWarningLists([list('regex', ['a$'])]);
      expect(m.match('url', `http://x/${'a'.repeat(100)}`)).not.toBeNull();
      expect(m.match('url', `http://x/${'a'.repeat(MAX_REGEX_INPUT_LENGTH)}`)).toBeNull();
    });

    it('skips and reports invalid, unsafe and unsupported entries instead of failing', () => {
      const m = compileWarningLists([
        list('regex', ['/(unclosed/', '/^(a+)+$/', '/x/e', '/ok/']),
        list('cidr', ['10.0.0.0/33', 'not-an-ip', '010.0.0.1', '  ', '10.0.0.0/8']),
        list('substring', ['']),
      ]);
      expect(m.lists.map((l) => [l.entries, l.skipped.map((s) => s.entry)])).toEqual([
        [1, ['/(unclosed/', '/^(a+)+$/', '/x/e']],
        [1, ['10.0.0.0/33', 'not-an-ip', '010.0.0.1', '  ']],
        [0, ['']],
      ]);
      expect(m.match('url', 'http://ok.example/')).not.toBeNull();
      expect(m.match('ipv4', '10.9.9.9')).not.toBeNull();
      expect(m.match('url', 'http://other.example/')).toBeNull();
    });

    it.each<[string, readonly string[] | undefined, IndicatorType, string, boolean]>([
      ['no matching_attributes: every type', undefined, 'sha256', RANDOM_SHA256, true],
      ['ALL: every type', ['ALL'], 'md5', RANDOM_SHA256.slice(0, 32), true],
      ['md5 only', ['md5'], 'sha256', RANDOM_SHA256, false],
      ['filename|sha256', ['filename|sha256'], 'sha256', RANDOM_SHA256, true],
      ['sha224 and ssdeep only', ['sha224', 'ssdeep'], 'sha256', RANDOM_SHA256, false],
    ])('respects matching_attributes (%s)', (_label, attributes, type, value, matches) => {
      const entries = [RANDOM_SHA256, RANDOM_SHA256.slice(0, 32)];
      const m = compileWarningLists([
        list('string', entries, attributes === undefined ? {} : { matching_attributes: attributes }),
      ]);
      expect(m.match(type, value) !== null).toBe(matches);
    });

    it.each<[string, readonly string[], IndicatorType, string, boolean]>([
      ['a domain list does not check the host of a URL', ['domain'], 'url', 'https://a.corp.example/x', false],
      ['a domain list does not check the domain of an e-mail', ['hostname'], 'email', 'x@corp.example', false],
      ['a domain|ip list does not check the domain of an e-mail', ['domain|ip'], 'email', 'x@corp.example', false],
      ['a domain list checks a domain', ['domain'], 'domain', 'a.corp.example', true],
      ['a domain|ip list checks a domain', ['domain|ip'], 'domain', 'corp.example', true],
      ['a domain|ip list checks an address', ['domain|ip'], 'ipv4', '192.0.2.1', true],
      ['an ip list does not check an IP host of a URL', ['ip-dst'], 'url', 'http://192.0.2.1/', false],
      ['an ip list does not check a domain', ['ip-src', 'ip-dst'], 'domain', 'corp.example', false],
      ['a url list checks the host (MISP hostname)', ['url'], 'url', 'https://a.corp.example/x', true],
      ['a url list checks an IP host', ['url'], 'url', 'http://192.0.2.1/', true],
      ['a uri list checks a URL', ['uri'], 'url', 'https://corp.example/', true],
      ['a link list checks a URL', ['link'], 'url', 'https://corp.example/', true],
      ['a url list ignores another host', ['url'], 'url', 'https://badcorp.example/corp.example', false],
      ['a url list does not apply to a domain', ['url'], 'domain', 'a.corp.example', false],
      ['an email list checks the domain of an e-mail', ['email-src'], 'email', 'x@corp.example', true],
      ['an email list checks a parent domain', ['email-dst'], 'email', 'x@mx.corp.example', true],
      ['an email list checks an IP-literal domain', ['target-email'], 'email', 'x@[192.0.2.1]', true],
      ['an email list ignores another domain', ['email'], 'email', 'corp.example@badcorp.example', false],
      ['an email list does not apply to a domain', ['email-src'], 'domain', 'corp.example', false],
      ['an email list does not apply to a URL', ['email-reply-to'], 'url', 'https://corp.example/', false],
    ])('%s', (_label, attributes, type, value, matches) => {
      const m = compileWarningLists([
        list('hostname', ['corp.example'], { matching_attributes: attributes }),
        list('cidr', ['192.0.2.0/24'], { matching_attributes: attributes }),
      ]);
      expect(m.match(type, value) !== null).toBe(matches);
    });

    it.each<[string, IndicatorType, string, boolean]>([
      ['https://a.example/x', 'url', 'https://a.example/x', true],
      ['https://a.example/x', 'url', 'https://a.example/x/y', false],
      ['https://a.example/x', 'url', 'https://b.a.example/x', false],
      ['a.example', 'url', 'https://a.example/', false],
      ['someone@gmail.com', 'email', 'someone@gmail.com', true],
      ['someone@gmail.com', 'email', 'other@gmail.com', false],
      ['gmail.com', 'email', 'someone@gmail.com', false],
      ['.gmail.com', 'email', 'someone@gmail.com', true],
    ])('a string entry %s (list naming url and email) matches %s %s: %s', (entry, type, value, matches) => {
      const m = compileWarningLists([list('string', [entry], { matching_attributes: ['url', 'email-src'] })]);
      expect(m.match(type, value) !== null).toBe(matches);
    });

    it.each<[string, readonly IndicatorType[]]>([
      ['ip-src', ['ipv4', 'ipv6', 'cidr']],
      ['ip-dst', ['ipv4', 'ipv6', 'cidr']],
      ['ip-src|port', ['ipv4', 'ipv6', 'cidr']],
      ['ip-dst|port', ['ipv4', 'ipv6', 'cidr']],
      ['domain', ['domain']],
      ['hostname', ['domain']],
      ['hostname|port', ['domain']],
      ['domain|ip', ['ipv4', 'ipv6', 'cidr', 'domain']],
      ['url', ['url']],
      ['URL', ['url']],
      ['uri', ['url']],
      ['link', ['url']],
      ['email', ['email']],
      ['email-src', ['email']],
      ['email-dst', ['email']],
      ['target-email', ['email']],
      ['email-reply-to', ['email']],
      ['md5', ['md5']],
      ['filename|md5', ['md5']],
      ['malware-sample', ['md5']],
      ['sha1', ['sha1']],
      ['filename|sha1', ['sha1']],
      ['sha256', ['sha256']],
      ['filename|sha256', ['sha256']],
      ['sha512', ['sha512']],
      ['filename|sha512', ['sha512']],
      ['AS', ['asn']],
      ['vulnerability', ['cve']],
      ['sha224', []],
      ['ssdeep', []],
      ['filename', []],
      ['text', []],
    ])('maps the MISP attribute type %s to the indicator types %j', (attribute, types) => {
      const m = compileWarningLists([list('string', ['x'], { matching_attributes: [attribute] })]);
      expect(m.lists[0]?.indicatorTypes).toEqual(types);
    });

    it.each<[string, readonly string[] | undefined]>([
      ['absent', undefined],
      ['empty', []],
      ['ALL', ['ALL']],
    ])('consults a list whose matching_attributes are %s for every type', (_label, attributes) => {
      const m = compileWarningLists([
        list('string', ['x'], attributes === undefined ? {} : { matching_attributes: attributes }),
      ]);
      expect(m.lists[0]?.indicatorTypes).toEqual([...INDICATOR_TYPES]);
    });

    it.each<[IndicatorType, string, boolean]>([
      ['domain', 'corp.example', true],
      ['domain', 'deep.a.corp.example', true],
      ['domain', 'badcorp.example', false],
      ['url', 'https://a.corp.example:8443/x?corp.example', true],
      ['url', 'https://badcorp.example/corp.example', false],
      ['email', 'x@a.corp.example', true],
      ['email', 'corp.example@evil.example', false],
      ['md5', EMPTY_MD5, true],
      ['md5', '0123456789abcdef0123456789abcdef', false],
    ])('a hostname list without matching_attributes matches %s %s: %s', (type, value, matches) => {
      const m = compileWarningLists([list('hostname', ['corp.example', EMPTY_MD5.toUpperCase()])]);
      expect(m.match(type, value) !== null).toBe(matches);
    });

    it.each<[IndicatorType, string, boolean]>([
      ['url', 'https://a.example/TRACKER/x', true],
      ['url', 'https://a.example/', false],
      ['email', 'Tracker@a.example', true],
      ['domain', 'tracker.a.example', true],
      ['domain', 'a.example', false],
    ])('a substring list without matching_attributes matches %s %s (case-insensitive): %s', (type, value, matches) => {
      const m = compileWarningLists([list('substring', ['Tracker'])]);
      expect(m.match(type, value) !== null).toBe(matches);
    });

    it('prefers the smaller list, then the order given, when several match', () => {
      const big = list('cidr', ['10.0.0.0/8', '192.0.2.0/24'], { name: 'big' });
      const small = list('cidr', ['10.0.0.0/8'], { name: 'small' });
      const twin = list('cidr', ['10.0.0.0/16'], { name: 'twin' });
      expect(compileWarningLists([big, small]).match('ipv4', '10.0.0.1')?.list).toBe('small');
      expect(compileWarningLists([big, small]).match('ipv4', '192.0.2.1')?.list).toBe('big');
      expect(compileWarningLists([small, twin]).match('ipv4', '10.0.0.1')?.list).toBe('small');
      expect(compileWarningLists([twin, small]).match('ipv4', '10.0.0.1')?.list).toBe('twin');
    });

    it('matches nothing with no lists', () => {
      const m = compileWarningLists([]);
      expect(m.match('ipv4', '10.0.0.1')).toBeNull();
      expect(m.lists).toEqual([]);
    });
  });
});

describe(compileRegex.name, () => {
  it.each<[string, string]>([
    ['/a/i', '/a/i'],
    ['~^x$~', '/^x$/'],
    ['^bare$', '/^bare$/'],
    ['/a/msu', '/a/msu'],
  ])('compiles %s as %s', (entry, expected) => {
    expect(String(compileRegex(entry))).toBe(expected);
  });

  it.each<[string, RegExp]>([
    ['/a/x', /unsupported regex modifiers/],
    ['/[/', /invalid regex/],
    ['/(\\w+\\s?)*$/', /nested quantifier/],
  ])('refuses %s', (entry, why) => {
    expect(compileRegex(entry)).toMatch(why);
  });
});

describe(hasNestedQuantifier.name, () => {
  it.each<[string, boolean]>([
    ['(a+)+', true],
    ['(a*)*', true],
    ['(x+){2,}', true],
    ['(x+){1,100}', true],
    ['((ab)+c)*', true],
    ['(\\d{1,3}\\.){3}', false],
    ['(\\d+\\.){3}\\d+', false],
    ['(?:www\\.)?example\\.com', false],
    ['[(a+)]+', false],
    ['\\(a+\\)+', false],
    ['(a+)?', false],
  ])('%s → %s', (source, expected) => {
    expect(hasNestedQuantifier(source)).toBe(expected);
  });
});
