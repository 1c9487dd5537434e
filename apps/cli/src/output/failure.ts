import { CliError } from '../errors';
import { ExitCode, exitCodeForStatus } from '../exit-codes';
import { safeText, type Colors } from './colors';

/** The RFC 9457 problem the client library throws for every non-2xx answer (its public fields). */
export interface ProblemLike {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly { readonly pointer?: string; readonly line?: number; readonly detail: string }[];
  readonly retryAfterSeconds?: number;
}

/** How the CLI classifies what went wrong (the client library's error classes, recognised by the caller). */
export type Failure =
  | { readonly kind: 'problem'; readonly problem: ProblemLike }
  | { readonly kind: 'connection'; readonly message: string; readonly url?: string }
  | { readonly kind: 'usage'; readonly message: string; readonly hint?: string }
  | { readonly kind: 'cli'; readonly error: CliError }
  | { readonly kind: 'unexpected'; readonly error: unknown };

/** At most this many of a problem's `errors` are printed (the count of the rest follows). */
export const MAX_PROBLEM_LINES = 50;

/** Each problem entry: `  /objects/3/pattern: detail` or `  line 7: detail`. */
export function problemEntries(problem: ProblemLike, c: Colors): string[] {
  const errors = problem.errors ?? [];
  const lines = errors.slice(0, MAX_PROBLEM_LINES).map((e) => {
    const where = e.line !== undefined ? `line ${e.line}` : e.pointer !== undefined ? safeText(e.pointer) : '';
    return `  ${where ? c.bold(where) + ': ' : ''}${safeText(e.detail)}`;
  });
  if (errors.length > MAX_PROBLEM_LINES) {
    lines.push(`  … and ${errors.length - MAX_PROBLEM_LINES} more`);
  }
  return lines;
}

/** The hub names a submission's query parameters `?title`, `?tlp`…; `tocsin submit` sets them with these flags. */
const QUERY_FLAGS: Readonly<Record<string, string>> = {
  title: '--title',
  description: '--description',
  severity: '--severity',
  tlp: '--tlp',
  recipients: '--recipients',
  attribution: '--anonymous',
  format: '--format',
};

function flagHint(problem: ProblemLike): string | undefined {
  const flags = [
    ...new Set(
      (problem.errors ?? []).flatMap((e) => {
        const flag = QUERY_FLAGS[/^\?(\w+)/.exec(e.pointer ?? '')?.[1] ?? ''];
        return flag ? [flag] : [];
      }),
    ),
  ];
  return flags.length > 0 ? `\`?name\` is what \`tocsin submit\` sets with ${flags.join(', ')}` : undefined;
}

function hintFor(problem: ProblemLike): string | undefined {
  switch (exitCodeForStatus(problem.status)) {
    case ExitCode.refused:
      return flagHint(problem);
    case ExitCode.auth:
      return problem.status === 401
        ? 'check the key: set TOCSIN_KEY, or run `tocsin config set-profile NAME --url URL --key-file FILE`'
        : 'this key’s role (or organisation) may not do this: use a key with the right role (README, "Roles")';
    case ExitCode.notFound:
      return 'check the id: an object this key may not see answers "not found" too';
    case ExitCode.unavailable:
      return problem.retryAfterSeconds !== undefined
        ? `the hub is busy or rate-limiting this key: retry in ${problem.retryAfterSeconds} s`
        : 'the hub is unavailable: retry later';
    case ExitCode.conflict:
    case ExitCode.ok:
    case ExitCode.unexpected:
    case ExitCode.usage:
    case ExitCode.rejected:
      return problem.status >= 500 && problem.instance
        ? `a hub error: report it with request id ${safeText(problem.instance)}`
        : undefined;
  }
}

/** The exit code and the stderr lines for a failure; the lines say what went wrong and what to do. */
export function renderFailure(failure: Failure, c: Colors): { exitCode: ExitCode; lines: string[] } {
  const error = (s: string) => `${c.red(c.bold('error:'))} ${s}`;
  const hint = (s: string | undefined) => (s ? [`${c.dim('hint:')} ${s}`] : []);
  switch (failure.kind) {
    case 'problem': {
      const p = failure.problem;
      const head = `${safeText(p.title)} (${p.status} ${safeText(p.code)})${p.detail ? `: ${safeText(p.detail)}` : ''}`;
      return {
        exitCode: exitCodeForStatus(p.status),
        lines: [error(head), ...problemEntries(p, c), ...hint(hintFor(p))],
      };
    }
    case 'connection':
      return {
        exitCode: ExitCode.unavailable,
        lines: [
          error(`cannot reach the hub${failure.url ? ` at ${failure.url}` : ''}: ${safeText(failure.message)}`),
          ...hint('is it running? check TOCSIN_URL, --url or the profile’s url (`tocsin config show`)'),
        ],
      };
    case 'usage':
      return { exitCode: ExitCode.usage, lines: [error(safeText(failure.message)), ...hint(failure.hint)] };
    case 'cli':
      if (failure.error.message === '') {
        return { exitCode: failure.error.exitCode, lines: [] };
      }
      return { exitCode: failure.error.exitCode, lines: [error(failure.error.message), ...hint(failure.error.hint)] };
    case 'unexpected': {
      const e = failure.error;
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return {
        exitCode: ExitCode.unexpected,
        lines: [error(`unexpected: ${safeText(message)}`), ...hint('this is a bug in tocsin: please report it')],
      };
    }
  }
}
