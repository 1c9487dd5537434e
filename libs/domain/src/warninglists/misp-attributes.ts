/**
 * What a warning list is consulted for. A list names MISP attribute types in `matching_attributes`; each maps to
 * the kind of value it holds. An IP list (`ip-src`, `ip-dst`, `domain|ip`…) is checked for ipv4, ipv6 and cidr
 * indicators and for the host of a URL or e-mail that is an IP literal; a domain list (`domain`, `hostname`,
 * `domain|ip`) for domains and for the host of a URL and the domain of an e-mail address.
 */
export const MATCH_KINDS = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512', 'cve', 'asn'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

const IP: readonly MatchKind[] = ['ip'];
const DOMAIN: readonly MatchKind[] = ['domain'];
const URL_KIND: readonly MatchKind[] = ['url'];
const EMAIL: readonly MatchKind[] = ['email'];

/** MISP attribute types (PyMISP describeTypes) we have an indicator type for; the others are ignored. */
const ATTRIBUTE_KINDS: ReadonlyMap<string, readonly MatchKind[]> = new Map<string, readonly MatchKind[]>([
  ['ip-src', IP],
  ['ip-dst', IP],
  ['ip-src|port', IP],
  ['ip-dst|port', IP],
  ['domain|ip', ['domain', 'ip']],
  ['domain', DOMAIN],
  ['hostname', DOMAIN],
  ['hostname|port', DOMAIN],
  ['url', URL_KIND],
  ['link', URL_KIND],
  ['uri', URL_KIND],
  ['email', EMAIL],
  ['email-src', EMAIL],
  ['email-dst', EMAIL],
  ['email-reply-to', EMAIL],
  ['target-email', EMAIL],
  ['whois-registrant-email', EMAIL],
  ['dns-soa-email', EMAIL],
  ['md5', ['md5']],
  ['filename|md5', ['md5']],
  ['malware-sample', ['md5']],
  ['sha1', ['sha1']],
  ['filename|sha1', ['sha1']],
  ['sha256', ['sha256']],
  ['filename|sha256', ['sha256']],
  ['sha512', ['sha512']],
  ['filename|sha512', ['sha512']],
  ['vulnerability', ['cve']],
  ['AS', ['asn']],
]);

/**
 * The kinds a list applies to. MISP: a list without `matching_attributes` (or with `ALL`) applies to every type;
 * attribute types we have no indicator for (`sha224`, `ssdeep`, `filename`…) contribute nothing.
 */
export function kindsOf(matchingAttributes: readonly string[] | undefined): ReadonlySet<MatchKind> {
  if (!matchingAttributes || matchingAttributes.length === 0 || matchingAttributes.includes('ALL')) {
    return new Set(MATCH_KINDS);
  }
  const kinds = new Set<MatchKind>();
  for (const a of matchingAttributes) {
    for (const k of ATTRIBUTE_KINDS.get(a.trim()) ?? []) {
      kinds.add(k);
    }
  }
  return kinds;
}
