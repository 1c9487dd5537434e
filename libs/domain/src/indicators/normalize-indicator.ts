import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { parse } from 'tldts';
import type { IndicatorType } from '../alerts/indicator-types';
import { INDICATOR_FLAGS, type IndicatorFlag } from '../model/canonical';
import { err, ok, type Result } from '../shared/result';
import { inferIndicatorType } from './infer-type';
import { refang, trimEdges } from './refang';

/** Longest raw value accepted, and longest canonical value produced. */
export const MAX_INDICATOR_LENGTH = 2048;

/** The outcome for one indicator: its canonical value, or the reason it was rejected (never both). */
export interface IndicatorNormalization {
  readonly type: IndicatorType;
  readonly rawValue: string;
  readonly canonicalValue: string | null;
  readonly flags: IndicatorFlag[];
  readonly rejection: string | null;
}

interface Canonical {
  /** Usually the type asked for; an IPv4-mapped IPv6 address (or CIDR block) comes out as IPv4. */
  readonly type: IndicatorType;
  readonly value: string;
  /** A non-ASCII host was converted to punycode. */
  readonly idn: boolean;
  /** The domain (or URL host, or e-mail domain) ends in a suffix the public suffix list does not know. */
  readonly unknownSuffix: boolean;
}

type Outcome = Result<Canonical, string>;

const canonical = (type: IndicatorType, value: string, idn = false, unknownSuffix = false): Outcome =>
  ok({ type, value, idn, unknownSuffix });

// eslint-disable-next-line no-control-regex -- checking for non-ASCII on purpose
const NON_ASCII = /[^\x00-\x7f]/;
// eslint-disable-next-line no-control-regex -- rejecting control characters on purpose
const CONTROL = /[\x00-\x1f\x7f]/;

// ---------------------------------------------------------------------------------------------------------------
// Domains

const LABEL = /^[a-z0-9_-]+$/;
const DOTTED_NUMERIC = /^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){1,3}$/i;

/**
 * A top-level label: 2–63 letters and digits with at least one letter (RFC 3696 §2: never all-numeric; `i2p`), or
 * an A-label (`xn--…`); no hyphen otherwise, no underscore.
 */
const TOP_LABEL = /^(?:(?=[a-z0-9]*[a-z])[a-z0-9]{2,63}|xn--[a-z0-9-]{1,59})$/;

interface Domain {
  readonly value: string;
  readonly idn: boolean;
  /** Under a top-level label the public suffix list does not know (an internal or alternative-root name). */
  readonly unknownSuffix: boolean;
}

/**
 * Lower-cases, drops one trailing root dot, converts IDN to punycode (UTS #46, as browsers do), checks the
 * label syntax (letters, digits, hyphen, underscore; no hyphen at either end), the lengths (63 per label, 253
 * in all), then the public suffix list: a name under an ICANN suffix must not be that suffix. Suffixes from
 * the list's private section (github.io, duckdns.org, blogspot.com…) are not treated as suffixes here: CERTs
 * share `duckdns.org` itself as an indicator, and a `*.github.io` host is still under the ICANN suffix `io`.
 *
 * A name whose suffix the list does not know (`c2.evil.bit`, `host.corp.internal`, `printer.local`) is what a
 * report said about an internal or alternative-root name: with `allowUnknownSuffix` it is kept, marked
 * `unknownSuffix`, when it has at least two labels and its last label is shaped like a top-level domain (2–63
 * letters and digits, not all digits, or `xn--`); a single label (`localhost`) or an odd last label is refused.
 */
