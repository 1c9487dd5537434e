import { ExitCode } from './exit-codes';

/** A failure the CLI itself detected, with the exit code it means and what to do about it. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** One more line telling the user what to do. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad flags, arguments or configuration: exit 2, nothing was sent. */
export class CliUsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
    this.name = 'CliUsageError';
  }
}

/** Ends the command with this exit code, its reasons already printed. */
export class CliExit extends CliError {
  constructor(exitCode: ExitCode) {
    super('', exitCode);
    this.name = 'CliExit';
  }
}
