import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { escapePointerToken, toPointer, zodIssues } from './zod-issues';

function issuesOf(schema: z.ZodType, input: unknown, maxIssues?: number) {
  const r = schema.safeParse(input);
  if (r.success) {
    throw new Error('expected the input to be rejected');
  }
  return zodIssues(r.error, maxIssues);
}

describe(escapePointerToken.name, () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a/b', 'a~1b'],
    ['a~b', 'a~0b'],
    ['~1', '~01'],
    ['/~', '~1~0'],
    ['a//b~~', 'a~1~1b~0~0'],
    [0, '0'],
    [42, '42'],
  ])('escapes %j as %j (RFC 6901)', (token, expected) => {
    expect(escapePointerToken(token)).toBe(expected);
  });
});

describe(toPointer.name, () => {
  it.each<[readonly PropertyKey[], string]>([
    [[], ''],
    [['title'], '/title'],
    [['indicators', 2, 'type'], '/indicators/2/type'],
    [['a/b', 'c~d'], '/a~1b/c~0d'],
    [[''], '/'],
    [[Symbol('sym')], '/sym'],
  ])('turns the path %j into %j', (path, expected) => {
    expect(toPointer(path)).toBe(expected);
  });
});

describe(zodIssues.name, () => {
  const schema = z.strictObject({
    name: z.string('must be a string'),
    nested: z.strictObject({ count: z.number('must be a number') }).optional(),
    list: z.array(z.string('must be a string')).optional(),
  });

  it('points at the offending field and keeps the schema message', () => {
    expect(issuesOf(schema, { name: 1 })).toEqual([{ pointer: '/name', detail: 'must be a string' }]);
  });

  it('points into nested objects and arrays', () => {
    expect(issuesOf(schema, { name: 'x', nested: { count: 'no' }, list: ['a', 2] })).toEqual([
      { pointer: '/nested/count', detail: 'must be a number' },
      { pointer: '/list/1', detail: 'must be a string' },
    ]);
  });

  it('reports each unknown key at the key itself', () => {
    expect(issuesOf(schema, { name: 'x', extra: 1, other: 2 })).toEqual([
      { pointer: '/extra', detail: 'is not a known field' },
      { pointer: '/other', detail: 'is not a known field' },
    ]);
  });

  it('reports an unknown key inside a nested object with its full pointer', () => {
    expect(issuesOf(schema, { name: 'x', nested: { count: 1, surprise: true } })).toEqual([
      { pointer: '/nested/surprise', detail: 'is not a known field' },
    ]);
  });

  it('escapes an unknown key that holds pointer metacharacters', () => {
    expect(issuesOf(schema, { name: 'x', 'a/b~c': 1 })).toEqual([
      { pointer: '/a~1b~0c', detail: 'is not a known field' },
    ]);
  });

  it('gives a whole-document issue the empty pointer', () => {
    expect(issuesOf(schema, 'not an object').map((i) => i.pointer)).toEqual(['']);
  });

  it('stops at maxIssues', () => {
    const issues = issuesOf(
      z.array(z.string()),
      Array.from({ length: 10 }, (_, i) => i),
      3,
    );
    expect(issues.map((i) => i.pointer)).toEqual(['/0', '/1', '/2']);
  });

  it('counts each unknown key towards maxIssues', () => {
    const issues = issuesOf(z.strictObject({}), { a: 1, b: 2, c: 3, d: 4 }, 2);
    expect(issues.map((i) => i.pointer)).toEqual(['/a', '/b']);
  });

  it('caps at 100 issues by default', () => {
    const issues = issuesOf(
      z.array(z.string()),
      Array.from({ length: 150 }, (_, i) => i),
    );
    expect(issues).toHaveLength(100);
    expect(issues.at(-1)?.pointer).toBe('/99');
  });
});
