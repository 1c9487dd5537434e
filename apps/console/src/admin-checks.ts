// Light checks of constituency entries as an admin types them, to say why an entry is wrong next to its field
// before saving. The API remains the judge (it normalizes and may still refuse): its field errors are shown too.

export type ConstituencyKind = 'countries' | 'asns' | 'cidrs' | 'domains';

/** One entry per line (commas also separate); blank lines are ignored. */
export function entries(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function ipv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function ipv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) {
    return false;
  }
  try {
    // The URL parser knows IPv6 (compressed forms, an embedded IPv4 tail).
    return new URL(`http://[${s}]/`).hostname.startsWith('[');
  } catch {
    return false;
  }
}

/** Why the entry is not a valid one of its kind, or null when it looks right. */
export function entryProblem(kind: ConstituencyKind, value: string): string | null {
  switch (kind) {
    case 'countries':
      return /^[A-Za-z]{2}$/.test(value) ? null : 'a country is two letters (ISO 3166-1 alpha-2), like LU';
    case 'asns': {
      const m = /^(?:AS)?(\d+)(?:\.(\d+))?$/i.exec(value);
      if (!m) {
        return 'an AS number is digits, optionally after "AS" (AS64500), or asdot (AS1.10)';
      }
      const [hi, lo] = [Number(m[1]), m[2] === undefined ? null : Number(m[2])];
      if (lo !== null ? hi > 65535 || lo > 65535 : hi > 4294967295) {
        return 'an AS number is at most 4294967295 (asdot: each part at most 65535)';
      }
      return null;
    }
    case 'cidrs': {
      const [address = '', prefix, extra] = value.split('/');
      if (extra !== undefined) {
        return 'a CIDR block has one "/": address/prefix length';
      }
      const v4 = ipv4(address);
      if (!v4 && !ipv6(address)) {
        return `"${address}" is not an IPv4 or IPv6 address`;
      }
      const max = v4 ? 32 : 128;
      if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)) {
        return `the prefix length must be a number from 0 to ${max}`;
      }
      return null;
    }
    case 'domains': {
      const name = value
        .toLowerCase()
        .replace(/^\*?\./, '')
        .replace(/\.$/, '');
      if (name === '' || name.length > 253) {
        return 'a domain is 1–253 characters';
      }
      const bad = name.split('.').find((l) => !/^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u.test(l));
      return bad === undefined
        ? null
        : `"${bad}" is not a domain label (letters, digits and inner hyphens, at most 63 characters)`;
    }
  }
}

/** The problems of a field's entries, each with its position (as the API's pointer counts: `/cidrs/<index>`). */
export function fieldProblems(kind: ConstituencyKind, text: string): { index: number; value: string; why: string }[] {
  return entries(text).flatMap((value, index) => {
    const why = entryProblem(kind, value);
    return why === null ? [] : [{ index, value, why }];
  });
}
