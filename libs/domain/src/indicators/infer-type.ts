import { domainToASCII } from 'node:url';
import { parse } from 'tldts';
import type { IndicatorType } from '../alerts/indicator-types';

const HEX = /^[0-9a-f]+$/i;
const HASH_BY_LENGTH: ReadonlyMap<number, IndicatorType> = new Map<number, IndicatorType>([
  [32, 'md5'],
  [40, 'sha1'],
  [64, 'sha256'],
  [128, 'sha512'],
]);
/** Hyphens as typed or as word processors turn them (U+2010..U+2015). */
const CVE = /^CVE[-\u2010-\u2015]\d{4}[-\u2010-\u2015]\d{4,}$/i;
/** `AS123`, `ASN123`, `AS 123`, and asdot `AS1.10`; a bare number is not an AS number. */
const ASN = /^ASN?[ \t]?\d+(?:\.\d+)?$/i;
/** Dotted numbers, however odd (`127.1`, `0x7f.0.0.1`, `010.0.0.1`): typed ipv4 so that the rejection says why. */
const DOTTED_NUMERIC = /^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){1,3}$/i;
/** Hex groups, colons, an embedded dotted quad and an optional zone id; at least two colons. */
const IPV6_SHAPE = /^(?=(?:[^:]*:){2})[0-9a-f:.]+(?:%.*)?$/is;
const CIDR_SHAPE = /^([^/]+)\/\d{1,3}$/;
const NOT_IN_HOSTNAME = /[\s/:@?#[\]\\%]/;
// eslint-disable-next-line no-control-regex -- checking for non-ASCII on purpose
const NON_ASCII = /[^\x00-\x7f]/;

/** `x@y.z`: one @, no whitespace, a dot inside the domain part (written without a regex that could backtrack). */
function isEmailShaped(value: string): boolean {
  const at = value.indexOf('@');
  return at > 0 && value.indexOf('@', at + 1) < 0 && !/\s/.test(value) && value.slice(at + 2, -1).includes('.');
}

function isIpShaped(value: string): boolean {
  return DOTTED_NUMERIC.test(value) || IPV6_SHAPE.test(value);
}

/** A dotted hostname whose suffix is on the ICANN part of the public suffix list (a bare suffix counts: it is rejected later). */
function hasKnownPublicSuffix(value: string): boolean {
  if (!value.includes('.') || NOT_IN_HOSTNAME.test(value)) {
    return false;
  }
  let host = value.endsWith('.') ? value.slice(0, -1) : value;
  if (NON_ASCII.test(host)) {
    host = domainToASCII(host);
  }
  host = host.toLowerCase();
  if (host === '') {
    return false;
  }
  return parse(host, { extractHostname: false, allowPrivateDomains: false }).isIcann === true;
}

/**
 * Infers the type of an already refanged indicator value, or null. Applied in this order: hashes (hex of
 * length 32/40/64/128), CVE ids, AS numbers (`AS`/`ASN` prefix required), URLs (contain `://`), e-mail
 * addresses, CIDR blocks, IPv4 (any dotted-number shape, so that `127.1` is rejected as a non-strict IPv4
 * address rather than left untyped), IPv6, then domains under a known public suffix. Never throws.
 */
export function inferIndicatorType(value: string): IndicatorType | null {
  const v = value.trim();
  if (v === '') {
    return null;
  }
  if (HEX.test(v)) {
    return HASH_BY_LENGTH.get(v.length) ?? null;
  }
  if (CVE.test(v)) {
    return 'cve';
  }
  if (ASN.test(v)) {
    return 'asn';
  }
  if (v.includes('://')) {
    return 'url';
  }
  if (isEmailShaped(v)) {
    return 'email';
  }
  const cidr = CIDR_SHAPE.exec(v);
  if (cidr?.[1] !== undefined && isIpShaped(cidr[1])) {
    return 'cidr';
  }
  if (DOTTED_NUMERIC.test(v)) {
    return 'ipv4';
  }
  if (IPV6_SHAPE.test(v)) {
    return 'ipv6';
  }
  if (hasKnownPublicSuffix(v)) {
    return 'domain';
  }
  return null;
}
