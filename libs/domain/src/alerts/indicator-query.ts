import { INDICATOR_FLAGS, type IndicatorFlag } from '../model/canonical';
import { err, ok, type Issue, type Result } from '../shared/result';
import { INDICATOR_TYPES, type IndicatorType } from './indicator-types';

/** What `GET /api/v1/alerts/:id/indicators` sorts by: submission order, type or the value shown. */
export const INDICATOR_SORTS = ['position', 'type', 'value'] as const;
export type IndicatorSort = (typeof INDICATOR_SORTS)[number];

/**
 * The order and filters of one alert's indicator list, combined with AND (the values of one filter with OR).
 * Null: not filtered. Ties (and `position`) are broken by position, so a cursor (the last row's position) is exact.
 */
export interface IndicatorQuery {
  readonly sort: IndicatorSort;
  readonly descending: boolean;
  readonly types: readonly IndicatorType[] | null;
  /** Rows whose canonical or raw value contains this text, ignoring case. */
  readonly text: string | null;
  readonly actionable: boolean | null;
  /** Rows carrying every one of these flags. */
  readonly flags: readonly IndicatorFlag[] | null;
}

export const INDICATOR_QUERY_PARAMETERS = ['sort', 'order', 'type', 'q', 'actionable', 'flag'] as const;
export const MAX_INDICATOR_TEXT = 200;

// eslint-disable-next-line no-control-regex -- refusing control characters on purpose
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** One text value of a parameter, or null (repeated, or not text); undefined when absent. */
function one(raw: unknown): string | null | undefined {
  if (raw === undefined) {
    return undefined;
  }
  return typeof raw === 'string' ? raw : null;
}

/** `a,b` or `?x=a&x=b` → the trimmed values, lower case; 'bad' when one is empty or not text. */
function many(raw: unknown): string[] | undefined | 'bad' {
  if (raw === undefined) {
    return undefined;
  }
  const parts = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : null;
  if (!parts?.every((p): p is string => typeof p === 'string')) {
    return 'bad';
  }
  const out = parts.flatMap((p) => p.split(',')).map((v) => v.trim().toLowerCase());
  return out.length === 0 || out.length > 20 || out.some((v) => v === '') ? 'bad' : [...new Set(out)];
}

/**
 * Reads the order and filters of an alert's indicator list: `sort` (position, type, value), `order` (asc, desc),
 * `type` (indicator types, comma-separated), `q` (part of the value), `actionable` (true, false) and `flag`
 * (flags, comma-separated: rows with all of them). Every problem is an issue naming its parameter (`?sort`).
 */
export function parseIndicatorQuery(query: Readonly<Record<string, unknown>>): Result<IndicatorQuery> {
  const issues: Issue[] = [];
  for (const name of Object.keys(query)) {
    if (!(INDICATOR_QUERY_PARAMETERS as readonly string[]).includes(name) && name !== 'limit' && name !== 'cursor') {
      issues.push({
        pointer: `?${name.slice(0, 40)}`,
        detail: `is not a parameter of this list (${INDICATOR_QUERY_PARAMETERS.join(', ')}, limit, cursor)`,
      });
    }
  }
  const sortRaw = one(query.sort);
  let sort: IndicatorSort = 'position';
  if (sortRaw !== undefined) {
    const s = INDICATOR_SORTS.find((x) => x === sortRaw);
    if (s === undefined) {
      issues.push({ pointer: '?sort', detail: `must be one of ${INDICATOR_SORTS.join(', ')}` });
    } else {
      sort = s;
    }
  }
  const orderRaw = one(query.order);
  if (orderRaw !== undefined && orderRaw !== 'asc' && orderRaw !== 'desc') {
    issues.push({ pointer: '?order', detail: 'must be asc or desc' });
  }
  const typesRaw = many(query.type);
  let types: IndicatorType[] | null = null;
  if (typesRaw !== undefined) {
    const bad = typesRaw === 'bad' ? '' : typesRaw.find((t) => !(INDICATOR_TYPES as readonly string[]).includes(t));
    if (typesRaw === 'bad' || bad !== undefined) {
      issues.push({
        pointer: '?type',
        detail: `must be indicator types (${INDICATOR_TYPES.join(', ')}), comma-separated${bad ? `, not "${bad.slice(0, 40)}"` : ''}`,
      });
    } else {
      types = typesRaw as IndicatorType[];
    }
  }
  const flagsRaw = many(query.flag);
  let flags: IndicatorFlag[] | null = null;
  if (flagsRaw !== undefined) {
    const bad = flagsRaw === 'bad' ? '' : flagsRaw.find((f) => !(INDICATOR_FLAGS as readonly string[]).includes(f));
    if (flagsRaw === 'bad' || bad !== undefined) {
      issues.push({
        pointer: '?flag',
        detail: `must be flags (${INDICATOR_FLAGS.join(', ')}), comma-separated${bad ? `, not "${bad.slice(0, 40)}"` : ''}`,
      });
    } else {
      flags = flagsRaw as IndicatorFlag[];
    }
  }
  const actionableRaw = one(query.actionable);
  let actionable: boolean | null = null;
  if (actionableRaw !== undefined) {
    if (actionableRaw === 'true' || actionableRaw === 'false') {
      actionable = actionableRaw === 'true';
    } else {
      issues.push({ pointer: '?actionable', detail: 'must be true or false' });
    }
  }
  const textRaw = one(query.q);
  let text: string | null = null;
  if (textRaw !== undefined) {
    const q = textRaw === null ? '' : textRaw.trim();
    if (q === '' || q.length > MAX_INDICATOR_TEXT || CONTROL.test(q)) {
      issues.push({
        pointer: '?q',
        detail: `must be text of 1 to ${MAX_INDICATOR_TEXT} characters, without control characters`,
      });
    } else {
      text = q;
    }
  }
  if (issues.length > 0) {
    return err(issues);
  }
  return ok({ sort, descending: orderRaw === 'desc', types, text, actionable, flags });
}
