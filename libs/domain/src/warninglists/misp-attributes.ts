/**
 * What a warning list is consulted for, as MISP does it: a list names MISP attribute types in `matching_attributes`
 * and is checked only for attributes of those types. Each type maps to the kind of Tocsin indicator it holds:
 * an IP type (`ip-src`, `ip-dst`, `ip-src|port`…) to ipv4, ipv6 and cidr; a name type (`domain`, `hostname`) to
 * domain; `domain|ip` to both; `url`, `uri`, `link` to url; the e-mail types to email; hash types to their hash;
 * `AS` to asn; `vulnerability` to cve. A domain list is therefore not consulted for the domain of an e-mail address
 * nor for the host of a URL unless it names an e-mail or URL type too.
 */
export const MATCH_KINDS = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512', 'cve', 'asn'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

const IP: readonly MatchKind[] = ['ip'];
const DOMAIN: readonly MatchKind[] = ['domain'];
const URL_KIND: readonly MatchKind[] = ['url'];
const EMAIL: readonly MatchKind[] = ['email'];

/** MISP attribute types (PyMISP describeTypes, lower-cased) we have an indicator type for; the others are ignored. */
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
  ['as', ['asn']],
]);

/**
 * The kinds a list applies to. MISP: a list without `matching_attributes` (or with `ALL`) applies to every type;
 * attribute types we have no indicator for (`sha224`, `ssdeep`, `filename`…) contribute nothing. Names are compared
 * without case (older MISP lists spell `URL`).
 */
export function kindsOf(matchingAttributes: readonly string[] | undefined): ReadonlySet<MatchKind> {
  const names = (matchingAttributes ?? []).map((a) => a.trim().toLowerCase()).filter((a) => a !== '');
  if (names.length === 0 || names.includes('all')) {
    return new Set(MATCH_KINDS);
  }
  const kinds = new Set<MatchKind>();
  for (const a of names) {
    for (const k of ATTRIBUTE_KINDS.get(a) ?? []) {
      kinds.add(k);
    }
  }
  return kinds;
}
