import type { IndicatorType } from './indicator-types';
import type { SubmittedIndicator } from './alert-submission';

/**
 * A first, minimal normalization pass: trims, lower-cases what is case-insensitive, checks the simple
 * syntaxes and merges duplicates. The unified-norms work replaces the rules (refanging, IDN, RFC 5952…)
 * but keeps this shape: every indicator comes out with its raw value, canonical value or rejection reason.
 */
export interface NormalizedIndicator {
  readonly type: IndicatorType;
  readonly rawValue: string;
  readonly canonicalValue: string | null;
  readonly rejection: string | null;
}

const HASH_LENGTH: Partial<Record<IndicatorType, number>> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

function canonical(type: IndicatorType, raw: string): { value: string } | { rejection: string } {
  const v = raw.trim();
  switch (type) {
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512': {
      const len = HASH_LENGTH[type];
      if (!/^[0-9a-fA-F]+$/.test(v)) {
        return { rejection: `not a hexadecimal ${type} hash` };
      }
      return v.length === len ? { value: v.toLowerCase() } : { rejection: `a ${type} hash has ${len} hex digits` };
    }
    case 'ipv4': {
      const parts = v.split('.');
      const valid = parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
      return valid ? { value: v } : { rejection: 'not an IPv4 address in dotted-decimal form' };
    }
    case 'ipv6':
      return /^[0-9a-fA-F:.]+$/.test(v) && v.includes(':')
        ? { value: v.toLowerCase() }
        : { rejection: 'not an IPv6 address' };
    case 'cidr':
      return /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(v) ? { value: v.toLowerCase() } : { rejection: 'not a CIDR block' };
    case 'domain': {
      const d = v.toLowerCase().replace(/\.$/, '');
      return /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(d)
        ? { value: d }
        : { rejection: 'not a domain name' };
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? { value: v.toLowerCase() } : { rejection: 'not an e-mail address' };
    case 'url':
      return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/.test(v) ? { value: v } : { rejection: 'not an absolute URL' };
    case 'cve': {
      const c = v.toUpperCase();
      return /^CVE-\d{4}-\d{4,}$/.test(c) ? { value: c } : { rejection: 'not a CVE id (CVE-YYYY-NNNN)' };
    }
    case 'asn': {
      const m = /^(?:AS)?(\d{1,10})$/i.exec(v);
      const n = m?.[1] ? Number(m[1]) : NaN;
      return Number.isInteger(n) && n <= 4_294_967_295 ? { value: `AS${n}` } : { rejection: 'not an AS number' };
    }
  }
}

export function normalizeIndicators(input: readonly SubmittedIndicator[]): NormalizedIndicator[] {
  const seen = new Set<string>();
  const out: NormalizedIndicator[] = [];
  for (const i of input) {
    const c = canonical(i.type, i.value);
    if ('value' in c) {
      const key = `${i.type}\u0000${c.value}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      out.push({ type: i.type, rawValue: i.value, canonicalValue: c.value, rejection: null });
    } else {
      out.push({ type: i.type, rawValue: i.value, canonicalValue: null, rejection: c.rejection });
    }
  }
  return out;
}
