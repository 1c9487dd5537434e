/**
 * IP addresses as numbers and sets of address ranges searched by bisection: IPv4 as a `number` (0 … 2³²−1, exact
 * in a double), IPv6 as a `bigint` (0 … 2¹²⁸−1).
 */

export interface Ipv4Range {
  readonly family: 4;
  readonly start: number;
  readonly end: number;
}

export interface Ipv6Range {
  readonly family: 6;
  readonly start: bigint;
  readonly end: bigint;
}

export type IpRange = Ipv4Range | Ipv6Range;

const LOW_32 = 0xffffffffn;

/** Dotted-decimal IPv4 (`192.0.2.1`; no leading zeros, no octal or hex forms) as a number, or null. */
export function parseIpv4(s: string): number | null {
  let acc = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) {
        return null;
      }
      part = part * 10 + (c - 48);
      digits++;
      if (part > 255) {
        return null;
      }
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) {
        return null;
      }
      acc = acc * 256 + part;
      part = 0;
      digits = 0;
    } else {
      return null;
    }
  }
  return dots === 3 && digits > 0 ? acc * 256 + part : null;
}

/** Hex groups `1:2:ab` (1–4 digits each) into `out` from position `at`; the count, or -1 when malformed. */
function readGroups(s: string, from: number, to: number, out: number[], at: number): number {
  if (from === to) {
    return 0;
  }
  let count = 0;
  let group = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 58 : s.charCodeAt(i);
    if (c === 58) {
      if (digits === 0 || at + count > 7) {
        return -1;
      }
      out[at + count++] = group;
      group = 0;
      digits = 0;
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0 || ++digits > 4) {
      return -1;
    }
    group = group * 16 + d;
  }
  return count;
}

/**
 * An IPv6 address in any RFC 4291 text form (compressed `::`, upper or lower case, trailing dotted IPv4, `%zone`
 * ignored) as a bigint, or null.
 */
export function parseIpv6(input: string): bigint | null {
  const zone = input.indexOf('%');
  let end = zone < 0 ? input.length : zone;
  if (end < 2 || end > 45) {
    return null;
  }
  const groups = [0, 0, 0, 0, 0, 0, 0, 0];
  let last = 8; // groups available to hex: 6 when the address ends in dotted IPv4
  const lastColon = input.lastIndexOf(':', end - 1);
  if (lastColon < 0) {
    return null;
  }
  if (input.indexOf('.', lastColon) >= 0 && input.indexOf('.', lastColon) < end) {
    const v4 = parseIpv4(input.slice(lastColon + 1, end));
    if (v4 === null) {
      return null;
    }
    groups[6] = Math.floor(v4 / 65536);
    groups[7] = v4 % 65536;
    last = 6;
    // "…:1.2.3.4": keep the colon before the IPv4 only when it is part of "::".
    end = input.charCodeAt(lastColon - 1) === 58 ? lastColon + 1 : lastColon;
  }
  const gap = input.indexOf('::');
  if (gap < 0 || gap >= end) {
    if (readGroups(input, 0, end, groups, 0) !== last) {
      return null;
    }
  } else {
    if (input.indexOf('::', gap + 1) >= 0 && input.indexOf('::', gap + 1) < end) {
      return null;
    }
    const tail: number[] = [];
    const head = readGroups(input, 0, gap, groups, 0);
    const tailCount = readGroups(input, gap + 2, end, tail, 0);
    if (head < 0 || tailCount < 0 || head + tailCount > last - 1) {
      return null;
    }
    for (let i = 0; i < tailCount; i++) {
      groups[last - tailCount + i] = tail[i] ?? 0;
    }
  }
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = groups;
  return (
    (BigInt(a * 65536 + b) << 96n) |
    (BigInt(c * 65536 + d) << 64n) |
    (BigInt(e * 65536 + f) << 32n) |
    BigInt(g * 65536 + h)
  );
}

/** `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `v6/n` as the range it covers (host bits ignored), or null. */
export function parseIpRange(s: string): IpRange | null {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  let prefix: number | null = null;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) {
      return null;
    }
    prefix = Number(p);
  }
  const v4 = parseIpv4(addr);
  if (v4 !== null) {
    const bits = prefix ?? 32;
    if (bits > 32) {
      return null;
    }
    const size = 2 ** (32 - bits);
    const start = Math.floor(v4 / size) * size;
    return { family: 4, start, end: start + size - 1 };
  }
  const v6 = parseIpv6(addr);
  if (v6 !== null) {
    const bits = prefix ?? 128;
    if (bits > 128) {
      return null;
    }
    const host = (1n << BigInt(128 - bits)) - 1n;
    const start = v6 & ~host;
    return { family: 6, start, end: start | host };
  }
  return null;
}

/** The IPv4 range inside an IPv4-mapped IPv6 range (`::ffff:0:0/96`), or null when it is not inside. */
export function ipv4InMapped(range: Ipv6Range): Ipv4Range | null {
  if (range.start >> 32n !== 0xffffn || range.end >> 32n !== 0xffffn) {
    return null;
  }
  return { family: 4, start: Number(range.start & LOW_32), end: Number(range.end & LOW_32) };
}

/**
 * A set of addresses kept as sorted, disjoint, non-adjacent ranges: overlapping and touching ranges are merged when
 * the set is built, so `covers` is one bisection whatever the number of entries.
 */
export class RangeSet<T extends number | bigint> {
  private constructor(
    private readonly starts: readonly T[],
    private readonly ends: readonly T[],
  ) {}

  /** `next` gives the successor of an address (x + 1), to merge touching ranges. */
  static of<T extends number | bigint>(
    ranges: readonly { readonly start: T; readonly end: T }[],
    next: (x: T) => T,
  ): RangeSet<T> {
    const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const starts: T[] = [];
    const ends: T[] = [];
    for (const r of sorted) {
      const last = ends.length - 1;
      const lastEnd = ends[last];
      if (lastEnd !== undefined && r.start <= next(lastEnd)) {
        if (r.end > lastEnd) {
          ends[last] = r.end;
        }
      } else {
        starts.push(r.start);
        ends.push(r.end);
      }
    }
    return new RangeSet(starts, ends);
  }

  /** Number of disjoint ranges after merging. */
  get size(): number {
    return this.starts.length;
  }

  /** True when every address of [start, end] is in the set. */
  covers(start: T, end: T): boolean {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.starts[mid];
      if (s !== undefined && s <= start) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    const e = this.ends[found];
    return e !== undefined && e >= end;
  }
}

export const nextIpv4 = (x: number): number => x + 1;
export const nextIpv6 = (x: bigint): bigint => x + 1n;
