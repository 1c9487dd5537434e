import { TocsinConnectionError, TocsinProblem, TocsinTimeoutError, TocsinUsageError } from '@tocsin/client';
import { CliError } from './errors';
import { ExitCode } from './exit-codes';
import type { Failure } from './output/failure';

/** Sorts what a command threw into the kinds the CLI reports (and their exit codes). */
export function classify(e: unknown, url?: string): Failure {
  if (e instanceof CliError) {
    return { kind: 'cli', error: e };
  }
  if (e instanceof TocsinProblem) {
    return { kind: 'problem', problem: e };
  }
  if (e instanceof TocsinConnectionError) {
    return { kind: 'connection', message: e.message, ...(url === undefined ? {} : { url }) };
  }
  if (e instanceof TocsinUsageError) {
    return { kind: 'usage', message: e.message };
  }
  if (e instanceof TocsinTimeoutError) {
    return {
      kind: 'cli',
      error: new CliError(
        `${e.message}${e.lastStatus ? ` (last status: ${e.lastStatus})` : ''}`,
        ExitCode.unavailable,
        'the hub’s pipeline may be busy: check later with `tocsin alerts show ID`, or raise --wait-timeout',
      ),
    };
  }
  return { kind: 'unexpected', error: e };
}
