import {
  TocsinConnectionError,
  TocsinProblem,
  TocsinTimeoutError,
  TocsinUsageError,
  TocsinWatchError,
} from '@tocsin/client';
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
    return { kind: 'connection', message: e.reason, ...(url === undefined ? {} : { url }) };
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
  if (e instanceof TocsinWatchError) {
    return { kind: 'cli', error: watchFailure(e) };
  }
  return { kind: 'unexpected', error: e };
}

/** A watch the hub refused for good (the watcher stopped): its exit code and what to do. */
function watchFailure(e: TocsinWatchError): CliError {
  switch (e.code) {
    case 'unauthorized':
      return new CliError(
        `the hub refused the key: ${e.message}`,
        ExitCode.auth,
        'check the key: set TOCSIN_KEY, or run `tocsin config set-profile NAME --url URL --key-file FILE`',
      );
    case 'forbidden':
      return new CliError(`the hub refused this key: ${e.message}`, ExitCode.auth);
    case 'subscription-not-found':
      return new CliError(
        `no such subscription of your organisation: ${e.message}`,
        ExitCode.notFound,
        'list them with `tocsin subscriptions list`',
      );
    case 'invalid-handshake':
      return new CliError(`the hub refused the watch: ${e.message}`, ExitCode.usage);
    default:
      return new CliError(`the watch stopped: ${e.message}`, ExitCode.unexpected);
  }
}
