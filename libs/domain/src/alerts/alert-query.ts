import type { RsitVocabulary } from '../model/taxonomies';
import { err, ok, type Issue, type Result } from '../shared/result';
import { ALERT_STATUSES, type AlertStatus } from './alert-status';
import { SEVERITIES, TLP_LABELS, tlpFromWord, type Severity, type TlpLabel } from './tlp';

/** The filters of `GET /api/v1/alerts`, combined with AND; the values of one filter with OR. Null: not filtered. */
export interface AlertQuery {
  readonly statuses: readonly AlertStatus[] | null;
  readonly severities: readonly Severity[] | null;
  readonly tlps: readonly TlpLabel[] | null;
  /** RSIT classes (`taxonomy`) or class and type (`taxonomy/type`). */
  readonly classifications: readonly { readonly taxonomy: string; readonly type: string | null }[] | null;
  /** ISO 3166-1 alpha-2 codes of the submitting organisation's country, upper case. */
  readonly sourceCountries: readonly string[] | null;
  /** Submitted at or after `since`, and before `until`. */
  readonly since: Date | null;
  readonly until: Date | null;
  /** Free text searched for in the title and description (every word must occur). */
  readonly text: string | null;
}

/** At most this many values in one filter, and this many characters of free text. */
export const MAX_FILTER_VALUES = 20;
export const MAX_SEARCH_TEXT = 200;

/** The query parameters `GET /api/v1/alerts` reads (besides `limit` and `cursor`). */
export const ALERT_QUERY_PARAMETERS = [
  'status',
  'severity',
  'minSeverity',
  'tlp',
  'classification',
  'sourceCountry',
  'since',
  'until',
  'q',
] as const;

const ISO_INSTANT = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:Z|[+-]\d\d:\d\d))?$/;
const COUNTRY = /^[A-Za-z]{2}$/;
const CLASS_WORD = /^[a-z0-9][a-z0-9-]{0,63}$/;
// eslint-disable-next-line no-control-regex -- refusing control characters on purpose
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** `a,b` or `?x=a&x=b` (or both) → the trimmed, non-empty values; null when the parameter is absent. */
function values(raw: unknown): string[] | null | 'bad' {
  if (raw === undefined) {
    return null;
  }
  const parts = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : null;
  if (!parts?.every((p): p is string => typeof p === 'string')) {
    return 'bad';
  }
  return parts.flatMap((p) => p.split(',')).map((v) => v.trim());
}

type Parsed<T> = { ok: true; value: T[] } | { ok: false; detail: string };

function each<T>(raw: string[], read: (v: string) => T | undefined, expected: string): Parsed<T> {
  if (raw.length === 0 || raw.some((v) => v === '')) {
    return { ok: false, detail: `must be ${expected}, not empty` };
  }
  if (raw.length > MAX_FILTER_VALUES) {
    return { ok: false, detail: `takes at most ${MAX_FILTER_VALUES} values` };
  }
  const out: T[] = [];
  for (const v of raw) {
    const r = read(v);
    if (r === undefined) {
      return { ok: false, detail: `"${v.slice(0, 40)}" is not ${expected}` };
    }
    if (!out.includes(r)) {
      out.push(r);
    }
  }
  return { ok: true, value: out };
}

const oneOf =
  <T extends string>(allowed: readonly T[]) =>
  (v: string): T | undefined =>
    allowed.find((a) => a === v.toLowerCase());

/** `AMBER+STRICT` arrives as `AMBER STRICT` when the `+` was not percent-encoded: both are read. */
const tlp = (v: string): TlpLabel | undefined => tlpFromWord(v.replace(/\s+/g, '+'));

function instant(v: string): Date | undefined {
  if (!ISO_INSTANT.test(v)) {
    return undefined;
  }
  const d = new Date(v);
  // Date rolls 2026-02-30 over to March: refuse a calendar date that does not exist.
  const [y = 0, m = 0, day = 0] = v.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(y, m - 1, day));
  // Year 0 exists in ISO 8601 but not in PostgreSQL.
  if (Number.isNaN(d.getTime()) || y < 1 || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== day) {
    return undefined;
  }
  return d;
}

/**
 * Reads the list filters of `GET /api/v1/alerts`. Every problem is an issue whose pointer names the query
 * parameter (`?severity`); with `rsit`, classifications are checked against the RSIT vocabulary.
 */
