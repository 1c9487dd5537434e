import type { Constituency } from './constituency';

/**
 * A binary prefix tree over address bits: each node has a 0-child and a 1-child, and a node at depth n that ends
 * a CIDR block holds it. Nodes live in flat arrays (index 0 is the root, -1 is "no child").
 */
class PrefixTree {
  private readonly zero: number[] = [-1];
  private readonly one: number[] = [-1];
  private readonly block: (string | null)[] = [null];

  get empty(): boolean {
    return this.zero.length === 1 && this.block[0] === null;
  }

  insert(bytes: Uint32Array, length: number, label: string): void {
    let node = 0;
    for (let depth = 0; depth < length; depth++) {
      const side = bitAt(bytes, depth) === 0 ? this.zero : this.one;
      let next = side[node]!;
      if (next < 0) {
        next = this.block.length;
        this.zero.push(-1);
        this.one.push(-1);
        this.block.push(null);
        side[node] = next;
      }
      node = next;
    }
    this.block[node] ??= label;
  }

  /**
   * The block that contains `bytes/length` with the longest prefix; failing that (with `orInside`), the first block
   * inside it in address order (a shorter prefix first at equal address), or null.
   */
  lookup(bytes: Uint32Array, length: number, orInside: boolean): string | null {
    let node = 0;
    let found = this.block[0] ?? null;
    for (let depth = 0; depth < length; depth++) {
      node = (bitAt(bytes, depth) === 0 ? this.zero : this.one)[node]!;
      if (node < 0) {
        return found;
      }
      found = this.block[node] ?? found;
    }
    if (found !== null || !orInside) {
      return found;
    }
    // Every node of the tree lies on the way to a block, so the leftmost descent meets one within 128 steps.
    for (;;) {
      const z = this.zero[node]!;
      node = z >= 0 ? z : this.one[node]!;
      if (node < 0) {
        return null;
      }
      const b = this.block[node];
      if (b) {
        return b;
      }
    }
  }
}

function bitAt(words: Uint32Array, i: number): number {
  return (words[i >> 5]! >>> (31 - (i & 31))) & 1;
}

/** Parses dotted-quad IPv4 into one 32-bit word; false when it is not one. No allocation: this runs per indicator. */
function parseIPv4(text: string, from: number, to: number, out: Uint32Array, at: number): boolean {
  let word = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      octet = octet * 10 + (ch - 48);
      if (++digits > 3 || octet > 255) {
        return false;
      }
    } else if (ch === 46 && digits > 0 && dots < 3) {
      word = (word << 8) | octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return false;
    }
  }
  if (digits === 0 || dots !== 3) {
    return false;
  }
  out[at] = ((word << 8) | octet) >>> 0;
  return true;
}

function hexDigit(ch: number): number {
  if (ch >= 48 && ch <= 57) {
    return ch - 48;
  }
  const lower = ch | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Parses hex groups (`a:b:c`) into 16-bit values; the count, or -1. A trailing dotted quad counts as two. */
function parseGroups(text: string, from: number, to: number, groups: number[]): number {
  if (from === to) {
    return 0;
  }
  let n = 0;
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i === to || text.charCodeAt(i) === 58) {
      const len = i - start;
      if (len === 0) {
        return -1;
      }
      if (i === to && text.indexOf('.', start) >= 0 && text.indexOf('.', start) < to) {
        if (!parseIPv4(text, start, to, SCRATCH4, 0)) {
          return -1;
        }
        groups[n++] = SCRATCH4[0]! >>> 16;
        groups[n++] = SCRATCH4[0]! & 0xffff;
        return n;
      }
      if (len > 4) {
        return -1;
      }
      let g = 0;
      for (let k = start; k < i; k++) {
        const d = hexDigit(text.charCodeAt(k));
        if (d < 0) {
          return -1;
        }
        g = (g << 4) | d;
      }
      groups[n++] = g;
      start = i + 1;
    }
  }
  return n;
}

const SCRATCH4 = new Uint32Array(1);
const HEAD: number[] = [];
const TAIL: number[] = [];

