import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refang } from './refang';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** Pieces that exercise every refang rule when strung together at random. */
const DEFANG_PIECES = [
  'hxxp',
  'hXXps',
  'fxp',
  '://',
  '[://]',
  '[:]',
  ':',
  '/',
  '[.]',
  '(.)',
  '{.}',
  '[dot]',
  ' dot ',
  '[at]',
  '(at)',
  '[@]',
  '@',
  '\\.',
  '\\/',
  '.',
  ',',
  '"',
  "'",
  '<',
  '>',
  '[',
  ']',
  '(',
  ')',
  ' ',
  '\u200b',
  'evil',
  'example',
  'com',
  '1',
  '192',
  'ff',
  '%2E',
];
const defangish = fc.array(fc.constantFrom(...DEFANG_PIECES), { maxLength: 30 }).map((parts) => parts.join(''));

describe(refang.name, () => {
  it.each<[string, string]>([
    // schemes
    ['hxxps://evil[.]example[.]com/path', 'https://evil.example.com/path'],
    ['hxxp://malware[.]example[.]net/payload.exe', 'http://malware.example.net/payload.exe'],
    ['hXXp://198.51.100[.]7/gate.php', 'http://198.51.100.7/gate.php'],
    ['hXXps://login-update[.]com/', 'https://login-update.com/'],
    ['HXXPS://EVIL[.]COM', 'https://EVIL.COM'],
    ['hxtp://evil[.]com', 'http://evil.com'],
    ['h**p://evil[.]com', 'http://evil.com'],
    ['h[tt]ps://evil[.]com', 'https://evil.com'],
    ['hxxp[:]//203.0.113[.]5:8080/a', 'http://203.0.113.5:8080/a'],
    ['hxxps[://]evil.com/x', 'https://evil.com/x'],
    ['http[:]//evil.com', 'http://evil.com'],
    ['hxxp[:/]/evil.com', 'http://evil.com'],
    ['fxp://files[.]example[.]org/drop.zip', 'ftp://files.example.org/drop.zip'],
    ['fxps://files.example.org/', 'ftps://files.example.org/'],
    // dots
    ['evil[.]com', 'evil.com'],
    ['evil(.)com', 'evil.com'],
    ['evil{.}com', 'evil.com'],
    ['evil[dot]com', 'evil.com'],
    ['evil(dot)com', 'evil.com'],
    ['evil{dot}com', 'evil.com'],
    ['evil[DOT]com', 'evil.com'],
    ['evil [.] com', 'evil.com'],
    ['evil[ . ]com', 'evil.com'],
    ['evil\\.example\\.com', 'evil.example.com'],
    ['192[.]0[.]2[.]1', '192.0.2.1'],
    ['evil dot example dot com', 'evil.example.com'],
    ['evil DOT example DOT co DOT uk', 'evil.example.co.uk'],
    ['phish dot bücher dot de', 'phish.bücher.de'],
    // at signs
    ['alice[at]example[.]org', 'alice@example.org'],
    ['alice(at)example(.)org', 'alice@example.org'],
    ['alice{at}example.org', 'alice@example.org'],
    ['alice[@]example.org', 'alice@example.org'],
    ['alice [at] example [dot] org', 'alice@example.org'],
    ['alice[at]example dot org', 'alice@example.org'],
    // colons and slashes
    ['2001[:]db8[:][:]1', '2001:db8::1'],
    ['http:\\/\\/evil.com\\/a', 'http://evil.com/a'],
    ['evil.com[/]path', 'evil.com/path'],
    // wrappers and whitespace
    ['"evil.com"', 'evil.com'],
    ["'evil.com'", 'evil.com'],
    ['`evil.com`', 'evil.com'],
    ['\u201cevil[.]com\u201d', 'evil.com'],
    ['\u00abevil.com\u00bb', 'evil.com'],
    ['<hxxps://evil[.]com/a>', 'https://evil.com/a'],
    ['[192.0.2.1]', '192.0.2.1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['(evil[.]com)', 'evil.com'],
    ['{evil.com}', 'evil.com'],
    ['  " [evil.com] "  ', 'evil.com'],
    ['\u200bevil[.]com\u200b', 'evil.com'],
    // trailing punctuation where it cannot belong to the value
    ['192.0.2.1,', '192.0.2.1'],
    ['192.0.2.1.', '192.0.2.1'],
    ['"192.0.2.1",', '192.0.2.1'],
    ['10.0.0.0/8.', '10.0.0.0/8'],
    ['2001:db8::1,', '2001:db8::1'],
    [`${MD5}.`, MD5],
    [`${MD5.toUpperCase()},`, MD5.toUpperCase()],
    ['CVE-2021-44228.', 'CVE-2021-44228'],
    ['AS13335,', 'AS13335'],
    ['evil.com,', 'evil.com'],
    ['alice@example.org,', 'alice@example.org'],
    ['hxxp://evil[.]com/a.', 'http://evil.com/a.'],
    ['"https://evil.com/a.",', 'https://evil.com/a.'],
    ['<https://evil.com/a>.', 'https://evil.com/a'],
  ])('refangs %j as %j', (input, expected) => {
    expect(refang(input)).toEqual({ value: expected, changed: true });
  });

  it.each<[string, string]>([
    ['evil.example.com', 'evil.example.com'],
    ['  evil.example.com\n', 'evil.example.com'],
    ['\t192.0.2.1 ', '192.0.2.1'],
    ['https://evil.example.com/a?b=c#d', 'https://evil.example.com/a?b=c#d'],
    // a trailing dot on a name is the DNS root, not punctuation (domain normalization drops it)
    ['evil.example.com.', 'evil.example.com.'],
    ['alice@example.org.', 'alice@example.org.'],
    // a URL may end with either
    ['https://evil.com/a.', 'https://evil.com/a.'],
    ['https://evil.com/a,', 'https://evil.com/a,'],
    // unknown values keep their trailing punctuation
    ['foo.invalid,', 'foo.invalid,'],
    ['hello.', 'hello.'],
    // " dot " only between labels of something that then is a domain or e-mail address
    ['my dot file', 'my dot file'],
    ['dot com', 'dot com'],
    ['see evil dot com now', 'see evil dot com now'],
    // schemes only at the start and before a colon
    ['hxxp', 'hxxp'],
    ['x hxxp://evil.com', 'x hxxp://evil.com'],
    ['http://evil.com/hxxp://', 'http://evil.com/hxxp://'],
    // unmatched wrappers are not stripped
    ['"evil.com', '"evil.com'],
    ['evil.com)', 'evil.com)'],
    ['(evil.com]', '(evil.com]'],
    ['https://en.wikipedia.org/wiki/Foo_(bar)', 'https://en.wikipedia.org/wiki/Foo_(bar)'],
    ['', ''],
    ['   ', ''],
  ])('leaves %j as %j and reports no change', (input, expected) => {
    expect(refang(input)).toEqual({ value: expected, changed: false });
  });

  it('undoes nested defanging', () => {
    expect(refang('"<hxxps[://]evil[[.]]example[.]com/a>",')).toEqual({
      value: 'https://evil.example.com/a',
      changed: true,
    });
  });

  it('never throws, and is idempotent', () => {
    for (const arb of [fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), defangish]) {
      fc.assert(
        fc.property(arb, (input) => {
          const once = refang(input);
          expect(refang(once.value)).toEqual({ value: once.value, changed: false });
        }),
        { numRuns: 500 },
      );
    }
  });

  it('reports a change exactly when more than the surrounding whitespace was removed', () => {
    fc.assert(
      fc.property(defangish, (input) => {
        const out = refang(input);
        expect(out.changed).toBe(
          out.value !== input.replace(/^[\s\u200b-\u200d\u2060]+|[\s\u200b-\u200d\u2060]+$/g, ''),
        );
      }),
      { numRuns: 500 },
    );
  });
});
