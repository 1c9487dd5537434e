import { INDICATOR_TYPES, type IndicatorType } from '../alerts/indicator-types';
import {
  RangeSet,
  ipv4InMapped,
  nextIpv4,
  nextIpv6,
  parseIpRange,
  parseIpv4,
  parseIpv6,
  type IpRange,
  type Ipv4Range,
  type Ipv6Range,
} from './ip-ranges';
import { MATCH_KINDS, kindsOf, type MatchKind } from './misp-attributes';

/**
 * Warning lists: indicators that must never be pushed as actionable (private and reserved ranges, public
 * resolvers, well-known benign domains, empty-file hashes, sinkholes…), in the MISP warning-list format
 * (github.com/MISP/misp-warninglists) so that newer lists drop in as data, and matched as MISP matches them
 * (MISP's `Warninglist::checkValue`, PyMISPWarningLists' slow search):
 *
 * - a list is consulted only for the indicator types its `matching_attributes` name (see misp-attributes.ts);
 *   without them it is consulted for every type;
 * - `cidr`: an address or block inside one of the entries (a CIDR block must lie wholly inside); for a list that
 *   names a URL or e-mail type, the host of a URL or the domain of an address when it is an IP literal;
 * - `hostname`: the name or any parent of it (`example.com` matches `a.b.example.com`, not `badexample.com`); a URL
 *   by its host, an e-mail address by its domain; a value with no host (a hash…) exactly;
 * - `string`: the canonical value exactly (without case). One extension: an entry written with a leading dot
 *   (`.google.com`, as MISP's google and microsoft lists write them) is read as a hostname entry;
 * - `substring`: the entry occurs in the canonical value (without case);
 * - `regex`: a PCRE-style `/pattern/flags` entry matches the canonical value.
 */
export const WARNING_LIST_TYPES = ['cidr', 'string', 'hostname', 'substring', 'regex'] as const;
export type WarningListType = (typeof WARNING_LIST_TYPES)[number];

/** One MISP warning list (`lists/<name>/list.json`). */
export interface MispWarningList {
  readonly name: string;
  readonly description: string;
  readonly version?: number;
  readonly type: WarningListType;
  readonly list: readonly string[];
  /** MISP attribute types the list applies to; absent, empty or `ALL` = every type. */
  readonly matching_attributes?: readonly string[];
  readonly category?: string;
}

/** Which list matched, and why the indicator must not be acted on (the shape of `CanonicalIndicator.warning`). */
export interface WarningListMatch {
  readonly list: string;
  readonly reason: string;
}

/** An entry the matcher could not use, and why (an unparseable CIDR, an unsafe or invalid regex…). */
export interface SkippedEntry {
  readonly entry: string;
  readonly why: string;
}

/** What a list compiled to: to report at start which lists are active and what was left out. */
export interface WarningListInfo {
  readonly name: string;
  readonly type: WarningListType;
  /** Entries in use. */
  readonly entries: number;
  readonly skipped: readonly SkippedEntry[];
  /** The indicator types the list is consulted for (from `matching_attributes`). */
  readonly indicatorTypes: readonly IndicatorType[];
}

export interface WarningListMatcher {
  /**
   * The most specific list that matches the canonical value, or null. Only lists whose `matching_attributes` name
   * the indicator's type are consulted. Lists are tried from the smallest to the largest (fewer entries = more
   * specific: "empty files" says more than "common false positives", "known google domains" more than "top 1000
   * websites"); equal sizes keep the order given. An IPv4-mapped IPv6 address is also checked by its IPv4.
   */
  match(type: IndicatorType, canonicalValue: string): WarningListMatch | null;
  readonly lists: readonly WarningListInfo[];
}

/** Longest reason kept: `<list name>: <description>` cut at a word. */
export const MAX_REASON_LENGTH = 200;
/** Regex lists are not run on longer values (bounds the cost of a backtracking pattern). */
export const MAX_REGEX_INPUT_LENGTH = 1_024;
const MAX_REGEX_SOURCE_LENGTH = 1_024;
/** PHP (PCRE) delimiters MISP regex entries use: `/…/i`, `#…#`… */
const REGEX_DELIMITERS = '/#~@%!|';