/** Parses an IPv6 address into four 32-bit words; false when it is not one. */
function parseIPv6(text: string, from: number, to: number, out: Uint32Array): boolean {
  const gap = text.indexOf('::', from);
  let h: number;
  let t: number;
  if (gap >= 0 && gap < to) {
    h = parseGroups(text, from, gap, HEAD);
    t = parseGroups(text, gap + 2, to, TAIL);
    if (h < 0 || t < 0 || h + t > 7) {
      return false;
    }
  } else {
    h = parseGroups(text, from, to, HEAD);
    t = 0;
    if (h !== 8) {
      return false;
    }
  }
  for (let g = 0; g < 8; g++) {
    const v = g < h ? HEAD[g]! : g >= 8 - t ? TAIL[g - (8 - t)]! : 0;
    if (g % 2 === 0) {
      out[g >> 1] = v << 16;
    } else {
      out[g >> 1] = (out[g >> 1]! | v) >>> 0;
    }
  }
  return true;
}

/** A parsed address or block, in a shared buffer (valid until the next parse). */
interface Parsed {
  v6: boolean;
  length: number;
  /** The text had a prefix length (`/n`). */
  block: boolean;
}

const WORDS = new Uint32Array(4);
const PARSED: Parsed = { v6: false, length: 0, block: false };

/** Parses `address` or `address/length` into WORDS and PARSED; null when it is neither. */
function parseBlock(text: string): Parsed | null {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  const v6 = text.indexOf(':') >= 0;
  if (v6 ? !parseIPv6(text, 0, end, WORDS) : !parseIPv4(text, 0, end, WORDS, 0)) {
    return null;
  }
  const max = v6 ? 128 : 32;
  let length = max;
  if (slash >= 0) {
    const l = text.slice(slash + 1);
    length = /^\d{1,3}$/.test(l) ? Number(l) : -1;
    if (length < 0 || length > max) {
      return null;
    }
  }
  PARSED.v6 = v6;
  PARSED.length = length;
  PARSED.block = slash >= 0;
  return PARSED;
}

/** A constituency ready for matching, built once per change of it. */
export interface ConstituencyIndex {
  readonly v4: PrefixTree;
  readonly v6: PrefixTree;
  /**
   * The reversed-label suffix index: every label-aligned suffix of every constituency domain (`net`, `example.net`,
   * `corp.example.net`), true for the domains themselves. A name is walked from its last label leftwards and the walk
   * stops at the first suffix absent from the index, so a name under no constituency domain costs one or two probes.
   */
  readonly suffixes: ReadonlyMap<string, boolean>;
  readonly asns: ReadonlySet<string>;
  readonly countries: ReadonlySet<string>;
  /** Nothing to match: no hit is possible. */
  readonly empty: boolean;
}

export function buildConstituencyIndex(c: Constituency): ConstituencyIndex {
  const v4 = new PrefixTree();
  const v6 = new PrefixTree();
  for (const cidr of c.cidrs) {
    const b = parseBlock(cidr);
    if (b) {
      (b.v6 ? v6 : v4).insert(WORDS, b.length, cidr);
    }
  }
  const suffixes = new Map<string, boolean>();
  for (const d of c.domains) {
    suffixes.set(d, true);
    for (let dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
      const parent = d.slice(dot + 1);
      if (!suffixes.has(parent)) {
        suffixes.set(parent, false);
      }
    }
  }
  const asns = new Set(c.asns);
  const countries = new Set(c.countries);
  return {
    v4,
    v6,
    suffixes,
    asns,
    countries,
    empty: v4.empty && v6.empty && suffixes.size === 0 && asns.size === 0 && countries.size === 0,
  };
}

/** An indicator as matching sees it: its type and canonical value (empty when it has none). */
export interface MatchableIndicator {
  readonly type: string;
  readonly value: string;
}

export type ConstituencyMatchKind = 'cidr' | 'domain' | 'asn';

export interface ConstituencyMatch {
  readonly type: string;
  readonly value: string;
  readonly matched: { readonly kind: ConstituencyMatchKind; readonly value: string };
}

export interface ConstituencyHit {
  /** The alert's indicators that fall into the constituency, in the alert's order, each with what it fell into. */
  readonly indicators: readonly ConstituencyMatch[];
  /** The alert's targeted countries that are the constituency's. */
  readonly countries: readonly string[];
}

/**
 * Which indicators count for constituency routing: accepted ones, that is with a canonical value (rejected ones
 * have none). The one place to narrow this, e.g. to actionable indicators only.
 */
export const countsForConstituency = (i: MatchableIndicator): boolean => i.value !== '';

