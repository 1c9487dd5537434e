import { createHash, randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { API_KEY_PATTERN, bearerToken, generateApiKey, hashApiKey, parseApiKey, verifyApiKey } from './api-key';

const LOOKUP = 'AbCdEf012345';
const SECRET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123-_x'; // 43 base64url characters

/** A random source that replays fixed bytes, so a key's exact shape can be asserted. */
function replay(...chunks: number[][]): (n: number) => Uint8Array {
  const queue = [...chunks];
  return (n) => {
    const next = queue.shift() ?? [];
    return Uint8Array.from({ length: n }, (_, i) => next[i] ?? 0);
  };
}

describe(generateApiKey.name, () => {
  it('produces a key that matches API_KEY_PATTERN', () => {
    const { key } = generateApiKey(randomBytes);
    expect(key).toMatch(API_KEY_PATTERN);
    expect(key).toHaveLength(4 + 12 + 1 + 43);
  });

  it('embeds the lookup id it returns', () => {
    const { key, lookupId } = generateApiKey(randomBytes);
    expect(lookupId).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(key.startsWith(`tcs_${lookupId}_`)).toBe(true);
  });

  it('produces a key that parses back to its lookup id', () => {
    const { key, lookupId } = generateApiKey(randomBytes);
    expect(parseApiKey(key)).toEqual({ lookupId });
  });

  it('produces a different key and lookup id on each call', () => {
    const a = generateApiKey(randomBytes);
    const b = generateApiKey(randomBytes);
    expect(a.key).not.toBe(b.key);
    expect(a.lookupId).not.toBe(b.lookupId);
  });

  it('asks for 12 bytes of lookup id and 32 bytes (256 bits) of secret', () => {
    const asked: number[] = [];
    generateApiKey((n) => {
      asked.push(n);
      return randomBytes(n);
    });
    expect(asked).toEqual([12, 32]);
  });

  it('maps id bytes onto base62, wrapping at 62', () => {
    const { lookupId } = generateApiKey(replay([0, 25, 26, 51, 52, 61, 62, 123, 124, 255, 1, 2], []));
    expect(lookupId).toBe('AZaz09A9AHBC');
  });

  it('encodes the secret as unpadded base64url', () => {
    const { key } = generateApiKey(
      replay(
        [],
        Array.from({ length: 32 }, () => 0xff),
      ),
    );
    expect(key).toBe(`tcs_AAAAAAAAAAAA_${'_'.repeat(42)}8`);
  });

  it('yields a well-formed, parseable key for any random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (id, secret) => {
          const { key, lookupId } = generateApiKey(replay([...id], [...secret]));
          expect(key).toMatch(API_KEY_PATTERN);
          expect(parseApiKey(key)).toEqual({ lookupId });
        },
      ),
    );
  });
});

describe(parseApiKey.name, () => {
  it('returns the lookup id of a well-formed key', () => {
    expect(parseApiKey(`tcs_${LOOKUP}_${SECRET}`)).toEqual({ lookupId: LOOKUP });
  });

  it.each([
    ['an empty string', ''],
    ['a wrong prefix', `tcx_${LOOKUP}_${SECRET}`],
    ['an upper-case prefix', `TCS_${LOOKUP}_${SECRET}`],
    ['no prefix', `${LOOKUP}_${SECRET}`],
    ['an 11-character lookup id', `tcs_${LOOKUP.slice(1)}_${SECRET}`],
    ['a 13-character lookup id', `tcs_${LOOKUP}X_${SECRET}`],
    ['a lookup id with a dash', `tcs_AbCdEf01234-_${SECRET}`],
    ['a 42-character secret', `tcs_${LOOKUP}_${SECRET.slice(1)}`],
    ['a 44-character secret', `tcs_${LOOKUP}_${SECRET}A`],
    ['a secret with a base64 "+"', `tcs_${LOOKUP}_+${SECRET.slice(1)}`],
    ['a padded secret', `tcs_${LOOKUP}_${SECRET.slice(1)}=`],
    ['surrounding whitespace', ` tcs_${LOOKUP}_${SECRET} `],
    ['a trailing newline', `tcs_${LOOKUP}_${SECRET}\n`],
    ['an overlong token', `tcs_${LOOKUP}_${SECRET}${'A'.repeat(40)}`],
  ])('rejects %s', (_case, token) => {
    expect(parseApiKey(token)).toBeNull();
  });
});

describe(hashApiKey.name, () => {
  it('is the SHA-256 digest of the whole key', () => {
    expect(hashApiKey('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the key as UTF-8', () => {
    const utf8 = createHash('sha256')
      .update(Buffer.from([0xc3, 0xa9]))
      .digest();
    expect(hashApiKey('\u00e9').equals(utf8)).toBe(true);
  });
});

describe(verifyApiKey.name, () => {
  it('accepts a key against its own hash', () => {
    const { key } = generateApiKey(randomBytes);
    expect(verifyApiKey(key, hashApiKey(key))).toBe(true);
  });

  it("rejects a key against another key's hash", () => {
    const a = generateApiKey(randomBytes);
    const b = generateApiKey(randomBytes);
    expect(verifyApiKey(a.key, hashApiKey(b.key))).toBe(false);
  });

  it('rejects a key whose secret differs by one character', () => {
    const key = `tcs_${LOOKUP}_${SECRET}`;
    const tampered = `tcs_${LOOKUP}_${SECRET.slice(0, -1)}y`;
    expect(verifyApiKey(tampered, hashApiKey(key))).toBe(false);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['16 bytes', Buffer.alloc(16)],
    ['33 bytes', Buffer.alloc(33)],
  ])('rejects, without throwing, a stored hash that is %s', (_case, stored) => {
    const { key } = generateApiKey(randomBytes);
    expect(verifyApiKey(key, stored)).toBe(false);
  });
});

describe(bearerToken.name, () => {
  const token = `tcs_${LOOKUP}_${SECRET}`;

  it.each<[string, string | undefined, string | null]>([
    ['a missing header', undefined, null],
    ['an empty header', '', null],
    ['the scheme alone', 'Bearer', null],
    ['the scheme and a space', 'Bearer ', null],
    ['another scheme', `Basic ${token}`, null],
    ['a scheme glued to the token', `Bearer${token}`, null],
    ['two tokens', `Bearer ${token} extra`, null],
    ['leading whitespace', ` Bearer ${token}`, null],
    ['a token alone', token, null],
    ['a well-formed header', `Bearer ${token}`, token],
    ['a lower-case scheme', `bearer ${token}`, token],
    ['an upper-case scheme', `BEARER ${token}`, token],
    ['several spaces after the scheme', `Bearer    ${token}`, token],
    ['a tab after the scheme', `Bearer\t${token}`, token],
    ['trailing spaces', `Bearer ${token}   `, token],
  ])('reads %s as %j', (_case, header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });

  it('returns any single opaque token, leaving its format to parseApiKey', () => {
    expect(bearerToken('Bearer not-a-key')).toBe('not-a-key');
  });

  it('accepts a header of exactly 200 characters', () => {
    const t = 'a'.repeat(200 - 'Bearer '.length);
    expect(bearerToken(`Bearer ${t}`)).toBe(t);
  });

  it('rejects a header longer than 200 characters', () => {
    expect(bearerToken(`Bearer ${'a'.repeat(201 - 'Bearer '.length)}`)).toBeNull();
  });

  it('rejects an overlong header padded with spaces', () => {
    expect(bearerToken(`Bearer ${token}${' '.repeat(200)}`)).toBeNull();
  });
});
