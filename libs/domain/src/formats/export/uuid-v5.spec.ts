import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  exportObjectUuid,
  exportObjectUuidV4,
  hashedUuidV4,
  STIX_SCO_NAMESPACE,
  stixScoId,
  TOCSIN_EXPORT_NAMESPACE,
  uuidV5,
} from './uuid-v5';

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const URL_NS = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

describe(uuidV5.name, () => {
  // Reference values from Python's uuid.uuid5 (an independent RFC 4122 implementation).
  it.each([
    [DNS, 'www.example.com', '2ed6657d-e927-568b-95e1-2665a8aea6a2'],
    [DNS, 'python.org', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
    [URL_NS, 'https://tocsin.example/é', 'a3a84b46-15dc-50b7-882f-08bace03ef6f'],
  ])('derives the RFC 4122 §4.3 UUID of %s + %j', (namespace, name, expected) => {
    expect(uuidV5(name, namespace)).toBe(expected);
  });

  it('accepts an upper-case namespace as the same namespace', () => {
    expect(uuidV5('www.example.com', DNS.toUpperCase())).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('throws on a namespace that is not a UUID (a bug, not an input)', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(TypeError);
  });

  it('uses the fixed Tocsin namespace by default', () => {
    expect(TOCSIN_EXPORT_NAMESPACE).toBe('5e366f9b-41de-401b-a633-6ca5878c474f');
    expect(uuidV5('a')).toBe(uuidV5('a', TOCSIN_EXPORT_NAMESPACE));
  });

  it('always yields a version-5, RFC 4122-variant UUID, stable for a name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        const u = uuidV5(name);
        expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(uuidV5(name)).toBe(u);
      }),
    );
  });
});

describe(exportObjectUuid.name, () => {
  const alertId = '0b4f3a52-9a2e-4c4e-8d7a-1f2b3c4d5e6f';

  it('ignores the case of the alert id', () => {
    expect(exportObjectUuid(alertId.toUpperCase(), 'indicator:ipv4', '198.51.100.1')).toBe(
      exportObjectUuid(alertId, 'indicator:ipv4', '198.51.100.1'),
    );
  });

  it('differs by alert, kind and value, even when their concatenations coincide', () => {
    const ids = [
      exportObjectUuid(alertId, 'indicator:ipv4', '198.51.100.1'),
      exportObjectUuid('9f9d8c7b-6a5b-4c3d-8e2f-1a0b9c8d7e6f', 'indicator:ipv4', '198.51.100.1'),
      exportObjectUuid(alertId, 'indicator:cidr', '198.51.100.1'),
      exportObjectUuid(alertId, 'indicator:ipv4', '198.51.100.2'),
      exportObjectUuid(alertId, 'a', 'bc'),
      exportObjectUuid(alertId, 'ab', 'c'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe(hashedUuidV4.name, () => {
  it('gives a version-4, variant-10 UUID, the same for the same name and another for another', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(hashedUuidV4(a)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(hashedUuidV4(a)).toBe(hashedUuidV4(a));
        if (a !== b) {
          expect(hashedUuidV4(a)).not.toBe(hashedUuidV4(b));
        }
      }),
    );
  });

  it('derives export ids from the alert id case-insensitively', () => {
    expect(exportObjectUuidV4('AB0B4F3A-9A2E-4C4E-8D7A-1F2B3C4D5E6F', 'report')).toBe(
      exportObjectUuidV4('ab0b4f3a-9a2e-4c4e-8d7a-1f2b3c4d5e6f', 'report'),
    );
  });
});

describe(stixScoId.name, () => {
  it('is the UUIDv5, in the STIX namespace, of the canonical JSON of the contributing properties', () => {
    expect(STIX_SCO_NAMESPACE).toBe('00abedb4-aa42-466c-9c01-fed23315a9b7');
    // The example id of the STIX 2.1 specification (§2.9, identifier examples).
    expect(stixScoId('ipv4-addr', { value: '198.51.100.3' })).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
    expect(stixScoId('ipv4-addr', { value: '198.51.100.3' })).toBe(
      `ipv4-addr--${uuidV5('{"value":"198.51.100.3"}', STIX_SCO_NAMESPACE)}`,
    );
    expect(stixScoId('file', { hashes: { 'SHA-256': 'ab' } })).toBe(
      `file--${uuidV5('{"hashes":{"SHA-256":"ab"}}', STIX_SCO_NAMESPACE)}`,
    );
    expect(stixScoId('autonomous-system', { number: 64496 })).toBe(
      `autonomous-system--${uuidV5('{"number":64496}', STIX_SCO_NAMESPACE)}`,
    );
  });
});