/** The domain a name falls under: the name itself or its nearest parent among the constituency's domains. */
function domainMatch(index: ConstituencyIndex, name: string): string | null {
  let found: string | null = null;
  let end = name.length;
  for (;;) {
    const dot = name.lastIndexOf('.', end - 1);
    const suffix = dot < 0 ? name : name.slice(dot + 1);
    const isDomain = index.suffixes.get(suffix);
    if (isDomain === undefined) {
      return found;
    }
    if (isDomain) {
      found = suffix;
    }
    if (dot < 0) {
      return found;
    }
    end = dot;
  }
}

function ipMatch(index: ConstituencyIndex, text: string): string | null {
  const b = parseBlock(text);
  return b ? (b.v6 ? index.v6 : index.v4).lookup(WORDS, b.length, b.block) : null;
}

/** A host (URL host or e-mail domain): an IP literal goes to the prefix trees, a name to the suffix index. */
function hostMatch(index: ConstituencyIndex, host: string): ConstituencyMatch['matched'] | null {
  if (host.startsWith('[')) {
    const inner = host.slice(1, host.indexOf(']') < 0 ? undefined : host.indexOf(']')).replace(/^ipv6:/i, '');
    const m = ipMatch(index, inner);
    return m ? { kind: 'cidr', value: m } : null;
  }
  if (isDottedQuad(host)) {
    const m = ipMatch(index, host);
    return m ? { kind: 'cidr', value: m } : null;
  }
  const m = domainMatch(index, host.toLowerCase());
  return m ? { kind: 'domain', value: m } : null;
}

function isDottedQuad(host: string): boolean {
  const last = host.charCodeAt(host.length - 1);
  return last >= 48 && last <= 57 && parseIPv4(host, 0, host.length, SCRATCH4, 0);
}

/** The host of a canonical URL (`scheme://[userinfo@]host[:port]/…`). */
function urlHost(url: string): string | null {
  const start = url.indexOf('://');
  if (start < 0) {
    return null;
  }
  let end = start + 3;
  while (end < url.length) {
    const ch = url.charCodeAt(end);
    if (ch === 47 || ch === 63 || ch === 35) {
      break;
    }
    end++;
  }
  let rest = url.slice(start + 3, end);
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    rest = rest.slice(at + 1);
  }
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    return close < 0 ? null : rest.slice(0, close + 1);
  }
  const colon = rest.indexOf(':');
  return colon < 0 ? rest : rest.slice(0, colon);
}

/** What one indicator falls into, or null. */
export function matchIndicator(index: ConstituencyIndex, i: MatchableIndicator): ConstituencyMatch['matched'] | null {
  switch (i.type) {
    case 'ipv4':
    case 'ipv6':
    case 'cidr': {
      const m = ipMatch(index, i.value);
      return m ? { kind: 'cidr', value: m } : null;
    }
    case 'domain': {
      const m = domainMatch(index, i.value);
      return m ? { kind: 'domain', value: m } : null;
    }
    case 'url': {
      const host = urlHost(i.value);
      return host ? hostMatch(index, host) : null;
    }
    case 'email': {
      const at = i.value.lastIndexOf('@');
      return at < 0 ? null : hostMatch(index, i.value.slice(at + 1));
    }
    case 'asn':
      return index.asns.has(i.value) ? { kind: 'asn', value: i.value } : null;
    default:
      return null;
  }
}

/**
 * The hit of an alert on a constituency: its indicators that fall into it (an address inside a CIDR block, the most
 * specific block; a CIDR indicator overlapping a block, the smallest block containing it or else the first inside
 * it; a domain, URL host or e-mail domain equal to or under a domain, the nearest; an AS number) and its targeted
 * countries that are the constituency's. Null when nothing matched. Each lookup is a walk of at most 128 tree nodes
 * or one hash probe per label, whatever the constituency's size.
 */
export function matchConstituency(
  index: ConstituencyIndex,
  alert: { readonly countries: readonly string[]; readonly indicators: Iterable<MatchableIndicator> },
): ConstituencyHit | null {
  if (index.empty) {
    return null;
  }
  const indicators: ConstituencyMatch[] = [];
  for (const i of alert.indicators) {
    if (!countsForConstituency(i)) {
      continue;
    }
    const matched = matchIndicator(index, i);
    if (matched) {
      indicators.push({ type: i.type, value: i.value, matched });
    }
  }
  const countries = alert.countries.filter((c) => index.countries.has(c));
  return indicators.length > 0 || countries.length > 0 ? { indicators, countries } : null;
}
