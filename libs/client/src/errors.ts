import type { PROBLEM_TYPE_PREFIX } from '@tocsin/platform';

/** One issue of a problem document: where (a JSON pointer, `?param`, or a line) and why. */
export interface ProblemIssue {
  readonly pointer?: string;
  readonly line?: number;
  readonly detail: string;
}

/**
 * The prefix of every problem type (`urn:…:<code>`). The registry (libs/platform problem-codes.ts) is the one place
 * that writes it out; the client cannot load it, so it takes its type: this fails to compile if the two differ.
 */
const PROBLEM_URN: typeof PROBLEM_TYPE_PREFIX = `urn:${'tocsin'}:problem:`;
/** Bounds on what is read from an answer: a problem document is small; anything larger is cut. */
const MAX_ISSUES = 1000;
const MAX_TEXT = 2000;

/**
 * A non-2xx answer of the hub, read from its RFC 9457 problem document (`application/problem+json`). `code` is the
 * stable part of `type` (the problem-type URN ends with it), e.g. `invalid-body`, `alert-not-found`, `rate-limited`.
 */
export class TocsinProblem extends Error {
  override readonly name = 'TocsinProblem';
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  /** The request id the hub logged this answer under. */
  readonly instance?: string;
  readonly errors?: readonly ProblemIssue[];
  /** From `Retry-After` (429, 503): seconds to wait before trying again. */
  readonly retryAfterSeconds?: number;

  constructor(p: {
    status: number;
    type: string;
    code: string;
    title: string;
    detail?: string;
    instance?: string;
    errors?: readonly ProblemIssue[];
    retryAfterSeconds?: number;
  }) {
    super(problemMessage(p));
    this.status = p.status;
    this.type = p.type;
    this.code = p.code;
    this.title = p.title;
    if (p.detail !== undefined) {
      this.detail = p.detail;
    }
    if (p.instance !== undefined) {
      this.instance = p.instance;
    }
    if (p.errors !== undefined) {
      this.errors = p.errors;
    }
    if (p.retryAfterSeconds !== undefined) {
      this.retryAfterSeconds = p.retryAfterSeconds;
    }
  }
}

function problemMessage(p: {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: readonly ProblemIssue[];
}): string {
  const head = `${p.title} (${p.status} ${p.code})${p.detail ? `: ${p.detail}` : ''}`;
  const issues = (p.errors ?? []).slice(0, 5).map((e) => `${issuePlace(e)}${e.detail}`);
  const more = (p.errors?.length ?? 0) > 5 ? [`… and ${(p.errors?.length ?? 0) - 5} more`] : [];
  return [head, ...issues, ...more].join('\n  ');
}

/** `line 3: …`, `/title: …`, `?severity: …`, or nothing when the issue names no place. */
export function issuePlace(e: ProblemIssue): string {
  if (e.line !== undefined) {
    return `line ${e.line}: `;
  }
  return e.pointer ? `${e.pointer}: ` : '';
}

/** The hub could not be reached, or gave no answer in time: nothing is known of what it did. */
export class TocsinConnectionError extends Error {
  override readonly name = 'TocsinConnectionError';
  constructor(
    message: string,
    /** `timeout`, `aborted`, or the network error's code (`ECONNREFUSED`, `ENOTFOUND`, …). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller asked for something the client cannot do as given (no format could be detected, a bad option…). */
export class TocsinUsageError extends Error {
  override readonly name = 'TocsinUsageError';
}

/** `waitForOutcome` gave up: the alert was still being processed. `alert` is how it last read. */
export class TocsinTimeoutError extends Error {
  override readonly name = 'TocsinTimeoutError';
  constructor(
    message: string,
    readonly lastStatus: string | undefined,
  ) {
    super(message);
  }
}

const clip = (s: string): string => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? clip(v) : undefined);

/** `Retry-After` as seconds: a number of seconds or an HTTP date (relative to `now`). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) {
    return undefined;
  }
  const t = value.trim();
  if (/^\d+$/.test(t)) {
    return Number(t);
  }
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Builds the TocsinProblem of a non-2xx answer from its status, headers and body text. A body that is not a problem
 * document (a proxy's HTML page, nothing) still gives a problem: code `http-<status>`, the reason phrase as title.
 */
export function parseProblem(
  status: number,
  statusText: string,
  headers: { get(name: string): string | null },
  bodyText: string,
): TocsinProblem {
  let doc: Record<string, unknown> = {};
  try {
    const parsed: unknown = bodyText ? JSON.parse(bodyText) : undefined;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      doc = parsed as Record<string, unknown>;
    }
  } catch {
    doc = {};
  }
  const type = str(doc.type) ?? 'about:blank';
  const code = type.startsWith(PROBLEM_URN) ? type.slice(PROBLEM_URN.length) : `http-${status}`;
  const errors = Array.isArray(doc.errors)
    ? (doc.errors as unknown[]).slice(0, MAX_ISSUES).flatMap((e): ProblemIssue[] => {
        if (typeof e !== 'object' || e === null) {
          return [];
        }
        const r = e as Record<string, unknown>;
        const issue: { pointer?: string; line?: number; detail: string } = { detail: str(r.detail) ?? '' };
        const pointer = str(r.pointer);
        if (pointer !== undefined) {
          issue.pointer = pointer;
        }
        if (typeof r.line === 'number' && Number.isInteger(r.line)) {
          issue.line = r.line;
        }
        return [issue];
      })
    : undefined;
  const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'));
  const detail = str(doc.detail);
  const instance = str(doc.instance);
  return new TocsinProblem({
    status,
    type,
    code,
    title: str(doc.title) ?? (statusText || `HTTP ${status}`),
    ...(detail !== undefined ? { detail } : {}),
    ...(instance !== undefined ? { instance } : {}),
    ...(errors !== undefined ? { errors } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}
