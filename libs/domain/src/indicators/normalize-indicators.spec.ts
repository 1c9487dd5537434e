import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { IndicatorType } from '../alerts/indicator-types';
import type { CanonicalIndicator, RawIndicator } from '../model/canonical';
import { normalizeIndicators, type WarningLookup } from './normalize-indicators';

const raw = (value: string, extra: Partial<RawIndicator> = {}): RawIndicator => ({ value, source: '/x', ...extra });

const accepted = (
  type: IndicatorType,
  rawValue: string,
  canonicalValue: string,
  flags: CanonicalIndicator['flags'] = [],
): CanonicalIndicator => ({ type, rawValue, canonicalValue, flags, rejection: null, warning: null });

describe(normalizeIndicators.name, () => {
  it('normalizes each indicator, in order', () => {
    expect(
      normalizeIndicators([
        raw('hxxps://evil[.]example[.]com/path'),
        raw('192.0.2.1', { type: 'ipv4' }),
        raw('Example.COM.', { type: 'domain' }),
      ]),
    ).toEqual([
      accepted('url', 'hxxps://evil[.]example[.]com/path', 'https://evil.example.com/path', [
        'refanged',
        'type-inferred',
      ]),
      accepted('ipv4', '192.0.2.1', '192.0.2.1'),
      accepted('domain', 'Example.COM.', 'example.com'),
    ]);
  });

  it('keeps every rejected indicator with its reason, duplicates included', () => {
    const out = normalizeIndicators([
      raw('127.1', { type: 'ipv4' }),
      raw('127.1', { type: 'ipv4' }),
      raw('localhost'),
      raw('co.uk', { type: 'domain' }),
    ]);
    expect(out.map((i) => [i.type, i.canonicalValue, i.rejection])).toEqual([
      ['ipv4', null, 'not an IPv4 address: four dot-separated decimal octets are required'],
      ['ipv4', null, 'not an IPv4 address: four dot-separated decimal octets are required'],
      ['domain', null, 'could not infer the indicator type'],
      ['domain', null, 'is a public suffix, not a domain'],
    ]);
  });

  it.each<[string, RawIndicator[], CanonicalIndicator]>([
    [
      'the same value twice',
      [raw('192.0.2.1', { type: 'ipv4' }), raw('192.0.2.1', { type: 'ipv4' })],
      accepted('ipv4', '192.0.2.1', '192.0.2.1'),
    ],
    [
      'spellings of one domain, merging their flags',
      [raw('Example.COM', { type: 'domain' }), raw('example[.]com'), raw('example.com.', { type: 'domain' })],
      accepted('domain', 'Example.COM', 'example.com', ['refanged', 'type-inferred']),
    ],
    [
      'an IDN and its punycode',
      [raw('xn--bcher-kva.de', { type: 'domain' }), raw('bücher.de', { type: 'domain' })],
      accepted('domain', 'xn--bcher-kva.de', 'xn--bcher-kva.de', ['idn']),
    ],
    [
      'an IPv4-mapped IPv6 address and the IPv4 address',
      [raw('::ffff:192.0.2.1', { type: 'ipv6' }), raw('192.0.2.1')],
      accepted('ipv4', '::ffff:192.0.2.1', '192.0.2.1', ['type-inferred']),
    ],
    [
      'URLs differing only in fragment, default port and escapes',
      [raw('http://EXAMPLE.com:80/a%7eb#x'), raw('http://example.com/a~b#y', { type: 'url' })],
      accepted('url', 'http://EXAMPLE.com:80/a%7eb#x', 'http://example.com/a~b', ['type-inferred']),
    ],
    [
      'hashes in both cases',
      [raw('D41D8CD98F00B204E9800998ECF8427E', { type: 'md5' }), raw('d41d8cd98f00b204e9800998ecf8427e')],
      accepted('md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e', ['type-inferred']),
    ],
  ])('merges %s into the first occurrence', (_case, raws, merged) => {
    expect(normalizeIndicators(raws)).toEqual([merged]);
  });

  it('does not merge equal values of different types', () => {
    const out = normalizeIndicators([raw('AS13335', { type: 'asn' }), raw('13335', { type: 'asn' })]);
    expect(out).toHaveLength(1);
    expect(
      normalizeIndicators([raw('10.0.0.0/32', { type: 'cidr' }), raw('10.0.0.0', { type: 'ipv4' })]).map((i) => i.type),
    ).toEqual(['cidr', 'ipv4']);
  });

  it.each<[string, (boolean | undefined)[], boolean]>([
    ['one indicator marked not actionable', [false], true],
    ['one indicator marked actionable', [true], false],
    ['one indicator without the mark', [undefined], false],
    ['duplicates all marked not actionable', [false, false], true],
    ['a not-actionable duplicate of an actionable one', [true, false], false],
    ['an actionable duplicate of a not-actionable one', [false, undefined], false],
  ])('flags not-actionable for %s: %j → %s', (_case, marks, notActionable) => {
    const raws = marks.map((actionable) =>
      raw('192.0.2.1', { type: 'ipv4', ...(actionable === undefined ? {} : { actionable }) }),
    );
    const out = normalizeIndicators(raws);
    expect(out).toHaveLength(1);
    expect(out[0]!.flags.includes('not-actionable')).toBe(notActionable);
  });

  it('flags a rejected indicator not-actionable too', () => {
    expect(normalizeIndicators([raw('127.1', { type: 'ipv4', actionable: false })])[0]!.flags).toEqual([
      'not-actionable',
    ]);
  });

  it('looks accepted indicators up once per canonical value and records a match', () => {
    const warn = vi.fn<WarningLookup>((type, canonical) =>
      type === 'ipv4' && canonical === '8.8.8.8' ? { list: 'public-dns', reason: 'Google public DNS resolver' } : null,
    );
    const out = normalizeIndicators(
      [
        raw('8.8.8.8', { type: 'ipv4' }),
        raw('8[.]8[.]8[.]8'),
        raw('192.0.2.1', { type: 'ipv4' }),
        raw('127.1', { type: 'ipv4' }),
      ],
      warn,
    );
    expect(warn.mock.calls).toEqual([
      ['ipv4', '8.8.8.8'],
      ['ipv4', '192.0.2.1'],
    ]);
    expect(out).toEqual([
      {
        ...accepted('ipv4', '8.8.8.8', '8.8.8.8', ['refanged', 'type-inferred', 'warning-listed']),
        warning: { list: 'public-dns', reason: 'Google public DNS resolver' },
      },
      accepted('ipv4', '192.0.2.1', '192.0.2.1'),
      expect.objectContaining({ rawValue: '127.1', canonicalValue: null, warning: null }) as unknown,
    ]);
  });

  it('returns an empty list for no indicators', () => {
    expect(normalizeIndicators([])).toEqual([]);
  });

  it('keeps one entry per distinct accepted value and every rejected one', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('192.0.2.1', '192[.]0.2.1', '::ffff:192.0.2.1', 'evil.com', 'EVIL.com.', '127.1', 'x'),
        ),
        (values) => {
          const out = normalizeIndicators(values.map((v) => raw(v)));
          const keys = out.filter((i) => i.canonicalValue !== null).map((i) => `${i.type} ${i.canonicalValue}`);
          expect(new Set(keys).size).toBe(keys.length);
          expect(out.filter((i) => i.rejection !== null)).toHaveLength(
            values.filter((v) => v === '127.1' || v === 'x').length,
          );
        },
      ),
    );
  });

  it('normalizes 100,000 indicators of every type', () => {
    const raws: RawIndicator[] = [];
    for (let i = 0; i < 100_000; i++) {
      const a = (i >> 8) & 0xff;
      const b = i & 0xff;
      switch (i % 10) {
        case 0:
          raws.push(raw(`10.${a}.${b}.1`));
          break;
        case 1:
          raws.push(raw(`2001:DB8::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`));
          break;
        case 2:
          raws.push(raw(`host-${i}[.]example[.]com`));
          break;
        case 3:
          raws.push(raw(`hxxps://evil-${i}.example.org/path/${i}?q=%7e#f`));
          break;
        case 4:
          raws.push(raw(`user${i}@example.net`));
          break;
        case 5:
          raws.push(raw(i.toString(16).padStart(32, '0')));
          break;
        case 6:
          raws.push(raw(`CVE-2024-${10_000 + i}`));
          break;
        case 7:
          raws.push(raw(`192.0.${a}.${b}/24`));
          break;
        case 8:
          raws.push(raw(`AS${i}`, { actionable: false }));
          break;
        default:
          raws.push(raw(`bad ${i}`));
      }
    }
    const out = normalizeIndicators(raws, (type, canonical) =>
      type === 'ipv4' && canonical === '10.0.0.1' ? { list: 'test', reason: 'test' } : null,
    );
    const cidrs = new Set(raws.filter((_, i) => i % 10 === 7).map((r) => r.value.replace(/\.\d+\/24$/, '.0/24')));
    expect(out).toHaveLength(80_000 + cidrs.size + 10_000);
    expect(out.filter((i) => i.rejection !== null)).toHaveLength(10_000);
    expect(out.filter((i) => i.flags.includes('warning-listed'))).toHaveLength(1);
    expect(out.filter((i) => i.flags.includes('not-actionable'))).toHaveLength(10_000);
    expect(out[3]).toEqual(
      accepted('url', raws[3]!.value, 'https://evil-3.example.org/path/3?q=~', ['refanged', 'type-inferred']),
    );
  });
});
