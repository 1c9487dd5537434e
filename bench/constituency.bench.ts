import { performance } from 'node:perf_hooks';
import { buildConstituencyIndex, matchConstituency, type Constituency, type MatchableIndicator } from '@tocsin/domain';
import { environmentLines, median, ms, peakRss } from './report';
import type { BenchOptions, BenchTopic } from './run';

const TARGET = 'target:  matching under 100 ms (printed, not asserted)';
const CIDRS = 10_000;
const DOMAINS = 10_000;
const INDICATORS = 100_000;

/** A deterministic generator (mulberry32), so every run and every machine matches the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const v4 = (r: () => number): string =>
  [1 + Math.floor(r() * 222), Math.floor(r() * 256), Math.floor(r() * 256), Math.floor(r() * 256)].join('.');
const hex = (r: () => number): string => Math.floor(r() * 0x10000).toString(16);

/** 10,000 CIDR blocks (8,000 IPv4 of /8 to /32 and 2,000 IPv6 of /32 to /64) and 10,000 domains. */
function constituency(r: () => number): Constituency {
  const cidrs = new Set<string>();
  while (cidrs.size < CIDRS * 0.8) {
    const len = 16 + Math.floor(r() * 17);
    const [a, b, c, d] = v4(r).split('.').map(Number) as [number, number, number, number];
    const n = (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & (len === 0 ? 0 : (~0 << (32 - len)) >>> 0);
    cidrs.add(`${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${len}`);
  }
  while (cidrs.size < CIDRS) {
    cidrs.add(`2001:db8:${hex(r)}:${hex(r)}::/64`);
  }
  const domains = new Set<string>();
  while (domains.size < DOMAINS) {
    domains.add(`org${Math.floor(r() * 1e9).toString(36)}.example${Math.floor(r() * 5)}.net`);
  }
  return { countries: ['FR', 'BE'], asns: ['AS64496'], cidrs: [...cidrs], domains: [...domains] };
}

/** 100,000 indicators: IPv4, IPv6, CIDR, domains (some under the constituency's), URLs, e-mail addresses, ASNs. */
function alert(r: () => number, c: Constituency): MatchableIndicator[] {
  const out: MatchableIndicator[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  for (let i = 0; i < INDICATORS; i++) {
    const k = r();
    if (k < 0.4) {
      out.push({ type: 'ipv4', value: v4(r) });
    } else if (k < 0.5) {
      out.push({ type: 'ipv6', value: `2001:db8:${hex(r)}:${hex(r)}::${hex(r)}` });
    } else if (k < 0.55) {
      out.push({ type: 'cidr', value: `${v4(r).replace(/\.\d+$/, '.0')}/24` });
    } else if (k < 0.75) {
      const d = r() < 0.1 ? `h${i}.${pick(c.domains)}` : `h${i}.other${Math.floor(r() * 1e6)}.example.com`;
      out.push({ type: 'domain', value: d });
    } else if (k < 0.92) {
      const host = r() < 0.1 ? `www.${pick(c.domains)}` : `x${i}.example.org`;
      out.push({ type: 'url', value: `https://${host}/p/${i}?q=1` });
    } else if (k < 0.99) {
      out.push({ type: 'email', value: `u${i}@${r() < 0.1 ? pick(c.domains) : 'mail.example.com'}` });
    } else {
      out.push({ type: 'asn', value: `AS${64496 + Math.floor(r() * 4)}` });
    }
  }
  return out;
}

export const constituency_: BenchTopic = {
  description:
    'match one 100,000-indicator alert against a constituency of 10,000 CIDR blocks and 10,000 domains (index built once)',
  run(opts: BenchOptions): Promise<void> {
    const runs = Math.max(opts.runs, 5);
    const r = random(11);
    const c = constituency(r);
    const indicators = alert(r, c);
    const builds: number[] = [];
    const matches: number[] = [];
    let hits = 0;
    for (let run = 0; run < runs + 1; run++) {
      const t0 = performance.now();
      const index = buildConstituencyIndex(c);
      const t1 = performance.now();
      const hit = matchConstituency(index, { countries: ['FR'], indicators });
      const t2 = performance.now();
      hits = hit?.indicators.length ?? 0;
      if (run > 0) {
        // The first run warms the JIT up and is not counted.
        builds.push(t1 - t0);
        matches.push(t2 - t1);
      }
    }
    const lines = [
      ...environmentLines(),
      `settings: ${CIDRS} CIDR blocks (${CIDRS * 0.8} IPv4 /16–/32, ${CIDRS * 0.2} IPv6 /64), ${DOMAINS} domains; ` +
        `${INDICATORS} indicators; ${runs} runs after 1 warm-up`,
      TARGET,
      `matching indicators: ${hits}`,
      `index build: median ${ms(median(builds))} (runs: ${builds.map((v) => v.toFixed(1)).join(', ')})`,
      `matching:    median ${ms(median(matches))} (runs: ${matches.map((v) => v.toFixed(1)).join(', ')})`,
      `bench process peak RSS: ${peakRss()}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return Promise.resolve();
  },
};
