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
