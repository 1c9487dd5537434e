import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  type NotFoundSubject,
  TooLarge,
  Unauthorized,
  UnsupportedMediaType,
} from './app-error';
import { problemFromAppError } from './problem';
import { PROBLEM_CODE_PATTERN, PROBLEM_CODES, PROBLEM_TYPE_PREFIX, type ProblemCode } from './problem-codes';
import { toProblem } from './problem.filter';

const ROOT = resolve(__dirname, '../../../..');
const CODES = Object.keys(PROBLEM_CODES) as ProblemCode[];

/** The README's Errors table: status → codes, as a reader sees it. */
function readmeErrorsTable(): Map<string, number> {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Errors');
  const end = readme.indexOf('\n## ', start);
  expect(start).toBeGreaterThan(0);
  const out = new Map<string, number>();
  for (const row of readme.slice(start, end).split('\n')) {
    const m = /^\|\s*(\d{3})\s*\|([^|]*)\|/.exec(row);
    if (m) {
      for (const [, code] of m[2]!.matchAll(/`([^`]+)`/g)) {
        out.set(code!, Number(m[1]));
      }
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(p);
    }
    return /\.ts$/.test(name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) ? [p] : [];
  });
}

describe('problem codes', () => {
  it.each(CODES)('%s is a valid URN segment: lower-case words joined by single hyphens', (code) => {
    expect(code).toMatch(PROBLEM_CODE_PATTERN);
    expect(`${PROBLEM_TYPE_PREFIX}${code}`).toMatch(/^urn:[a-z0-9][a-z0-9-]{0,31}:[a-z0-9:-]+$/);
  });

  it('refuses what was wrong before: a space, a capital, a doubled or trailing hyphen', () => {
    for (const bad of ['coordinated alert-not-found', 'Alert-not-found', 'alert--not-found', 'alert-', '-alert', '']) {
      expect(bad).not.toMatch(PROBLEM_CODE_PATTERN);
    }
  });

  it.each<NotFoundSubject>(['alert', 'org', 'key', 'coordinated-alert'])(
    'gives a 404 for a missing %s a registered code',
    (what) => {
      const doc = problemFromAppError(new NotFound(what));
      expect(doc.status).toBe(404);
      expect(CODES).toContain(doc.type.slice(PROBLEM_TYPE_PREFIX.length));
      expect(doc.type).toMatch(/^urn:tocsin:problem:[a-z0-9]+(-[a-z0-9]+)*$/);
    },
  );

  it('answers each error class with the status its code is registered under', () => {
    for (const e of [
      new Invalid([]),
      new Invalid([], 'invalid-query'),
      new Unauthorized(),
      new Forbidden(),
      new NotFound('coordinated-alert'),
      new Conflict('already-closed', 'x'),
      new TooLarge('x'),
      new UnsupportedMediaType('x'),
    ]) {
      expect(PROBLEM_CODES[e.code]).toBe(e.status);
    }
  });

  it('maps framework errors and unknown errors to registered codes', () => {
    const log = new Logger('test');
    log.error = () => undefined;
    const codes = [
      toProblem(new Error('boom'), 'r1', log),
      toProblem({ type: 'entity.parse.failed', expose: true }, 'r1', log),
      toProblem({ type: 'entity.too.large', expose: true, limit: 10 }, 'r1', log),
      toProblem({ type: 'something.else', expose: true, status: 400 }, 'r1', log),
    ].map((d) => d.type.slice(PROBLEM_TYPE_PREFIX.length));
    expect(codes).toEqual(['internal', 'invalid-json', 'too-large', 'invalid-request']);
  });

  it('lists every code in the README Errors table under its status, and nothing else', () => {
    const table = readmeErrorsTable();
    expect(Object.fromEntries(table)).toEqual(PROBLEM_CODES);
  });

  it('has no problem type written out anywhere but the registry', () => {
    const offenders = [...sourceFiles(resolve(ROOT, 'apps')), ...sourceFiles(resolve(ROOT, 'libs'))].filter(
      (f) => !f.endsWith('problem-codes.ts') && readFileSync(f, 'utf8').includes('urn:tocsin:problem'),
    );
    expect(offenders).toEqual([]);
  });
});
