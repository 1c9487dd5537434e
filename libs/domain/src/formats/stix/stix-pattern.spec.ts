import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatPattern, parseStixPattern, type Comparison, type Literal, type PatternAst } from './stix-pattern';

function parsed(pattern: string): PatternAst {
  const result = parseStixPattern(pattern);
  if (!result.ok) {
    throw new Error(`${pattern}: ${result.error.message} at offset ${result.error.offset}`);
  }
  return result.value;
}

/** The single comparison of a one-observation pattern. */
function onlyComparison(pattern: string): Comparison {
  const ast = parsed(pattern);
  if (ast.type !== 'observation' || ast.comparison.type !== 'comparison') {
    throw new Error(`${pattern} is not a single comparison`);
  }
  return ast.comparison;
}

describe(parseStixPattern.name, () => {
  describe('accepts every construct of the STIX 2.1 grammar', () => {
    it.each<[string, string]>([
      // observation expressions and spacing
      ["[domain-name:value='x']", "[domain-name:value = 'x']"],
      ["  [ domain-name : value  =  'x' ]  ", "[domain-name:value = 'x']"],
      ["[domain-name:value\t=\n'x']", "[domain-name:value = 'x']"],
      ["\u00a0[url:value = 'http://x/']\u3000", "[url:value = 'http://x/']"],
      ['[a:b = 1] /* block */ OR // line\n[c:d = 2]', '[a:b = 1] OR [c:d = 2]'],
      // comparison AND / OR: AND binds tighter; parentheses override
      ['[a:b = 1 OR a:c = 2 AND a:d = 3]', '[a:b = 1 OR (a:c = 2 AND a:d = 3)]'],
      ['[a:b = 1 AND a:c = 2 OR a:d = 3]', '[(a:b = 1 AND a:c = 2) OR a:d = 3]'],
      ['[(a:b = 1 OR a:c = 2) AND a:d = 3]', '[(a:b = 1 OR a:c = 2) AND a:d = 3]'],
      ['[a:b = 1 OR a:c = 2 OR a:d = 3]', '[a:b = 1 OR a:c = 2 OR a:d = 3]'],
      // observation AND / OR / FOLLOWEDBY: AND > OR > FOLLOWEDBY
      ['[a:b = 1] AND [c:d = 2] OR [e:f = 3]', '([a:b = 1] AND [c:d = 2]) OR [e:f = 3]'],
      ['[a:b = 1] OR [c:d = 2] AND [e:f = 3]', '[a:b = 1] OR ([c:d = 2] AND [e:f = 3])'],
      ['[a:b = 1] OR [c:d = 2] FOLLOWEDBY [e:f = 3]', '([a:b = 1] OR [c:d = 2]) FOLLOWEDBY [e:f = 3]'],
      ['([a:b = 1] FOLLOWEDBY [c:d = 2]) AND [e:f = 3]', '([a:b = 1] FOLLOWEDBY [c:d = 2]) AND [e:f = 3]'],
      ['[a:b = 1]AND[c:d = 2]', '[a:b = 1] AND [c:d = 2]'],
      [
        '[a:b = 1] and [c:d = 2] or [e:f = 3] followedby [g:h = 4]',
        '(([a:b = 1] AND [c:d = 2]) OR [e:f = 3]) FOLLOWEDBY [g:h = 4]',
      ],
      // qualifiers
      ['[a:b = 1] WITHIN 300 SECONDS', '[a:b = 1] WITHIN 300 SECONDS'],
      ['[a:b = 1] WITHIN 0.5 SECONDS', '[a:b = 1] WITHIN 0.5 SECONDS'],
      ['[a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS', '[a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS'],
      [
        "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.123Z'",
        "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.123Z'",
      ],
      [
        "[a:b = 1] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'",
        "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
      ],
      ['([a:b = 1] AND [c:d = 2]) WITHIN 60 SECONDS', '([a:b = 1] AND [c:d = 2]) WITHIN 60 SECONDS'],
      // operators, NOT, EXISTS
      ["[a:b == 'x']", "[a:b = 'x']"],
      ["[a:b != 'x']", "[a:b != 'x']"],
      ["[a:b <> 'x']", "[a:b != 'x']"],
      ['[a:b > 1]', '[a:b > 1]'],
      ['[a:b < 1]', '[a:b < 1]'],
      ['[a:b >= 1]', '[a:b >= 1]'],
      ['[a:b <= 1]', '[a:b <= 1]'],
      ["[a:b IN ('x', 'y')]", "[a:b IN ('x', 'y')]"],
      ["[a:b LIKE 'evil%']", "[a:b LIKE 'evil%']"],
      ["[a:b MATCHES '^evil.*$']", "[a:b MATCHES '^evil.*$']"],
      ["[ipv4-addr:value ISSUBSET '198.51.100.0/24']", "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"],
      ["[ipv4-addr:value ISSUPERSET '198.51.100.7/32']", "[ipv4-addr:value ISSUPERSET '198.51.100.7/32']"],
      ["[a:b NOT = 'x']", "[a:b NOT = 'x']"],
      ["[a:b NOT IN ('x')]", "[a:b NOT IN ('x')]"],
      ["[a:b NOT LIKE 'x%']", "[a:b NOT LIKE 'x%']"],
      ["[a:b NOT MATCHES 'x']", "[a:b NOT MATCHES 'x']"],
      ['[EXISTS windows-registry-key:values]', '[EXISTS windows-registry-key:values]'],
      // object paths
      ["[file:hashes.'SHA-256' = 'x']", "[file:hashes.'SHA-256' = 'x']"],
      ["[file:hashes.SHA256 = 'x']", "[file:hashes.SHA256 = 'x']"],
      ["[file:hashes.SHA-256 = 'x']", "[file:hashes.'SHA-256' = 'x']"],
      ["[file:hashes . 'SHA-1' = 'x']", "[file:hashes.'SHA-1' = 'x']"],
      ["[file:'name' = 'x']", "[file:name = 'x']"],
      [
        "[network-traffic:extensions.'http-request-ext'.request_header.'Accept-Encoding' = 'gzip']",
        "[network-traffic:extensions.'http-request-ext'.request_header.'Accept-Encoding' = 'gzip']",
      ],
      ["[email-message:to_refs[*].value = 'a@example.org']", "[email-message:to_refs[*].value = 'a@example.org']"],
      ['[x-custom_type:list[0] = 1]', '[x-custom_type:list[0] = 1]'],
      ['[a:list[-1] = 1]', '[a:list[-1] = 1]'],
      ["[a:b.'it\\'s' = 1 ]", "[a:b.'it\\'s' = 1]"],
      // literals
      ['[a:b = -42]', '[a:b = -42]'],
      ['[a:b = +7]', '[a:b = +7]'],
      ['[a:b = 3.14]', '[a:b = 3.14]'],
      ['[a:b = -.5]', '[a:b = -.5]'],
      ['[a:b = true]', '[a:b = true]'],
      ['[a:b = FALSE]', '[a:b = false]'],
      ["[a:b = t'2024-02-29T23:59:60.5Z']", "[a:b = t'2024-02-29T23:59:60.5Z']"],
      ["[a:b = h'0aFF']", "[a:b = h'0aFF']"],
      ["[a:b = h'']", "[a:b = h'']"],
      ["[a:b = b'QUJD']", "[a:b = b'QUJD']"],
      ["[a:b = b'QUI=']", "[a:b = b'QUI=']"],
      ["[a:b = b'QQ==']", "[a:b = b'QQ==']"],
      ["[a:b IN ( 'a' , 1 , true , t'2020-01-01T00:00:00Z' )]", "[a:b IN ('a', 1, true, t'2020-01-01T00:00:00Z')]"],
      ['[a:b IN ()]', '[a:b IN ()]'],
      ["[a:b = '']", "[a:b = '']"],
    ])('parses %j as %s', (pattern, canonical) => {
      expect(formatPattern(parsed(pattern))).toBe(canonical);
    });
  });

  it.each<[string, Literal]>([
    ["[a:b = 'it\\'s']", { type: 'string', value: "it's" }],
    ["[a:b = 'back\\\\slash']", { type: 'string', value: 'back\\slash' }],
    ["[a:b = 'domain autuo.xicp.net']", { type: 'string', value: 'domain autuo.xicp.net' }],
    ["[a:b = 'AND ] OR [']", { type: 'string', value: 'AND ] OR [' }],
    ['[a:b = 174]', { type: 'int', value: 174, text: '174' }],
    ['[a:b = -0]', { type: 'int', value: -0, text: '-0' }],
    ['[a:b = 2.5]', { type: 'float', value: 2.5, text: '2.5' }],
    ['[a:b = true]', { type: 'boolean', value: true }],
    ["[a:b = t'2016-06-01T00:00:00Z']", { type: 'timestamp', value: '2016-06-01T00:00:00Z' }],
    ["[a:b = h'ff00']", { type: 'hex', value: 'ff00' }],
    ["[a:b = b'AQID']", { type: 'binary', value: 'AQID' }],
    [
      "[a:b IN ('x', 2)]",
      {
        type: 'set',
        values: [
          { type: 'string', value: 'x' },
          { type: 'int', value: 2, text: '2' },
        ],
      },
    ],
  ])('reads the literal of %s', (pattern, literal) => {
    expect(onlyComparison(pattern).value).toEqual(literal);
  });

  it('builds the tree of a qualified OR of observations with quoted and indexed path steps', () => {
    expect(parsed("([file:hashes.'SHA-256' = 'ab'] OR [x:refs[*].value != 1]) REPEATS 2 TIMES")).toEqual({
      type: 'qualified',
      qualifier: { type: 'repeats', times: 2 },
      expression: {
        type: 'observation-group',
        operator: 'OR',
        operands: [
          {
            type: 'observation',
            comparison: {
              type: 'comparison',
              path: {
                objectType: 'file',
                steps: [
                  { type: 'key', key: 'hashes' },
                  { type: 'key', key: 'SHA-256' },
                ],
              },
              negated: false,
              operator: '=',
              value: { type: 'string', value: 'ab' },
            },
          },
          {
            type: 'observation',
            comparison: {
              type: 'comparison',
              path: {
                objectType: 'x',
                steps: [
                  { type: 'key', key: 'refs' },
                  { type: 'index', index: '*' },
                  { type: 'key', key: 'value' },
                ],
              },
              negated: false,
              operator: '!=',
              value: { type: 'int', value: 1, text: '1' },
            },
          },
        ],
      },
    });
  });

  it('nests several qualifiers with the first one innermost', () => {
    expect(parsed('[a:b = 1] WITHIN 5 SECONDS REPEATS 3 TIMES')).toEqual({
      type: 'qualified',
      qualifier: { type: 'repeats', times: 3 },
      expression: {
        type: 'qualified',
        qualifier: { type: 'within', seconds: 5 },
        expression: { type: 'observation', comparison: expect.objectContaining({ type: 'comparison' }) },
      },
    });
  });

  it.each<[string, number, string]>([
    ["[domain-name:value = 'x'", 24, 'expected "AND", "OR" or "]" but found end of input'],
    ["domain-name:value = 'x']", 0, 'expected "(" or "[" but found "d"'],
    [
      "[domain-name:value = 'x']]",
      25,
      'expected "AND", "FOLLOWEDBY", "OR", "REPEATS", "START", "WITHIN" or end of input but found "]"',
    ],
    [
      '([a:b = 1]',
      10,
      'expected ")", "AND", "FOLLOWEDBY", "OR", "REPEATS", "START" or "WITHIN" but found end of input',
    ],
    ["[a:b = 'x]", 7, 'unterminated string literal: the closing quote is missing'],
    ["[domain-name:value = x']", 21, 'expected "(" or literal but found "x"'],
    ["[a:b ~ 'x']", 5, 'expected ".", "NOT", "[" or comparison operator but found "~"'],
    ["[a:b === 'x']", 7, 'expected "(" or literal but found "="'],
    ['[a:b NOT NOT = 1]', 9, 'expected comparison operator but found "N"'],
    ["[a:b = 'a\\x']", 9, "invalid escape in string literal: only \\' and \\\\ are allowed"],
    ['[a:b LIKE 1]', 10, 'LIKE needs a string literal'],
    ["[a:b IN 'x']", 8, "IN needs a set literal such as ('a', 'b')"],
    ['[a:b > true]', 7, '> cannot order a boolean'],
    ["[a:b = ('x')]", 7, '= cannot compare with a set literal; use IN'],
    ['[a:b = 1] WITHIN -5 SECONDS', 17, 'expected positive number but found "-"'],
    ['[a:b = 1] WITHIN 5', 18, 'expected "SECONDS" but found end of input'],
    ['[a:b = 1] REPEATS 2.5 TIMES', 19, 'expected "TIMES" but found "."'],
    [
      "[a:b = 1] START t'2020-01-01T00:00:00Z' STOP 'yesterday'",
      45,
      "START and STOP need a timestamp such as t'2024-01-31T00:00:00Z'",
    ],
    ['[a:b = 1] AND', 13, 'expected "(" or "[" but found end of input'],
    ['[]', 1, 'expected "(", "EXISTS" or object type but found "]"'],
    ['', 0, 'expected "(" or "[" but found end of input'],
    ['[a = 1]', 3, 'expected ":" but found "="'],
    ["[a:b = 'x' OR]", 13, 'expected "(", "EXISTS" or object type but found "]"'],
    ["[a:b = t'2020-13-01T00:00:00Z']", 7, 'expected "(" or literal but found "t"'],
    ["[a:b = h'abc']", 7, 'expected "(" or literal but found "h"'],
    ['[a:b = 01]', 8, 'expected "AND", "OR" or "]" but found "1"'],
    ['[a:b[x] = 1]', 5, 'expected array index (an integer or *) but found "x"'],
    [
      '[a:b = 1] ANDOR [c:d = 2]',
      10,
      'expected "FOLLOWEDBY", "OR", "REPEATS", "START", "WITHIN" or end of input but found "A"',
    ],
  ])('refuses %j at offset %i: %s', (pattern, offset, message) => {
    expect(parseStixPattern(pattern)).toEqual({ ok: false, error: { offset, message } });
  });

  it.each([
    ['observation', (n: number) => `${'('.repeat(n)}[a:b = 1]${')'.repeat(n)}`],
    ['comparison', (n: number) => `[${'('.repeat(n)}a:b = 1${')'.repeat(n)}]`],
  ])('parses %s brackets nested 99 deep and refuses 101', (_, nest) => {
    expect(parseStixPattern(nest(98)).ok).toBe(true);
    expect(parseStixPattern(nest(100))).toEqual({
      ok: false,
      error: { offset: 100, message: 'brackets nest deeper than 100 levels' },
    });
  });

  it('does not count brackets inside string literals towards the nesting limit', () => {
    expect(parseStixPattern(`[a:b = '${'('.repeat(500)}']`).ok).toBe(true);
  });

  it('reads back what it writes: formatPattern output parses to the same tree', () => {
    const patterns = [
      "[a:b = 'it\\'s' OR a:c.'x-y'[*] NOT IN (1, -2.5, h'ab', b'QQ==')] REPEATS 2 TIMES FOLLOWEDBY [EXISTS c:d]",
      "([a:b = 1] OR [c:d = t'2020-01-01T00:00:00Z']) AND [e:f LIKE 'x%'] START t'2020-01-01T00:00:00Z' STOP t'2020-02-01T00:00:00Z'",
    ];
    for (const pattern of patterns) {
      const ast = parsed(pattern);
      expect(parsed(formatPattern(ast))).toEqual(ast);
    }
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (input) => {
        const result = parseStixPattern(input);
        expect(result.ok || (result.error.offset >= 0 && result.error.offset <= input.length)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on near-patterns built from STIX tokens, and reports offsets inside the input', () => {
    const token = fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      "'",
      '\\',
      'ipv4-addr:value',
      "file:hashes.'SHA-256'",
      ' = ',
      ' != ',
      ' IN ',
      ' LIKE ',
      ' NOT ',
      ' AND ',
      ' OR ',
      ' FOLLOWEDBY ',
      ' WITHIN 5 SECONDS',
      ' REPEATS 2 TIMES',
      "'10.0.0.1'",
      "t'2020-01-01T00:00:00Z'",
      '1',
      ',',
      '.',
      '[*]',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const input = tokens.join('');
        const result = parseStixPattern(input);
        if (result.ok) {
          expect(parsed(formatPattern(result.value))).toEqual(result.value);
        } else {
          expect(result.error.offset).toBeGreaterThanOrEqual(0);
          expect(result.error.offset).toBeLessThanOrEqual(input.length);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