const NONE = Number.POSITIVE_INFINITY;

interface CompiledEntries {
  readonly exact: string[];
  readonly suffixes: string[];
  readonly substrings: string[];
  readonly regexes: RegExp[];
  readonly v4: Ipv4Range[];
  readonly v6: Ipv6Range[];
  readonly skipped: SkippedEntry[];
}

/** Everything the lists of one kind hold, merged; each entry remembers the first (highest-priority) list holding it. */
interface KindIndex {
  readonly exact: Map<string, number>;
  readonly suffixes: Map<string, number>;
  readonly substrings: { readonly needle: string; readonly at: number }[];
  readonly regexes: { readonly re: RegExp; readonly at: number }[];
  readonly v4: { readonly at: number; readonly set: RangeSet<number> }[];
  readonly v6: { readonly at: number; readonly set: RangeSet<bigint> }[];
  v4Any: RangeSet<number> | null;
  v6Any: RangeSet<bigint> | null;
}

/** A value to look up in one kind: as given (for regexes), lower-cased (for the rest), its host, its address range. */
interface Subject {
  readonly value: string;
  readonly key: string;
  readonly host?: string;
  readonly v4?: Ipv4Range;
  readonly v6?: Ipv6Range;
}

export function compileWarningLists(lists: readonly MispWarningList[]): WarningListMatcher {
  const indexes = new Map<MatchKind, KindIndex>();
  const results: WarningListMatch[] = [];
  const v4All = new Map<MatchKind, Ipv4Range[]>();
  const v6All = new Map<MatchKind, Ipv6Range[]>();

  const infos = lists.map((list) => ({ list, compiled: compileEntries(list), kinds: kindsFor(list) }));
  // `at` is the priority: position in size order (stable sort, so equal sizes keep the given order).
  const bySize = [...infos].sort((a, b) => a.list.list.length - b.list.list.length);
  bySize.forEach(({ list, compiled, kinds }, at) => {
    const v4Set = compiled.v4.length > 0 ? RangeSet.of(compiled.v4, nextIpv4) : null;
    const v6Set = compiled.v6.length > 0 ? RangeSet.of(compiled.v6, nextIpv6) : null;
    results.push(Object.freeze({ list: list.name, reason: reasonFor(list) }));
    for (const kind of kinds) {
      const index = indexes.get(kind) ?? emptyIndex();
      indexes.set(kind, index);
      for (const e of compiled.exact) {
        if (!index.exact.has(e)) {
          index.exact.set(e, at);
        }
      }
      for (const s of compiled.suffixes) {
        if (!index.suffixes.has(s)) {
          index.suffixes.set(s, at);
        }
      }
      for (const needle of compiled.substrings) {
        index.substrings.push({ needle, at });
      }
      for (const re of compiled.regexes) {
        index.regexes.push({ re, at });
      }
      if (v4Set) {
        index.v4.push({ at, set: v4Set });
        appendTo(v4All, kind, compiled.v4);
      }
      if (v6Set) {
        index.v6.push({ at, set: v6Set });
        appendTo(v6All, kind, compiled.v6);
      }
    }
  });
  for (const [kind, index] of indexes) {
    const v4 = v4All.get(kind);
    const v6 = v6All.get(kind);
    index.v4Any = v4 ? RangeSet.of(v4, nextIpv4) : null;
    index.v6Any = v6 ? RangeSet.of(v6, nextIpv6) : null;
  }

  const lookup = (kind: MatchKind, subject: Subject): number => {
    const index = indexes.get(kind);
    return index ? lookupIn(index, subject, NONE) : NONE;
  };

  /** An address or block: an IPv4-mapped one is judged by its IPv4 first ("public resolver" says more than "mapped"). */
  const ipBest = (value: string, range: IpRange | null): number => {
    const key = value.toLowerCase();
    const mapped = range?.family === 6 ? ipv4InMapped(range) : null;
    const viaIpv4 = mapped ? lookup('ip', { value, key, v4: mapped }) : NONE;
    return viaIpv4 < NONE ? viaIpv4 : lookup('ip', { value, key, ...rangeFields(range) });
  };

  /**
   * A value with a host (a URL, an e-mail address), looked up in its own kind only: the value itself (string,
   * substring and regex entries), its host or a parent of it (hostname entries), the host's address (cidr entries).
   */
  const withHost = (kind: MatchKind, value: string, rawHost: string): number => {
    const host = domainKey(rawHost);
    const range = host === '' ? null : addressRange(host);
    return lookup(kind, {
      value,
      key: value.toLowerCase(),
      ...(range === null ? (host === '' ? {} : { host }) : rangeFields(range)),
    });
  };

  const bestFor = (type: IndicatorType, value: string): number => {
    switch (type) {
      case 'ipv4':
      case 'ipv6':
        return ipBest(value, addressRange(value));
      case 'cidr':
        return ipBest(value, parseIpRange(value));
      case 'domain': {
        const d = domainKey(value);
        return lookup('domain', { value: d, key: d, host: d });
      }
      case 'url':
        return withHost('url', value, urlHost(value) ?? '');
      case 'email': {
        const atSign = value.lastIndexOf('@');
        const domain = atSign < 0 ? '' : value.slice(atSign + 1).replace(/^\[(?:ipv6:)?|\]$/gi, '');
        return withHost('email', value, domain);
      }
      case 'md5':
      case 'sha1':
      case 'sha256':
      case 'sha512':
      case 'cve':
      case 'asn': {
        const key = value.toLowerCase();
        return lookup(type, { value, key, host: key });
      }
    }
  };

  return {
    lists: infos.map(({ list, compiled, kinds }) => ({
      name: list.name,
      type: list.type,
      entries: list.list.length - compiled.skipped.length,
      skipped: compiled.skipped,
      indicatorTypes: indicatorTypesFor(kinds),
    })),
    match(type, canonicalValue) {
      const at = bestFor(type, canonicalValue.trim());
      return at === NONE ? null : (results[at] ?? null);
    },
  };
}

