import { createHash } from 'node:crypto';

/**
 * The namespace of every id the exporters derive (a random UUIDv4 drawn once for Tocsin; never change it:
 * every STIX id and MISP uuid a recipient has already stored would change with it).
 */
export const TOCSIN_EXPORT_NAMESPACE = '5e366f9b-41de-401b-a633-6ca5878c474f';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A name-based UUID, version 5 (RFC 4122 §4.3, RFC 9562 §5.5): SHA-1 over the namespace's 16 bytes followed by
 * the name's UTF-8 bytes, first 16 bytes of the digest, version nibble 5 and variant bits 10.
 */
export function uuidV5(name: string, namespace: string = TOCSIN_EXPORT_NAMESPACE): string {
  if (!UUID.test(namespace)) {
    throw new TypeError(`uuidV5: namespace is not a UUID: ${namespace}`);
  }
  const digest = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The id of one exported object: a UUIDv5 of the alert id (lower-cased: UUIDs are case-insensitive), the kind of
 * object and the value it stands for. JSON-encoding the parts keeps them apart whatever characters they hold.
 */
export function exportObjectUuid(alertId: string, kind: string, value = ''): string {
  return uuidV5(JSON.stringify([alertId.toLowerCase(), kind, value]));
}

/** The namespace STIX 2.1 (§2.9) gives for the UUIDv5 ids of cyber-observable objects. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * A deterministic UUID in version-4 form: the first 16 bytes of SHA-256 over the name, with the version nibble 4
 * and the variant bits 10 (RFC 9562 §5.4). STIX 2.1 says SDO, SRO, meta-object and bundle ids SHOULD be UUIDv4;
 * deriving them from a hash keeps every export of the same alert byte-identical.
 */
export function hashedUuidV4(name: string): string {
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The UUIDv4-form id of one exported STIX domain, relationship or meta object, or of the bundle. */
export function exportObjectUuidV4(alertId: string, kind: string, value = ''): string {
  return hashedUuidV4(JSON.stringify([TOCSIN_EXPORT_NAMESPACE, alertId.toLowerCase(), kind, value]));
}

/** JSON with object keys sorted (RFC 8785 for the strings, integers and objects an SCO id is made of). */
function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  return JSON.stringify(value);
}

/**
 * The id of a cyber-observable object as STIX 2.1 §2.9 defines it: `<type>--` + UUIDv5 in the STIX namespace over
 * the canonical JSON of its ID contributing properties (`{"value":"198.51.100.3"}`, `{"number":64496}`,
 * `{"hashes":{"SHA-256":"…"}}`). Any producer derives the same id for the same observable.
 */
export function stixScoId(type: string, contributing: Readonly<Record<string, unknown>>): string {
  return `${type}--${uuidV5(canonicalJson(contributing), STIX_SCO_NAMESPACE)}`;
}
