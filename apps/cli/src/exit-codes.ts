/**
 * Exit codes a script can rely on (documented in `tocsin --help` and the README). Never renumber one: add.
 */
export const ExitCode = {
  ok: 0,
  /** A bug, or anything not listed below. */
  unexpected: 1,
  /** Bad flags or arguments, a missing or broken configuration: nothing was sent. */
  usage: 2,
  /** 404: no such object, or one this key may not see. */
  notFound: 3,
  /** 401 (key missing, unknown, revoked) or 403 (the key's role may not do this). */
  auth: 4,
  /** 400, 413, 415, 422: the hub refused the input; each problem is printed with its pointer or line. */
  refused: 5,
  /** 409: the object is not in a state that allows this (already reviewed, name taken, …). */
  conflict: 6,
  /** No answer (network, timeout), 502/503/504, or 429 (submit first retries once after Retry-After). */
  unavailable: 7,
  /** `submit --wait`: the alert was rejected (or revoked) rather than published or held for review. */
  rejected: 8,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an HTTP problem status. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 404) {
    return ExitCode.notFound;
  }
  if (status === 401 || status === 403) {
    return ExitCode.auth;
  }
  if (status === 400 || status === 413 || status === 415 || status === 422) {
    return ExitCode.refused;
  }
  if (status === 409) {
    return ExitCode.conflict;
  }
  if (status === 429 || status === 502 || status === 503 || status === 504) {
    return ExitCode.unavailable;
  }
  if (status >= 400 && status < 500) {
    return ExitCode.refused;
  }
  return ExitCode.unexpected;
}

/** The `--help` epilog of the root command (also in the README). */
export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  unexpected error (a bug: please report it with the request id printed)
  2  usage error: bad flags or arguments, missing configuration (nothing was sent)
  3  not found (404), or not visible to this key
  4  authentication or permission (401, 403)
  5  input refused (400, 413, 415, 422): each problem is printed with its pointer or line
  6  conflict (409): not allowed in the object's current state
  7  hub unreachable or unavailable (network, timeout, 502/503/504), or rate limited (429; submit retries once)
  8  submit --wait: an alert was rejected (held for review exits 0 and says so)`;
