import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const DOC = 'docs/architecture.md';

/**
 * Every repository path docs/architecture.md names: a code span or a link target that starts with one of the
 * top-level folders (`apps/…`, `libs/…`, `test/…`, `bench/…`, `docker/…`, `docs/…`, `scripts/…`), a folder when it
 * ends with `/`. A `#L` anchor or a `:line` suffix is dropped.
 */
function namedPaths(markdown: string): string[] {
  const top = '(?:apps|libs|test|bench|docker|docs|scripts)/';
  const spans = [...markdown.matchAll(new RegExp('`(' + top + '[^`\\s]*)`', 'g'))].map((m) => m[1]!);
  const links = [...markdown.matchAll(new RegExp('\\]\\((?:\\.\\./)?(' + top + '[^)\\s]*)\\)', 'g'))].map((m) => m[1]!);
  return [...new Set([...spans, ...links].map((p) => p.replace(/(#.*|:\d+)$/, '')))];
}

describe(DOC, () => {
  const text = readFileSync(resolve(ROOT, DOC), 'utf8');
  const paths = namedPaths(text);

  it('names the files of the path an alert takes, from HTTP to socket', () => {
    // Not a page of generalities: it walks the code, file by file.
    expect(paths.length).toBeGreaterThanOrEqual(15);
  });

  it('names only paths that exist', () => {
    expect(paths.filter((p) => !existsSync(resolve(ROOT, p)))).toEqual([]);
  });

  it('reads names from code spans and links, and only repository paths', () => {
    expect(
      namedPaths(
        '`libs/a/b.ts` and [x](../apps/api/src/main.ts#L3) but not `/api/v1/alerts` or `npm test` `libs/c.ts:12`',
      ),
    ).toEqual(['libs/a/b.ts', 'libs/c.ts', 'apps/api/src/main.ts']);
  });
});
