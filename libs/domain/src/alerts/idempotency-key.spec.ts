import { describe, expect, it } from 'vitest';
import { bodySha256, parseIdempotencyKey, submissionFingerprint } from './idempotency-key';

describe(parseIdempotencyKey.name, () => {
  it.each([
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['retry 1 of order #42', 'retry 1 of order #42'],
    ['x', 'x'],
    ['k'.repeat(255), 'k'.repeat(255)],
  ])('accepts %j', (header, key) => {
    expect(parseIdempotencyKey(header)).toEqual({ ok: true, value: key });
  });

  it('treats an absent header as no key', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['empty quoted', '""'],
    ['too long', 'k'.repeat(256)],
    ['non-ASCII', 'clé'],
    ['control character', 'a\u0000b'],
    ['tab', 'a\tb'],
  ])('refuses a %s key, naming the header', (_label, header) => {
    const r = parseIdempotencyKey(header);
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.error[0]?.pointer).toBe('Idempotency-Key');
  });

  it('refuses several headers', () => {
    expect(parseIdempotencyKey(['a', 'b']).ok).toBe(false);
  });
});

describe(submissionFingerprint.name, () => {
  const base = { bodySha256: bodySha256(Buffer.from('{"title":"x"}')), contentType: 'application/json', query: {} };

  it('is the same for the same bytes, media type (any case) and query (any order)', () => {
    const a = submissionFingerprint({ ...base, query: { title: 'T', tlp: 'AMBER' } });
    const b = submissionFingerprint({ ...base, contentType: 'Application/JSON', query: { tlp: 'AMBER', title: 'T' } });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['another body', { bodySha256: bodySha256(Buffer.from('{"title":"y"}')) }],
    ['another media type', { contentType: 'text/csv' }],
    ['another query value', { query: { tlp: 'RED' } }],
    ['an added query parameter', { query: { format: 'misp' } }],
  ])('differs for %s', (_label, change) => {
    expect(submissionFingerprint({ ...base, ...change })).not.toBe(submissionFingerprint(base));
  });

  it('hashes an absent body as an empty one', () => {
    expect(bodySha256(undefined)).toBe(bodySha256(new Uint8Array()));
  });
});
