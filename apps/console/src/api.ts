// The console's HTTP calls: same origin, the session cookie, and the CSRF token on every state-changing call.
// Types come from the typed client (`import type`, erased from the bundle) so they cannot drift from the hub.
import type { AlertView, IndicatorLookupView, IndicatorsPage, Role } from '@tocsin/client';
import type { PROBLEM_TYPE_PREFIX } from '@tocsin/platform';

/**
 * The prefix of every problem type. The registry (libs/platform problem-codes.ts) is the one place that writes it
 * out; the console cannot load it, so it takes its type: this fails to compile if the two differ.
 */
const PROBLEM_URN: typeof PROBLEM_TYPE_PREFIX = `urn:${'tocsin'}:problem:`;

export type { AlertView, IndicatorLookupView, IndicatorsPage };

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly orgId: string;
}

export interface Session {
  readonly user: SessionUser;
  readonly csrfToken: string;
  readonly enrolmentOnly: boolean;
  /** Whether the user has a second factor. */
  readonly secondFactor: boolean;
}

/** One field the hub refused: a JSON pointer (`/cidrs/3`) or a query parameter (`?cursor`), and why. */
export interface FieldProblem {
  readonly pointer?: string;
  readonly line?: number;
  readonly detail: string;
}

/** A problem document the hub answered (RFC 9457), as an error, with the fields it names (`errors`). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(detail);
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token, for a request not made by call() (an upload through XMLHttpRequest). */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

/** The problem type's code (`invalid-body`), or `http-<status>` for an answer that is not a problem of ours. */
export function problemCode(type: string | undefined, status: number): string {
  return type?.startsWith(PROBLEM_URN) ? type.slice(PROBLEM_URN.length) : `http-${status}`;
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken !== null) {
    headers['x-csrf-token'] = csrfToken;
  }
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) {
    return undefined as T;
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const p = (json ?? {}) as { type?: string; detail?: string; title?: string; errors?: unknown };
    const errors = Array.isArray(p.errors) ? (p.errors as FieldProblem[]) : [];
    throw new ProblemError(
      res.status,
      problemCode(p.type, res.status),
      p.detail ?? p.title ?? `HTTP ${res.status}`,
      errors,
    );
  }
  return json as T;
}

/** The signed-in session, or null when there is none. */
export async function currentSession(): Promise<Session | null> {
  try {
    const s = await call<Session>('GET', '/session');
    csrfToken = s.csrfToken;
    return s;
  } catch (e) {
    if (e instanceof ProblemError && e.status === 401) {
      return null;
    }
    throw e;
  }
}

export async function signIn(email: string, password: string, totp?: string): Promise<Session> {
  const s = await call<Session>('POST', '/session', { email, password, ...(totp ? { totp } : {}) });
  csrfToken = s.csrfToken;
  return s;
}

export async function signOut(): Promise<void> {
  await call<void>('DELETE', '/session');
  csrfToken = null;
}

export function recentAlerts(): Promise<{ items: AlertView[] }> {
  return call('GET', '/alerts?status=published&limit=50');
}

export function getAlert(id: string): Promise<AlertView> {
  return call('GET', `/alerts/${encodeURIComponent(id)}`);
}

export function getIndicators(id: string): Promise<IndicatorsPage> {
  return call('GET', `/alerts/${encodeURIComponent(id)}/indicators`);
}

export function exportUrl(id: string, format: 'stix' | 'misp'): string {
  return `/api/v1/alerts/${encodeURIComponent(id)}/export?format=${format}`;
}

export interface AlertsPage {
  readonly items: AlertView[];
  readonly nextCursor: string | null;
}

/** The filters the search page offers (`GET /api/v1/alerts`); an empty value is left out. */
export interface AlertFilters {
  readonly status: string;
  readonly severity: string;
  readonly tlp: string;
  readonly q: string;
}

export function searchAlerts(filters: AlertFilters, cursor: string | null, limit = 20): Promise<AlertsPage> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters) as [string, string][]) {
    if (v.trim() !== '') {
      params.set(k, v.trim());
    }
  }
  params.set('limit', String(limit));
  if (cursor !== null) {
    params.set('cursor', cursor);
  }
  return call('GET', `/alerts?${params.toString()}`);
}

export function lookupIndicator(value: string): Promise<IndicatorLookupView> {
  return call('GET', `/indicators?${new URLSearchParams({ value }).toString()}`);
}

/** The review queue: `?status=pending_review` alone, oldest first. */
export function reviewQueue(cursor: string | null): Promise<AlertsPage> {
  const params = new URLSearchParams({ status: 'pending_review', limit: '50' });
  if (cursor !== null) {
    params.set('cursor', cursor);
  }
  return call('GET', `/alerts?${params.toString()}`);
}

export function reviewAlert(id: string, decision: 'approve' | 'reject', reason: string): Promise<AlertView> {
  return call('POST', `/alerts/${encodeURIComponent(id)}/review`, { decision, reason });
}
