import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../errors';
import { ExitCode, exitCodeForStatus } from '../exit-codes';
import { makeColors } from './colors';
import { MAX_PROBLEM_LINES, renderFailure, type ProblemLike } from './failure';

const plain = makeColors(false);
const problem = (p: Partial<ProblemLike> & { status: number }): ProblemLike => ({
  code: 'x',
  title: 'Title',
  ...p,
});

describe('exitCodeForStatus', () => {
  it.each([
    [400, ExitCode.refused],
    [413, ExitCode.refused],
    [415, ExitCode.refused],
    [422, ExitCode.refused],
    [401, ExitCode.auth],
    [403, ExitCode.auth],
    [404, ExitCode.notFound],
    [409, ExitCode.conflict],
    [429, ExitCode.unavailable],
    [503, ExitCode.unavailable],
    [502, ExitCode.unavailable],
    [500, ExitCode.unexpected],
  ])('maps %i to %i', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });
});

describe('renderFailure', () => {
  it('prints each problem with its pointer or line, and exits 5 for refused input', () => {
    const r = renderFailure(
      {
        kind: 'problem',
        problem: problem({
          status: 400,
          code: 'invalid-body',
          title: 'Invalid input',
          detail: '2 fields are invalid',
          errors: [
            { pointer: '/objects/3/pattern', detail: 'unexpected token' },
            { line: 7, detail: 'not an IPv4 address' },
          ],
        }),
      },
      plain,
    );
    expect(r.exitCode).toBe(ExitCode.refused);
    expect(r.lines).toEqual([
      'error: Invalid input (400 invalid-body): 2 fields are invalid',
      '  /objects/3/pattern: unexpected token',
      '  line 7: not an IPv4 address',
    ]);
  });

  it('names the submit flag that sets a refused query parameter', () => {
    const r = renderFailure(
      {
        kind: 'problem',
        problem: problem({
          status: 400,
          errors: [
            { pointer: '?title', detail: 'a csv document without a title needs the title query parameter' },
            { pointer: '?tlp', detail: 'must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED' },
            { pointer: '/indicators/0/value', detail: 'must not be blank' },
          ],
        }),
      },
      plain,
    );
    expect(r.exitCode).toBe(ExitCode.refused);
    expect(r.lines.at(-1)).toBe('hint: `?name` is what `tocsin submit` sets with --title, --tlp');
  });

  it('gives no flag hint for a refusal inside the document', () => {
    const r = renderFailure(
      { kind: 'problem', problem: problem({ status: 400, errors: [{ line: 3, detail: 'not an IPv4 address' }] }) },
      plain,
    );
    expect(r.lines.some((l) => l.startsWith('hint:'))).toBe(false);
  });

  it('caps the list of problems and counts the rest', () => {
    const errors = Array.from({ length: MAX_PROBLEM_LINES + 5 }, (_, i) => ({ line: i + 1, detail: 'bad' }));
    const r = renderFailure({ kind: 'problem', problem: problem({ status: 400, errors }) }, plain);
    expect(r.lines).toHaveLength(1 + MAX_PROBLEM_LINES + 1);
    expect(r.lines.at(-1)).toBe('  … and 5 more');
  });

  it('tells a 401 to set the key, and exits 4', () => {
    const r = renderFailure({ kind: 'problem', problem: problem({ status: 401, code: 'unauthorized' }) }, plain);
    expect(r.exitCode).toBe(ExitCode.auth);
    expect(r.lines.at(-1)).toContain('set TOCSIN_KEY, or run `tocsin config set-profile');
  });

  it('says when to retry a 429', () => {
    const r = renderFailure({ kind: 'problem', problem: problem({ status: 429, retryAfterSeconds: 3 }) }, plain);
    expect(r.exitCode).toBe(ExitCode.unavailable);
    expect(r.lines.at(-1)).toContain('retry in 3 s');
  });

  it('gives the request id of a hub error', () => {
    const r = renderFailure({ kind: 'problem', problem: problem({ status: 500, instance: 'req-1' }) }, plain);
    expect(r.exitCode).toBe(ExitCode.unexpected);
    expect(r.lines.at(-1)).toContain('request id req-1');
  });

  it('exits 7 with the URL when the hub cannot be reached', () => {
    const r = renderFailure({ kind: 'connection', message: 'ECONNREFUSED', url: 'http://h:1' }, plain);
    expect(r.exitCode).toBe(ExitCode.unavailable);
    expect(r.lines[0]).toBe('error: cannot reach the hub at http://h:1: ECONNREFUSED');
  });

  it('exits 2 for a usage error, with its hint', () => {
    const r = renderFailure(
      { kind: 'cli', error: new CliUsageError('no API key configured', 'set TOCSIN_KEY') },
      plain,
    );
    expect(r).toEqual({ exitCode: ExitCode.usage, lines: ['error: no API key configured', 'hint: set TOCSIN_KEY'] });
  });

  it('never lets the hub’s text drive the terminal', () => {
    const r = renderFailure(
      {
        kind: 'problem',
        problem: problem({ status: 400, title: 'Bad\u001b[2J', errors: [{ detail: 'x\u001b]0;t\u0007' }] }),
      },
      plain,
    );
    expect(r.lines.join('\n')).not.toContain('\u001b');
  });
});