function normalizeDomain(value: string, allowUnknownSuffix = true): Result<Domain, string> {
  let v = trimEdges(value);
  if (v.endsWith('.')) {
    v = v.slice(0, -1);
  }
  let idn = false;
  if (NON_ASCII.test(v)) {
    const ascii = domainToASCII(v);
    if (ascii === '') {
      return err('not a valid internationalized domain name');
    }
    v = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
    idn = true;
  } else {
    v = v.toLowerCase();
  }
  if (v === '') {
    return err('empty domain name');
  }
  if (v.length > 253) {
    return err('domain name longer than 253 characters');
  }
  if (DOTTED_NUMERIC.test(v)) {
    return err('an IP address, not a domain name');
  }
  let punycode = false;
  for (const label of v.split('.')) {
    if (label === '') {
      return err('domain name with an empty label');
    }
    if (label.length > 63) {
      return err('domain name with a label longer than 63 characters');
    }
    if (!LABEL.test(label)) {
      return err('domain name with characters other than letters, digits, hyphens and underscores');
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return err('domain name with a label starting or ending with a hyphen');
    }
    punycode ||= label.startsWith('xn--');
  }
  if (punycode && !idn && domainToASCII(v) !== v) {
    return err('domain name with an invalid punycode (xn--) label');
  }
  const parsed = parse(v, { extractHostname: false, allowPrivateDomains: false });
  if (parsed.isIcann !== true) {
    const dot = v.lastIndexOf('.');
    if (!allowUnknownSuffix || dot < 0 || !TOP_LABEL.test(v.slice(dot + 1))) {
      return err('not under a known public suffix');
    }
    return ok({ value: v, idn, unknownSuffix: true });
  }
  if (parsed.domain === null || parsed.publicSuffix === v) {
    return err('is a public suffix, not a domain');
  }
  return ok({ value: v, idn, unknownSuffix: false });
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses and CIDR blocks

/** Strict dotted-decimal IPv4: four decimal octets 0–255 without leading zeros. Returns the octets. */
function parseIPv4(value: string): Result<number[], string> {
  const parts = value.split('.');
  if (parts.length !== 4) {
    return err('not an IPv4 address: four dot-separated decimal octets are required');
  }
  const octets: number[] = [];
  for (const part of parts) {
    if (/^0x/i.test(part)) {
      return err('not an IPv4 address: hexadecimal octets are not accepted');
    }
    if (!/^\d{1,3}$/.test(part)) {
      return err('not an IPv4 address: four dot-separated decimal octets are required');
    }
    if (part.length > 1 && part.startsWith('0')) {
      return err('not an IPv4 address: an octet has a leading zero (ambiguous octal)');
    }
    const n = Number(part);
    if (n > 255) {
      return err('not an IPv4 address: an octet is above 255');
    }
    octets.push(n);
  }
  return ok(octets);
}

function normalizeIPv4(value: string): Outcome {
  const octets = parseIPv4(value);
  return octets.ok ? canonical('ipv4', octets.value.join('.')) : octets;
}

/**
 * Parses an IPv6 address (no zone id). An embedded dotted quad must be strict IPv4 and is rewritten to two hex
 * groups before ipaddr.js sees it: ipaddr.js reads the deprecated IPv4-compatible form `::a.b.c.d` as the
 * IPv4-mapped `::ffff:a.b.c.d`, which would turn `::192.0.2.1` into the IPv4 address 192.0.2.1.
 */
function parseIPv6(value: string): Result<ipaddr.IPv6, string> {
  if (value.includes('%')) {
    return err('not accepted: an IPv6 zone id (%…) only has a meaning on one host');
  }
  if (!/^[0-9a-f:.]+$/i.test(value)) {
    return err('not an IPv6 address');
  }
  let v = value;
  const lastColon = v.lastIndexOf(':');
  const tail = v.slice(lastColon + 1);
  if (tail.includes('.')) {
    const quad = parseIPv4(tail);
    if (!quad.ok) {
      return err('not an IPv6 address: the embedded IPv4 part is not strict dotted-decimal');
    }
    const [a = 0, b = 0, c = 0, d = 0] = quad.value;
    v = `${v.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  try {
    return ok(ipaddr.IPv6.parse(v));
  } catch {
    return err('not an IPv6 address'); // ipaddr.js throws on anything it cannot parse
  }
}

/** RFC 5952 text; an IPv4-mapped address (`::ffff:192.0.2.1`) becomes the IPv4 indicator it designates. */
function normalizeIPv6(value: string): Outcome {
  const parsed = parseIPv6(value);
  if (!parsed.ok) {
    return parsed;
  }
  const address = parsed.value;
  return address.isIPv4MappedAddress()
    ? canonical('ipv4', address.toIPv4Address().toString())
    : canonical('ipv6', address.toRFC5952String());
}

/**
 * `address/prefix` reduced to its network address (`10.1.2.3/8` → `10.0.0.0/8`), address in canonical form.
 * A /32 IPv4 or /128 IPv6 block stays a CIDR block: the sender chose the notation, and range matching treats
 * both alike. An IPv4-mapped IPv6 block of prefix ≥ 96 becomes the IPv4 block it designates.
 */
function normalizeCidr(value: string): Outcome {
  const slash = value.indexOf('/');
  if (slash < 0 || value.includes('/', slash + 1)) {
    return err('not a CIDR block (address/prefix-length)');
  }
  const address = value.slice(0, slash);
  const lengthText = value.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(lengthText)) {
    return err('not a CIDR block: the prefix length is not a decimal number');
  }
  const length = Number(lengthText);
  if (address.includes(':')) {
    if (length > 128) {
      return err('not a CIDR block: an IPv6 prefix length is at most 128');
    }
    const parsed = parseIPv6(address);
    if (!parsed.ok) {
      return parsed;
    }
    const parts = parsed.value.parts.map((part, i) => {
      const bits = Math.min(16, Math.max(0, length - 16 * i));
      return part & ((0xffff << (16 - bits)) & 0xffff);
    });
    const network = new ipaddr.IPv6(parts);
    if (length >= 96 && network.isIPv4MappedAddress()) {
      return canonical('cidr', `${network.toIPv4Address().toString()}/${length - 96}`);
    }
    return canonical('cidr', `${network.toRFC5952String()}/${length}`);
  }
  if (length > 32) {
    return err('not a CIDR block: an IPv4 prefix length is at most 32');
  }
  const octets = parseIPv4(address);
  if (!octets.ok) {
    return octets;
  }
  const network = octets.value.map((octet, i) => {
    const bits = Math.min(8, Math.max(0, length - 8 * i));
    return octet & ((0xff << (8 - bits)) & 0xff);
  });
  return canonical('cidr', `${network.join('.')}/${length}`);
}

// ---------------------------------------------------------------------------------------------------------------
// URLs

const URL_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ftp', 'ftps', 'ws', 'wss']);
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const STRICT_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 §2.3): never needs escaping, so an escape of one is decoded. */
function isUnreserved(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x7e
  );
}

/** RFC 3986 §6.2.2: upper-case hex digits in escapes, decode escapes of unreserved characters. */
function normalizeEscapes(text: string): string {
  if (!text.includes('%')) {
    return text;
  }
  return text.replace(/%([0-9a-f]{2})/gi, (_escape, hex: string) => {
    const code = parseInt(hex, 16);
    return isUnreserved(code) ? String.fromCharCode(code) : `%${hex.toUpperCase()}`;
  });
}

/**
 * The characters RFC 3986 (§3.2.1, §3.3, §3.4) allows unescaped in the user info, a path and a query: unreserved,
 * sub-delims, and `:`, `@`, `/`, `?` where the component allows them; `%` only as the start of an escape.
 */
const USERINFO_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:]$/;
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;
const QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/;
const UTF8 = new TextEncoder();

/**
 * Percent-encodes (UTF-8) every character the component does not allow, and a `%` that starts no escape: WHATWG
 * parsing leaves `[`, `]`, `^`, `|` and a bare `%` in a path, and `[`, `\`, `]`, `^`, `` ` ``, `{`, `|`, `}` and a bare
 * `%` in a query, none of which RFC 3986 allows there. Escaping them is the only valid form of such a character
 * (§2.1, §2.4), so a canonical URL is always a valid URI (STIX `url` objects require one), and a server decodes
 * it to the same bytes. Then {@link normalizeEscapes}.
 */
function canonicalComponent(text: string, allowed: RegExp): string {
  const escaped = text.replace(/%[0-9A-Fa-f]{2}|[^]/gu, (token) =>
    token.length === 3 || allowed.test(token)
      ? token
      : Array.from(UTF8.encode(token), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  return normalizeEscapes(escaped);
}

/** The host as written (after `scheme://`, before the path, without user info), to tell whether it was an IDN. */
function writtenHost(value: string, schemeLength: number): string {
  const rest = value.slice(schemeLength + 3);
  const end = rest.search(/[/?#\\]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  return authority.slice(authority.lastIndexOf('@') + 1);
}

/**
 * WHATWG URL parsing (what a browser would request), then: scheme and host lower-cased, IDN host in punycode,
 * a domain host checked like a domain indicator (trailing root dot dropped), default port dropped, path
 * kept as the parser resolves it (dot segments removed), user info, path and query with every character RFC 3986
 * does not allow there percent-encoded ({@link canonicalComponent}) and escapes normalized, and the fragment
 * dropped: it is never sent to the server, so `…/x#a` and `…/x#b` are one indicator. Numeric hosts are
 * canonicalized as a browser would (`http://0x7f.1/` → `http://127.0.0.1/`) because that is the address it connects to.
 * ftps is not a WHATWG "special" scheme, so it is parsed as ftp and its own default port (990) dropped.
 */
function normalizeUrl(value: string): Outcome {
  const m = SCHEME.exec(value);
  if (m?.[1] === undefined) {
    return err('not an absolute URL (scheme://host/…)');
  }
  const scheme = m[1].toLowerCase();
  if (!URL_SCHEMES.has(scheme)) {
    const shown = scheme.length > 32 ? `${scheme.slice(0, 32)}…` : scheme;
    return err(`URL scheme "${shown}" is not accepted (http, https, ftp, ftps, ws, wss)`);
  }
  if (!value.startsWith('//', m[0].length)) {
    return err('not an absolute URL (scheme://host/…)');
  }
  if (CONTROL.test(value)) {
    return err('URL with control characters');
  }
  const rest = value.slice(scheme.length);
  const url = parseUrl((scheme === 'ftps' ? 'ftp' : scheme) + rest);
  if (url === null) {
    return err('not a valid URL');
  }
  let port = url.port;
  if (scheme === 'ftps') {
    // Parsed as ftp, an explicit :21 vanished; parsing as https tells whether it was there.
    port = port === '' ? (parseUrl(`https${rest}`)?.port ?? '') : port;
    port = port === '990' ? '' : port;
  }
  let host = url.hostname;
  let idn = false;
  let unknownSuffix = false;
  if (host === '') {
    return err('URL without a host');
  }
  if (!host.startsWith('[') && !STRICT_IPV4.test(host)) {
    const domain = normalizeDomain(host);
    if (!domain.ok) {
      return err(`URL host: ${domain.error}`);
    }
    host = domain.value.value;
    unknownSuffix = domain.value.unknownSuffix;
    idn = NON_ASCII.test(writtenHost(value, scheme.length));
  }
  const user = canonicalComponent(url.username, USERINFO_CHARS);
  const password = canonicalComponent(url.password, USERINFO_CHARS);
  const userInfo = password !== '' ? `${user}:${password}@` : user !== '' ? `${user}@` : '';
  const path = canonicalComponent(url.pathname, PATH_CHARS);
  const query = url.search === '' ? '' : `?${canonicalComponent(url.search.slice(1), QUERY_CHARS)}`;
  const out = `${scheme}://${userInfo}${host}${port === '' ? '' : `:${port}`}${path}${query}`;
  if (out.length > MAX_INDICATOR_LENGTH) {
    return err(`URL longer than ${MAX_INDICATOR_LENGTH} characters once normalized`);
  }
  return canonical('url', out, idn, unknownSuffix);
}

// ---------------------------------------------------------------------------------------------------------------
// E-mail addresses

/** Local part kept as written (it may be case-sensitive), only trimmed; domain part normalized like a domain. */
function normalizeEmail(value: string): Outcome {
  const at = value.lastIndexOf('@');
  if (at < 0) {
    return err('not an e-mail address: no @');
  }
  const local = trimEdges(value.slice(0, at));
  const quoted = local.length >= 2 && local.startsWith('"') && local.endsWith('"');
  if (local === '') {
    return err('not an e-mail address: empty local part');
  }
  if (local.length > 64) {
    return err('not an e-mail address: local part longer than 64 characters');
  }
  if (CONTROL.test(local)) {
    return err('not an e-mail address: control characters in the local part');
  }
  if (!quoted && (/\s/.test(local) || local.includes('@'))) {
    return err('not an e-mail address: spaces or @ in an unquoted local part');
  }
  const domain = normalizeDomain(value.slice(at + 1));
  if (!domain.ok) {
    return err(`e-mail domain: ${domain.error}`);
  }
  return canonical('email', `${local}@${domain.value.value}`, domain.value.idn, domain.value.unknownSuffix);
}

// ---------------------------------------------------------------------------------------------------------------
// Hashes, CVE ids, AS numbers

const HASH_LENGTH = { md5: 32, sha1: 40, sha256: 64, sha512: 128 } as const;

function normalizeHash(type: keyof typeof HASH_LENGTH, value: string): Outcome {
  if (!/^[0-9a-f]+$/i.test(value)) {
    return err(`not a hexadecimal ${type} hash`);
  }
  const length = HASH_LENGTH[type];
  return value.length === length
    ? canonical(type, value.toLowerCase())
    : err(`a ${type} hash has ${length} hex digits, not ${value.length}`);
}

const CVE = /^CVE[-\u2010-\u2015](\d{4})[-\u2010-\u2015](\d{4,})$/i;

/** `CVE-YYYY-NNNN…`, upper-cased; a sequence number of more than four digits has no leading zero (CVE id syntax). */
function normalizeCve(value: string): Outcome {
  const m = CVE.exec(value);
  if (m?.[1] === undefined || m[2] === undefined) {
    return err('not a CVE id (CVE-YYYY-NNNN)');
  }
  if (m[2].length > 4 && m[2].startsWith('0')) {
    return err('not a CVE id: a sequence number longer than four digits has no leading zero');
  }
  return canonical('cve', `CVE-${m[1]}-${m[2]}`);
}

const ASN = /^(?:ASN?[ \t]?)?(\d+)(?:\.(\d+))?$/i;
const MAX_ASN = 4_294_967_295;

/** `AS123`, `as123`, `ASN 123`, `123` (the type was given) and asdot `AS1.10` (= AS65546); canonical `AS<n>`. */
function normalizeAsn(value: string): Outcome {
  const m = ASN.exec(value);
  if (m?.[1] === undefined) {
    return err('not an AS number (AS<n>)');
  }
  const high = m[1].replace(/^0+(?=\d)/, '');
  if (m[2] !== undefined) {
    const low = m[2].replace(/^0+(?=\d)/, '');
    if (high.length > 5 || low.length > 5 || Number(high) > 0xffff || Number(low) > 0xffff) {
      return err('not an AS number: each asdot half is at most 65535');
    }
    return canonical('asn', `AS${Number(high) * 65536 + Number(low)}`);
  }
  if (high.length > 10 || Number(high) > MAX_ASN) {
    return err(`not an AS number: at most ${MAX_ASN}`);
  }
  return canonical('asn', `AS${Number(high)}`);
}

// ---------------------------------------------------------------------------------------------------------------

/** `allowUnknownSuffix` is false for a value whose type was not given and could not be inferred (see below). */
function normalizeAs(type: IndicatorType, value: string, allowUnknownSuffix = true): Outcome {
  switch (type) {
    case 'ipv4':
      return normalizeIPv4(value);
    case 'ipv6':
      return normalizeIPv6(value);
    case 'cidr':
      return normalizeCidr(value);
    case 'domain': {
      const domain = normalizeDomain(value, allowUnknownSuffix);
      return domain.ok ? canonical('domain', domain.value.value, domain.value.idn, domain.value.unknownSuffix) : domain;
    }
    case 'url':
      return normalizeUrl(value);
    case 'email':
      return normalizeEmail(value);
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return normalizeHash(type, value);
    case 'cve':
      return normalizeCve(value);
    case 'asn':
      return normalizeAsn(value);
  }
}

/** Something that looks like a dotted hostname: worth a domain rejection reason rather than "could not infer". */
const HOSTNAME_CHARS = /^[\p{L}\p{N}_.*-]+$/u;
const isHostnameLike = (value: string): boolean => HOSTNAME_CHARS.test(value) && /[^.]\./.test(value);

function sortFlags(flags: readonly IndicatorFlag[]): IndicatorFlag[] {
  return INDICATOR_FLAGS.filter((flag) => flags.includes(flag));
}

/**
 * Normalizes one indicator: refang, type (given, or inferred), canonical value or rejection reason. Never throws.
 *
 * - A value longer than {@link MAX_INDICATOR_LENGTH} is rejected before anything else (type: as given, else
 *   `url` if it contains `://`, else `domain`).
 * - No type given and none inferable: the type is `domain` (most untyped free-text indicators are host names).
 *   If the value looks like a dotted host name, the domain rule's reason is returned (`foo.invalid` → "not under
 *   a known public suffix"); otherwise "could not infer the indicator type". Flag `type-inferred` is set.
 * - The result type may differ from the one given: an IPv4-mapped IPv6 address is the IPv4 indicator (rawValue
 *   keeps what was sent).
 * - The canonical value is a fixed point: refanging and normalizing it again gives it back.
 */
export function normalizeIndicator(raw: {
  readonly type?: IndicatorType;
  readonly value: string;
}): IndicatorNormalization {
  const rawValue: unknown = raw.value;
  const given = raw.type;
  const flags: IndicatorFlag[] = given === undefined ? ['type-inferred'] : [];
  const rejected = (type: IndicatorType, reason: string): IndicatorNormalization => ({
    type,
    rawValue: typeof rawValue === 'string' ? rawValue : '',
    canonicalValue: null,
    flags: sortFlags(flags),
    rejection: reason,
  });

  if (typeof rawValue !== 'string') {
    return rejected(given ?? 'domain', 'not a string');
  }
  if (rawValue.length > MAX_INDICATOR_LENGTH) {
    return rejected(
      given ?? (rawValue.includes('://') ? 'url' : 'domain'),
      `longer than ${MAX_INDICATOR_LENGTH} characters`,
    );
  }

  const refanged = refang(rawValue);
  if (refanged.changed) {
    flags.push('refanged');
  }
  const value = refanged.value;
  if (value === '') {
    return rejected(given ?? 'domain', 'empty value');
  }
  const inferred = given ?? inferIndicatorType(value);
  if (inferred === null && !isHostnameLike(value)) {
    return rejected('domain', 'could not infer the indicator type');
  }

  // An untyped value that is not inferred as a domain (its suffix is unknown) is refused rather than kept as an
  // unknown-suffix domain: free text is full of dotted words (`invoice.pdf`, `setup.exe`) that are no host names.
  let outcome = normalizeAs(inferred ?? 'domain', value, inferred !== null);
  // Decoding escapes in a URL can spell a defanging token (`[%2E]` → `[.]`): go round until refang has nothing to
  // do. Only URLs and e-mail addresses keep characters refang looks at; every other canonical form is plain.
  for (let round = 0; outcome.ok && (outcome.value.type === 'url' || outcome.value.type === 'email'); round++) {
    const again = refang(outcome.value.value);
    if (!again.changed) {
      break;
    }
    if (round === 2) {
      return rejected(outcome.value.type, 'no stable canonical form');
    }
    if (!flags.includes('refanged')) {
      flags.push('refanged');
    }
    const idn = outcome.value.idn;
    outcome = normalizeAs(outcome.value.type, again.value);
    if (outcome.ok && idn && !outcome.value.idn) {
      outcome = ok({ ...outcome.value, idn });
    }
  }

  if (!outcome.ok) {
    return rejected(inferred ?? 'domain', outcome.error);
  }
  if (outcome.value.idn) {
    flags.push('idn');
  }
  if (outcome.value.unknownSuffix) {
    flags.push('unknown-suffix');
  }
  return {
    type: outcome.value.type,
    rawValue,
    canonicalValue: outcome.value.value,
    flags: sortFlags(flags),
    rejection: null,
  };
}