/**
 * The kinds a list is consulted for: from its `matching_attributes`, less those its type cannot match. `domain|ip`
 * names both kinds; a cidr list only ever matches the IP part, a hostname list only the name part.
 */
function kindsFor(list: MispWarningList): ReadonlySet<MatchKind> {
  const kinds = new Set(kindsOf(list.matching_attributes));
  if (list.type === 'cidr') {
    kinds.delete('domain');
  } else if (list.type === 'hostname') {
    kinds.delete('ip');
  }
  return kinds;
}

function appendTo<T>(map: Map<MatchKind, T[]>, kind: MatchKind, items: readonly T[]): void {
  const all = map.get(kind) ?? [];
  map.set(kind, all);
  for (const item of items) {
    all.push(item);
  }
}

function emptyIndex(): KindIndex {
  return {
    exact: new Map(),
    suffixes: new Map(),
    substrings: [],
    regexes: [],
    v4: [],
    v6: [],
    v4Any: null,
    v6Any: null,
  };
}

/** The lowest list position matching the subject, if lower than `best`. */
function lookupIn(index: KindIndex, subject: Subject, bestSoFar: number): number {
  let best = bestSoFar;
  const exact = index.exact.get(subject.key);
  if (exact !== undefined && exact < best) {
    best = exact;
  }
  if (subject.host !== undefined && index.suffixes.size > 0) {
    // The name itself, then each parent: a.b.example.com, b.example.com, example.com, com.
    for (let name = subject.host; ;) {
      const at = index.suffixes.get(name);
      if (at !== undefined && at < best) {
        best = at;
      }
      const dot = name.indexOf('.');
      if (dot < 0) {
        break;
      }
      name = name.slice(dot + 1);
    }
  }
  for (const { needle, at } of index.substrings) {
    if (at < best && subject.key.includes(needle)) {
      best = at;
    }
  }
  if (subject.value.length <= MAX_REGEX_INPUT_LENGTH) {
    for (const { re, at } of index.regexes) {
      if (at < best && re.test(subject.value)) {
        best = at;
      }
    }
  }
  const { v4, v6 } = subject;
  if (v4 && index.v4Any?.covers(v4.start, v4.end)) {
    const hit = index.v4.find((l) => l.at < best && l.set.covers(v4.start, v4.end));
    best = hit ? hit.at : best;
  }
  if (v6 && index.v6Any?.covers(v6.start, v6.end)) {
    const hit = index.v6.find((l) => l.at < best && l.set.covers(v6.start, v6.end));
    best = hit ? hit.at : best;
  }
  return best;
}

