import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { normalizeIndicator } from '../indicators/normalize-indicator';
import { isCountryCode } from '../orgs/org-input';
import { err, ok, type Issue, type Result } from '../shared/result';
import { toPointer, zodIssues } from '../shared/zod-issues';

/**
 * What an organisation is responsible for, in canonical form: countries (ISO 3166-1 alpha-2), AS numbers (`AS<n>`),
 * CIDR blocks reduced to their network (IPv4 and IPv6, as the indicator normalizer writes them) and domains
 * (lower case, punycode; each covers its subdomains).
 */
export interface Constituency {
  readonly countries: readonly string[];
  readonly asns: readonly string[];
  readonly cidrs: readonly string[];
  readonly domains: readonly string[];
}

export const CONSTITUENCY_KINDS = ['countries', 'asns', 'cidrs', 'domains'] as const;
export type ConstituencyKind = (typeof CONSTITUENCY_KINDS)[number];

export const EMPTY_CONSTITUENCY: Constituency = { countries: [], asns: [], cidrs: [], domains: [] };

/** Default bound on the entries of each kind (TOCSIN_CONSTITUENCY_MAX_ENTRIES). */
export const DEFAULT_CONSTITUENCY_MAX_ENTRIES = 50_000;

const entry = z.string().max(300, 'must be at most 300 characters');

function constituencySchema(maxEntries: number) {
  const list = <T extends z.ZodType>(item: T) =>
    z.array(item).max(maxEntries, `must have at most ${maxEntries} entries`).optional();
  return z.strictObject({
    countries: list(entry),
    asns: list(z.union([entry, z.number()], { error: 'must be a string or a number' })),
    cidrs: list(entry),
    domains: list(entry),
  });
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const DOTTED_NUMERIC = /^[\d.]+$/;

/**
 * A constituency domain: trimmed, a leading `*.` or `.` and a trailing dot dropped, lower-cased and IDN to punycode
 * (UTS #46, as the indicator normalizer does). Unlike an indicator, a bare top-level or public suffix (`fr`,
 * `gouv.fr`) is allowed: a national CERT's constituency is often exactly that.
 */
export function normalizeConstituencyDomain(raw: string): Result<string, string> {
  let v = raw.trim();
  if (v.startsWith('*.')) {
    v = v.slice(2);
  } else if (v.startsWith('.')) {
    v = v.slice(1);
  }
  if (v.endsWith('.')) {
    v = v.slice(0, -1);
  }
  if (v === '') {
    return err('empty domain name');
  }
  const ascii = domainToASCII(v);
  if (ascii === '' || ascii.endsWith('.')) {
    return err('not a valid domain name');
  }
  if (ascii.length > 253) {
    return err('domain name longer than 253 characters');
  }
  if (DOTTED_NUMERIC.test(ascii)) {
    return err('an IP address, not a domain name');
  }
  for (const label of ascii.split('.')) {
    if (!LABEL.test(label)) {
      return err('domain name with an empty or invalid label (letters, digits, hyphens, underscores; 63 at most)');
    }
  }
  return ok(ascii);
}

/** A CIDR block reduced to its network (`10.1.2.3/8` → `10.0.0.0/8`); a bare address is its /32 or /128. */
export function normalizeConstituencyCidr(raw: string): Result<string, string> {
  const v = raw.trim();
  if (!v.includes('/')) {
    const host = normalizeIndicator({ type: v.includes(':') ? 'ipv6' : 'ipv4', value: v });
    if (host.canonicalValue === null) {
      return err(host.rejection ?? 'not an IP address or CIDR block');
    }
    return ok(`${host.canonicalValue}/${host.type === 'ipv6' ? 128 : 32}`);
  }
  const n = normalizeIndicator({ type: 'cidr', value: v });
  return n.canonicalValue === null ? err(n.rejection ?? 'not a CIDR block') : ok(n.canonicalValue);
}

export function normalizeConstituencyAsn(raw: string | number): Result<string, string> {
  const n = normalizeIndicator({ type: 'asn', value: String(raw).trim() });
  return n.canonicalValue === null ? err(n.rejection ?? 'not an AS number') : ok(n.canonicalValue);
}

export function normalizeConstituencyCountry(raw: string): Result<string, string> {
  const v = raw.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(v) && isCountryCode(v)
    ? ok(v)
    : err('is not an assigned ISO 3166-1 alpha-2 country code, such as FR');
}

const NORMALIZERS: { readonly [K in ConstituencyKind]: (raw: string | number) => Result<string, string> } = {
  countries: (raw) => normalizeConstituencyCountry(String(raw)),
  asns: normalizeConstituencyAsn,
  cidrs: (raw) => normalizeConstituencyCidr(String(raw)),
  domains: (raw) => normalizeConstituencyDomain(String(raw)),
};

/**
 * Parses a `PUT …/constituency` body: every kind optional (absent = none), each a list of at most `maxEntries`.
 * Every entry is normalized; each one refused is an issue whose pointer names it (`/cidrs/3`), up to 100 issues.
 * Duplicates (after normalization) are kept once, in first-seen order.
 */
export function parseConstituency(
  body: unknown,
  maxEntries = DEFAULT_CONSTITUENCY_MAX_ENTRIES,
): Result<Constituency, Issue[]> {
  const r = constituencySchema(maxEntries).safeParse(body);
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  const issues: Issue[] = [];
  const out: Record<ConstituencyKind, string[]> = { countries: [], asns: [], cidrs: [], domains: [] };
  for (const kind of CONSTITUENCY_KINDS) {
    const seen = new Set<string>();
    (r.data[kind] ?? []).forEach((raw, i) => {
      const n = NORMALIZERS[kind](raw);
      if (!n.ok) {
        if (issues.length < 100) {
          issues.push({ pointer: toPointer([kind, i]), detail: n.error });
        }
      } else if (!seen.has(n.value)) {
        seen.add(n.value);
        out[kind].push(n.value);
      }
    });
  }
  return issues.length > 0 ? err(issues) : ok(out);
}

export function constituencySize(c: Constituency): number {
  return c.countries.length + c.asns.length + c.cidrs.length + c.domains.length;
}
