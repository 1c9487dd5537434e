import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findUnstorableLines,
  findUnstorableText,
  isStorableText,
  storableString,
  UNSTORABLE_TEXT_DETAIL,
} from './storable-text';

const BAD = ['\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF'];

describe(isStorableText.name, () => {
  it.each([
    ['plain ASCII', 'evil.example.com'],
    ['accents and CJK', 'Сертификат 証明書 é'],
    ['a surrogate pair (an emoji)', 'alert 🚨 now'],
    ['other control characters', '\u0001\u0007\t\r\n\u001f'],
    ['noncharacters', '\uFFFE\uFFFF\uFDD0'],
    ['the empty string', ''],
  ])('accepts %s', (_label, s) => {
    expect(isStorableText(s)).toBe(true);
  });

  it.each([
    ['U+0000 alone', '\u0000'],
    ['U+0000 inside a title', 'Phishing\u0000 wave'],
    ['a lone high surrogate', 'a\uD83D'],
    ['a lone low surrogate', '\uDE80b'],
    ['a low surrogate before its high one', '\uDE80\uD83D'],
    ['a high surrogate followed by another high one', '\uD83D\uD83D\uDE80'],
  ])('refuses %s', (_label, s) => {
    expect(isStorableText(s)).toBe(false);
  });

  it('accepts every string of full code points without U+0000', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(isStorableText(s.replaceAll('\u0000', ''))).toBe(true);
      }),
    );
  });

  it('refuses any string into which an unstorable unit is put (where no pair forms)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), fc.nat(), fc.constantFrom(...BAD), (s, at, bad) => {
        const n = at % (s.length + 1);
        expect(isStorableText(s.slice(0, n) + bad + s.slice(n))).toBe(false);
      }),
    );
  });

  it('agrees with what survives a UTF-8 round trip without U+0000 (what PostgreSQL text keeps)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const survives = Buffer.from(s, 'utf8').toString('utf8') === s && !s.includes('\u0000');
        expect(isStorableText(s)).toBe(survives);
      }),
      { numRuns: 500 },
    );
  });
});

describe(findUnstorableText.name, () => {
  it('finds nothing in a clean document', () => {
    expect(findUnstorableText({ title: 'x', indicators: [{ value: '192.0.2.1' }], n: 3, ok: true, z: null })).toEqual(
      [],
    );
  });

  it('names each bad string by its JSON pointer, in document order', () => {
    const doc = {
      title: 'a\u0000',
      indicators: [{ value: 'ok' }, { value: 'x', comment: '\uD800' }],
      tags: ['\u0000'],
    };
    expect(findUnstorableText(doc)).toEqual([
      { pointer: '/title', detail: UNSTORABLE_TEXT_DETAIL },
      { pointer: '/indicators/1/comment', detail: UNSTORABLE_TEXT_DETAIL },
      { pointer: '/tags/0', detail: UNSTORABLE_TEXT_DETAIL },
    ]);
  });

  it('names a member whose name is unstorable, escaping the pointer (RFC 6901)', () => {
    const issues = findUnstorableText({ objects: [{ 'x_a/b~\u0000': 1 }] });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.pointer).toBe('/objects/0/x_a~1b~0\u0000');
    expect(issues[0]?.detail).toContain('member name');
  });

  it('prefixes a base pointer (a query parameter)', () => {
    expect(findUnstorableText('\u0000', '?title')).toEqual([{ pointer: '?title', detail: UNSTORABLE_TEXT_DETAIL }]);
  });

  it('stops at the cap', () => {
    expect(
      findUnstorableText(
        Array.from({ length: 500 }, () => '\u0000'),
        '',
        7,
      ),
    ).toHaveLength(7);
  });

  it('walks a very deep document without overflowing the stack', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }
    expect(findUnstorableText(deep)).toHaveLength(1);
  });

  it('finds a U+0000 put anywhere in a generated JSON value, at the pointer where it was put', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.nat(), (value, pick) => {
        const clean = JSON.parse(JSON.stringify(value).replace(/\\u0000/g, '')) as unknown;
        expect(findUnstorableText(clean)).toEqual([]);
        const slots: string[] = [];
        const poisoned = poison(clean, '', slots, pick);
        if (slots.length > 0) {
          expect(findUnstorableText(poisoned).map((i) => i.pointer)).toEqual(slots);
        }
      }),
    );
  });
});

/** Puts U+0000 into the `pick`-th string (mod count) of a value; records its pointer in `slots`. */
function poison(v: unknown, pointer: string, slots: string[], pick: number): unknown {
  const strings: string[] = [];
  const walk = (x: unknown, p: string): void => {
    if (typeof x === 'string') {
      strings.push(p);
    } else if (Array.isArray(x)) {
      x.forEach((c, i) => walk(c, `${p}/${i}`));
    } else if (x && typeof x === 'object') {
      for (const [k, c] of Object.entries(x)) {
        walk(c, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
    }
  };
  walk(v, pointer);
  if (strings.length === 0) {
    return v;
  }
  const target = strings[pick % strings.length]!;
  slots.push(target);
  const rebuild = (x: unknown, p: string): unknown => {
    if (typeof x === 'string') {
      return p === target ? `${x}\u0000` : x;
    }
    if (Array.isArray(x)) {
      return x.map((c, i) => rebuild(c, `${p}/${i}`));
    }
    if (x && typeof x === 'object') {
      return Object.fromEntries(
        Object.entries(x).map(([k, c]) => [k, rebuild(c, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)]),
      );
    }
    return x;
  };
  return rebuild(v, pointer);
}

describe(findUnstorableLines.name, () => {
  it('names each line that holds an unstorable character (1-based)', () => {
    expect(findUnstorableLines('type,value\nipv4,192.0.2.1\ndomain,ev\u0000il.example\r\nurl,\uDC00\n')).toEqual([
      { pointer: '/line/3', line: 3, detail: UNSTORABLE_TEXT_DETAIL },
      { pointer: '/line/4', line: 4, detail: UNSTORABLE_TEXT_DETAIL },
    ]);
  });

  it('finds nothing in clean text', () => {
    expect(findUnstorableLines('192.0.2.1\n198.51.100.7\n')).toEqual([]);
  });
});

describe(storableString.name, () => {
  it('refuses U+0000 and keeps the other string checks', () => {
    const s = storableString().trim().min(1, 'must not be blank');
    expect(s.safeParse(' ok ').data).toBe('ok');
    expect(s.safeParse('o\u0000k').error?.issues[0]?.message).toBe(UNSTORABLE_TEXT_DETAIL);
    expect(s.safeParse('  ').error?.issues[0]?.message).toBe('must not be blank');
  });

  it('keeps a custom type error', () => {
    expect(storableString({ error: 'is required' }).safeParse(1).error?.issues[0]?.message).toBe('is required');
  });
});