export function parseAlertQuery(query: Readonly<Record<string, unknown>>, rsit?: RsitVocabulary): Result<AlertQuery> {
  const issues: Issue[] = [];
  for (const name of Object.keys(query)) {
    if (!(ALERT_QUERY_PARAMETERS as readonly string[]).includes(name) && name !== 'limit' && name !== 'cursor') {
      issues.push({
        pointer: `?${name.slice(0, 40)}`,
        detail: `is not a parameter of this list (${ALERT_QUERY_PARAMETERS.join(', ')}, limit, cursor)`,
      });
    }
  }
  const list = <T>(name: string, read: (v: string) => T | undefined, expected: string): T[] | null => {
    const raw = values(query[name]);
    if (raw === null) {
      return null;
    }
    const parsed: Parsed<T> = raw === 'bad' ? { ok: false, detail: 'must be text' } : each(raw, read, expected);
    if (!parsed.ok) {
      issues.push({ pointer: `?${name}`, detail: parsed.detail });
      return null;
    }
    return parsed.value;
  };
  const single = <T>(name: string, read: (v: string) => T | undefined, expected: string): T | null => {
    const raw = values(query[name]);
    if (raw === null) {
      return null;
    }
    if (raw === 'bad' || raw.length !== 1) {
      issues.push({ pointer: `?${name}`, detail: `takes one value: ${expected}` });
      return null;
    }
    const v = read(raw[0]!);
    if (v === undefined) {
      issues.push({ pointer: `?${name}`, detail: `must be ${expected}` });
      return null;
    }
    return v;
  };

  const statuses = list('status', oneOf(ALERT_STATUSES), `one of ${ALERT_STATUSES.join(', ')}`);
  let severities = list('severity', oneOf(SEVERITIES), `one of ${SEVERITIES.join(', ')}`);
  const minSeverity = single('minSeverity', oneOf(SEVERITIES), `one of ${SEVERITIES.join(', ')}`);
  if (minSeverity !== null) {
    const atLeast = SEVERITIES.slice(SEVERITIES.indexOf(minSeverity));
    severities = (severities ?? atLeast).filter((s) => atLeast.includes(s));
  }
  const tlps = list('tlp', tlp, `a TLP label (${TLP_LABELS.join(', ')})`);
  const classifications = list(
    'classification',
    (v) => {
      const [taxonomy, type, extra] = v.toLowerCase().split('/');
      if (extra !== undefined || !taxonomy || !CLASS_WORD.test(taxonomy)) {
        return undefined;
      }
      if (type !== undefined && !CLASS_WORD.test(type)) {
        return undefined;
      }
      return `${taxonomy}/${type ?? ''}`;
    },
    'an RSIT class, or class/type (malicious-code/c2-server)',
  )?.map((key) => {
    const [taxonomy = '', type = ''] = key.split('/');
    return { taxonomy, type: type === '' ? null : type };
  });
  if (rsit && classifications) {
    for (const c of classifications) {
      const problem =
        c.type !== null
          ? rsit.check({ taxonomy: c.taxonomy, type: c.type })
          : rsit.classes.includes(c.taxonomy)
            ? null
            : rsit.check({ taxonomy: c.taxonomy, type: '' });
      if (problem !== null) {
        issues.push({ pointer: '?classification', detail: problem });
        break;
      }
    }
  }
  const sourceCountries = list(
    'sourceCountry',
    (v) => (COUNTRY.test(v) ? v.toUpperCase() : undefined),
    'an ISO 3166-1 alpha-2 country code',
  );
  const since = single('since', instant, 'an ISO 8601 date or date-time (2026-12-01T00:00:00Z)');
  const until = single('until', instant, 'an ISO 8601 date or date-time (2026-12-01T00:00:00Z)');
  if (since && until && since.getTime() >= until.getTime()) {
    issues.push({ pointer: '?until', detail: 'must be later than since' });
  }
  let text: string | null = null;
  if (query.q !== undefined) {
    const q = typeof query.q === 'string' ? query.q.trim() : null;
    if (q === null || q === '' || q.length > MAX_SEARCH_TEXT || CONTROL.test(q)) {
      issues.push({
        pointer: '?q',
        detail: `must be text of 1 to ${MAX_SEARCH_TEXT} characters, without control characters`,
      });
    } else if (!/[\p{L}\p{N}]/u.test(q)) {
      issues.push({ pointer: '?q', detail: 'must contain at least one word' });
    } else {
      text = q;
    }
  }
  if (issues.length > 0) {
    return err(issues);
  }
  return ok({
    statuses,
    severities,
    tlps,
    classifications: classifications ?? null,
    sourceCountries,
    since,
    until,
    text,
  });
}
