import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { normalizeIndicator } from '../indicators/normalize-indicator';
import { EMPTY_CONSTITUENCY, type Constituency } from './constituency';
import { buildConstituencyIndex, matchConstituency, type MatchableIndicator } from './constituency-index';

const constituency = (c: Partial<Constituency>): Constituency => ({ ...EMPTY_CONSTITUENCY, ...c });

describe(matchConstituency.name, () => {
  const index = buildConstituencyIndex(
    constituency({
      countries: ['FR'],
      asns: ['AS64496'],
      cidrs: ['198.51.100.0/24', '198.51.100.128/25', '2001:db8::/32', '10.0.0.0/8'],
      domains: ['example.org', 'corp.example.net'],
    }),
  );

  it.each<[MatchableIndicator, { kind: string; value: string } | null]>([
    [
      { type: 'ipv4', value: '198.51.100.7' },
      { kind: 'cidr', value: '198.51.100.0/24' },
    ],
    [
      { type: 'ipv4', value: '198.51.100.200' },
      { kind: 'cidr', value: '198.51.100.128/25' },
    ],
    [{ type: 'ipv4', value: '198.51.101.1' }, null],
    [
      { type: 'ipv6', value: '2001:db8:1::5' },
      { kind: 'cidr', value: '2001:db8::/32' },
    ],
    [{ type: 'ipv6', value: '2001:db9::1' }, null],
    [
      { type: 'cidr', value: '198.51.100.0/26' },
      { kind: 'cidr', value: '198.51.100.0/24' },
    ],
    [
      { type: 'cidr', value: '198.51.0.0/16' },
      { kind: 'cidr', value: '198.51.100.0/24' },
    ],
    [
      { type: 'cidr', value: '0.0.0.0/0' },
      { kind: 'cidr', value: '10.0.0.0/8' },
    ],
    [{ type: 'cidr', value: '203.0.113.0/24' }, null],
    [
      { type: 'domain', value: 'example.org' },
      { kind: 'domain', value: 'example.org' },
    ],
    [
      { type: 'domain', value: 'a.b.example.org' },
      { kind: 'domain', value: 'example.org' },
    ],
    [{ type: 'domain', value: 'badexample.org' }, null],
    [{ type: 'domain', value: 'example.net' }, null],
    [
      { type: 'url', value: 'https://user@x.corp.example.net:8443/p?q#f' },
      { kind: 'domain', value: 'corp.example.net' },
    ],
    [
      { type: 'url', value: 'http://198.51.100.9/x' },
      { kind: 'cidr', value: '198.51.100.0/24' },
    ],
    [
      { type: 'url', value: 'http://[2001:db8::1]:80/' },
      { kind: 'cidr', value: '2001:db8::/32' },
    ],
    [{ type: 'url', value: 'http://example.com/example.org' }, null],
    [
      { type: 'email', value: 'ceo@mail.example.org' },
      { kind: 'domain', value: 'example.org' },
    ],
    [{ type: 'email', value: 'x@example.com' }, null],
    [
      { type: 'asn', value: 'AS64496' },
      { kind: 'asn', value: 'AS64496' },
    ],
    [{ type: 'asn', value: 'AS64497' }, null],
    [{ type: 'sha256', value: 'a'.repeat(64) }, null],
    [{ type: 'ipv4', value: '' }, null],
  ])('matches %j to %j', (indicator, matched) => {
    const hit = matchConstituency(index, { countries: [], indicators: [indicator] });
    expect(hit?.indicators[0]?.matched ?? null).toEqual(matched);
  });

  it('names the targeted countries that are the constituency’s, even with no indicator matching', () => {
    expect(matchConstituency(index, { countries: ['DE', 'FR'], indicators: [] })).toEqual({
      indicators: [],
      countries: ['FR'],
    });
  });

  it('is null when nothing matches, and for an empty constituency', () => {
    expect(matchConstituency(index, { countries: ['DE'], indicators: [{ type: 'ipv4', value: '1.1.1.1' }] })).toBe(
      null,
    );
    const empty = buildConstituencyIndex(EMPTY_CONSTITUENCY);
    expect(matchConstituency(empty, { countries: ['FR'], indicators: [{ type: 'ipv4', value: '10.0.0.1' }] })).toBe(
      null,
    );
  });

  it('keeps the alert’s order and reports each matching indicator with what it matched', () => {
    const hit = matchConstituency(index, {
      countries: [],
      indicators: [
        { type: 'domain', value: 'www.example.org' },
        { type: 'ipv4', value: '203.0.113.1' },
        { type: 'ipv4', value: '10.9.9.9' },
      ],
    });
    expect(hit).toEqual({
      countries: [],
      indicators: [
        { type: 'domain', value: 'www.example.org', matched: { kind: 'domain', value: 'example.org' } },
        { type: 'ipv4', value: '10.9.9.9', matched: { kind: 'cidr', value: '10.0.0.0/8' } },
      ],
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property: the index answers exactly what a brute-force scan of the constituency answers.

interface Block {
  v6: boolean;
  net: bigint;
  length: number;
  text: string;
}

function toBlock(text: string): Block {
  const [a, l] = text.includes('/') ? text.split('/') : [text, undefined];
  const addr = ipaddr.parse(a);
  const v6 = addr.kind() === 'ipv6';
  const bits = v6 ? 128 : 32;
  const net = addr.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  return { v6, net, length: l === undefined ? bits : Number(l), text };
}

const contains = (outer: Block, inner: Block): boolean => {
  if (outer.v6 !== inner.v6 || outer.length > inner.length) {
    return false;
  }
  const bits = BigInt(outer.v6 ? 128 : 32);
  const shift = bits - BigInt(outer.length);
  return outer.net >> shift === inner.net >> shift;
};

/** The documented rule, by scanning every entry. */
function bruteForce(c: Constituency, i: MatchableIndicator): { kind: string; value: string } | null {
  const ipRule = (text: string) => {
    const ind = toBlock(text);
    const blocks = c.cidrs.map(toBlock);
    const containing = blocks.filter((b) => contains(b, ind)).sort((x, y) => y.length - x.length);
    if (containing[0]) {
      return { kind: 'cidr', value: containing[0].text };
    }
    if (!text.includes('/')) {
      return null;
    }
    const inside = blocks
      .filter((b) => contains(ind, b))
      .sort((x, y) => (x.net < y.net ? -1 : x.net > y.net ? 1 : x.length - y.length));
    return inside[0] ? { kind: 'cidr', value: inside[0].text } : null;
  };
  const domainRule = (name: string) => {
    const under = c.domains.filter((d) => name === d || name.endsWith(`.${d}`)).sort((x, y) => y.length - x.length);
    return under[0] ? { kind: 'domain', value: under[0] } : null;
  };
  switch (i.type) {
    case 'ipv4':
    case 'ipv6':
    case 'cidr':
      return ipRule(i.value);
    case 'domain':
      return domainRule(i.value);
    case 'asn':
      return c.asns.includes(i.value) ? { kind: 'asn', value: i.value } : null;
    case 'url': {
      const host = new URL(i.value).hostname;
      return host.startsWith('[') ? ipRule(host.slice(1, -1)) : /^[\d.]+$/.test(host) ? ipRule(host) : domainRule(host);
    }
    case 'email':
      return domainRule(i.value.slice(i.value.lastIndexOf('@') + 1));
    default:
      return null;
  }
}

const octet = fc.integer({ min: 0, max: 255 });
// Addresses crowded into few networks, so that blocks nest and overlap often.
const v4 = fc.tuple(fc.constantFrom(10, 198), fc.constantFrom(0, 51), octet, octet).map((o) => o.join('.'));
const v6 = fc
  .tuple(fc.constantFrom('2001:db8', 'fd00:1'), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffff }))
  .map(([p, a, b]) => `${p}:${a.toString(16)}::${b.toString(16)}`);
const cidrText = fc.oneof(
  fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`),
  fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, l]) => `${a}/${l}`),
);
const canonical = (type: 'cidr' | 'ipv4' | 'ipv6' | 'domain') => (value: string) =>
  normalizeIndicator({ type, value }).canonicalValue ?? '';
const label = fc.constantFrom('a', 'b', 'mail', 'example', 'x-1');
const name = fc
  .tuple(fc.array(label, { minLength: 0, maxLength: 3 }), fc.constantFrom('org', 'net', 'fr'))
  .map(([ls, tld]) => [...ls, tld].join('.'));

const indicator: fc.Arbitrary<MatchableIndicator> = fc.oneof(
  v4.map((v) => ({ type: 'ipv4', value: v })),
  v6.map((v) => ({ type: 'ipv6', value: canonical('ipv6')(v) })),
  cidrText.map((v) => ({ type: 'cidr', value: canonical('cidr')(v) })),
  name.map((v) => ({ type: 'domain', value: v })),
  fc.integer({ min: 1, max: 8 }).map((n) => ({ type: 'asn', value: `AS${n}` })),
  fc
    .tuple(
      fc.oneof(
        name,
        v4,
        v6.map((a) => `[${canonical('ipv6')(a)}]`),
      ),
      fc.constantFrom('', ':8443'),
    )
    .map(([host, port]) => ({ type: 'url', value: `https://user@${host}${port}/p/a.example.org?q=1#f` })),
  name.map((v) => ({ type: 'email', value: `someone@${v}` })),
);

describe('buildConstituencyIndex', () => {
  it('answers, for every indicator, what a brute-force scan of the constituency answers', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(cidrText.map(canonical('cidr')), { maxLength: 30 }),
        fc.uniqueArray(name, { maxLength: 8 }),
        fc.uniqueArray(
          fc.integer({ min: 1, max: 8 }).map((n) => `AS${n}`),
          { maxLength: 4 },
        ),
        fc.array(indicator, { maxLength: 40 }),
        (cidrs, domains, asns, indicators) => {
          const c = constituency({ cidrs, domains, asns });
          const index = buildConstituencyIndex(c);
          const hit = matchConstituency(index, { countries: [], indicators });
          const expected = indicators.flatMap((i) => {
            const matched = bruteForce(c, i);
            return matched ? [{ ...i, matched }] : [];
          });
          expect(hit?.indicators ?? []).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