function addressRange(value: string): IpRange | null {
  const v4 = parseIpv4(value);
  if (v4 !== null) {
    return { family: 4, start: v4, end: v4 };
  }
  const v6 = value.includes(':') ? parseIpv6(value) : null;
  return v6 === null ? null : { family: 6, start: v6, end: v6 };
}

function rangeFields(range: IpRange | null): Pick<Subject, 'v4' | 'v6'> {
  if (range === null) {
    return {};
  }
  return range.family === 4 ? { v4: range } : { v6: range };
}

/** Domains compare case-insensitively and without the root dot. */
function domainKey(value: string): string {
  const d = value.toLowerCase();
  return d.endsWith('.') ? d.replace(/\.+$/, '') : d;
}

/** The host of `scheme://[userinfo@]host[:port]/…` (brackets of an IPv6 literal removed), or null. */
function urlHost(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i.exec(url);
  let authority = m?.[1];
  if (!authority) {
    return null;
  }
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    return close > 1 ? authority.slice(1, close) : null;
  }
  const colon = authority.indexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  return host === '' ? null : host;
}

function compileEntries(list: MispWarningList): CompiledEntries {
  const out: CompiledEntries = { exact: [], suffixes: [], substrings: [], regexes: [], v4: [], v6: [], skipped: [] };
  for (const raw of list.list) {
    const entry = raw.trim();
    const skip = (why: string): void => {
      out.skipped.push({ entry: raw, why });
    };
    if (entry === '') {
      skip('empty entry');
      continue;
    }
    switch (list.type) {
      case 'cidr': {
        const range = parseIpRange(entry);
        if (range === null) {
          skip('not an IP address or CIDR block');
        } else if (range.family === 4) {
          out.v4.push(range);
        } else {
          out.v6.push(range);
        }
        break;
      }
      case 'string': {
        // Suffix form (".google.com", "*.google.com"): the domain and every subdomain. Otherwise an exact value.
        const lower = entry.toLowerCase();
        const suffix = /^(?:\*?\.)+/.exec(lower);
        const name = suffix ? domainKey(lower.slice(suffix[0].length)) : domainKey(lower);
        if (name === '') {
          skip('nothing but dots');
        } else {
          (suffix ? out.suffixes : out.exact).push(name);
        }
        break;
      }
      case 'hostname': {
        const name = domainKey(entry.replace(/^(?:\*?\.)+/, ''));
        if (name === '') {
          skip('nothing but dots');
        } else {
          out.suffixes.push(name);
        }
        break;
      }
      case 'substring':
        out.substrings.push(entry.toLowerCase());
        break;
      case 'regex': {
        const re = compileRegex(entry);
        if (typeof re === 'string') {
          skip(re);
        } else {
          out.regexes.push(re);
        }
        break;
      }
    }
  }
  return out;
}

/** A MISP (PCRE) regex entry, `/pattern/flags` or a bare pattern, as a RegExp; or why it is not used. */
export function compileRegex(entry: string): RegExp | string {
  let source = entry;
  let flags = '';
  const delimiter = entry.charAt(0);
  const close = entry.lastIndexOf(delimiter);
  if (REGEX_DELIMITERS.includes(delimiter) && close > 0) {
    source = entry.slice(1, close);
    const modifiers = entry.slice(close + 1);
    if (!/^[imsu]*$/.test(modifiers)) {
      return `unsupported regex modifiers "${modifiers}"`;
    }
    flags = [...new Set(modifiers)].join('');
  }
  if (source.length > MAX_REGEX_SOURCE_LENGTH) {
    return `regex longer than ${MAX_REGEX_SOURCE_LENGTH} characters`;
  }
  if (hasNestedQuantifier(source)) {
    return 'nested quantifier (catastrophic backtracking)';
  }
  try {
    return new RegExp(source, flags);
  } catch (e) {
    return `invalid regex: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * Best-effort guard against catastrophic backtracking: a group with an unbounded quantifier inside (`*`, `+`, `{n,}`)
 * that is itself repeated without a small bound (`(a+)+`, `(\w*)*`, `(x+){2,}`). `(\d{1,3}\.){3}` passes.
 * Overlapping alternatives (`(a|aa)+`) are not detected; MAX_REGEX_INPUT_LENGTH bounds what remains.
 */
export function hasNestedQuantifier(source: string): boolean {
  const groups: boolean[] = []; // per open group: holds an unbounded quantifier
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      i = endOfClass(source, i);
    } else if (c === '(') {
      groups.push(false);
      if (source.charAt(i + 1) === '?') {
        i++;
      }
    } else if (c === ')') {
      const inner = groups.pop() ?? false;
      const outer = quantifierAt(source, i + 1);
      if (inner && outer !== null && (outer.max === null || outer.max > 10)) {
        return true;
      }
      if (inner && groups.length > 0) {
        groups[groups.length - 1] = true;
      }
    } else if (groups.length > 0) {
      const q = quantifierAt(source, i);
      if (q !== null && q.max === null) {
        groups[groups.length - 1] = true;
      }
    }
  }
  return false;
}

/** The index of the `]` closing the character class opened at `open`. */
function endOfClass(source: string, open: number): number {
  let i = open + 1;
  if (source.charAt(i) === '^') {
    i++;
  }
  if (source.charAt(i) === ']') {
    i++;
  }
  while (i < source.length && source.charAt(i) !== ']') {
    i += source.charAt(i) === '\\' ? 2 : 1;
  }
  return i;
}

/** The quantifier starting at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`) with its upper bound (null = unbounded). */
function quantifierAt(source: string, i: number): { readonly max: number | null } | null {
  const c = source.charAt(i);
  if (c === '*' || c === '+') {
    return { max: null };
  }
  if (c === '?') {
    return { max: 1 };
  }
  const m = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24)) : null;
  if (!m) {
    return null;
  }
  if (m[2] === undefined) {
    return { max: Number(m[1]) };
  }
  return { max: m[3] ? Number(m[3]) : null };
}

/** `<list name>: <description>`, whitespace collapsed, cut at a word to MAX_REASON_LENGTH. */
function reasonFor(list: MispWarningList): string {
  const name = list.name.trim();
  const description = list.description.trim();
  const text = (description ? `${name}: ${description}` : name).replace(/\s+/g, ' ');
  if (text.length <= MAX_REASON_LENGTH) {
    return text;
  }
  const cut = text.slice(0, MAX_REASON_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_REASON_LENGTH / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

const KIND_INDICATOR_TYPES: Readonly<Record<MatchKind, readonly IndicatorType[]>> = {
  ip: ['ipv4', 'ipv6', 'cidr'],
  domain: ['domain'],
  url: ['url'],
  email: ['email'],
  md5: ['md5'],
  sha1: ['sha1'],
  sha256: ['sha256'],
  sha512: ['sha512'],
  cve: ['cve'],
  asn: ['asn'],
};

function indicatorTypesFor(kinds: ReadonlySet<MatchKind>): IndicatorType[] {
  const types = new Set(MATCH_KINDS.filter((k) => kinds.has(k)).flatMap((k) => KIND_INDICATOR_TYPES[k]));
  return INDICATOR_TYPES.filter((t) => types.has(t));
}
