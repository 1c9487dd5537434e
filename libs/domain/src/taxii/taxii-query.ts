import type { Issue, Result } from '../shared/result';
import { err, ok } from '../shared/result';
import { parseTaxiiTimestamp, type Micros } from './taxii-timestamp';

/** Objects per page when the client names no `limit`. */
export const TAXII_DEFAULT_LIMIT = 100;
/** The largest `limit` honoured; a larger one is lowered to it (TAXII 2.1 §3.4: the server may return fewer). */
export const TAXII_MAX_LIMIT = 1_000;
/** At most this many values in one `match[...]` filter (all its occurrences, comma-separated, together). */
export const TAXII_MAX_MATCH_VALUES = 100;
/** A `next` token longer than this is refused unread. */
export const TAXII_MAX_NEXT_LENGTH = 64;

/** Where a page ends: the publish-log entry (seq) and the object's index among those that entry exports. */
export interface TaxiiPosition {
  readonly seq: number;
  readonly index: number;
}

/** `match[version]` (TAXII 2.1 §3.5.1): any of `first`, `last`, `all` and exact versions; default `last`. */
export interface VersionMatch {
  readonly all: boolean;
  readonly first: boolean;
  readonly last: boolean;
  readonly exact: ReadonlySet<Micros>;
}

export interface TaxiiQuery {
  readonly addedAfter: Micros | null;
  readonly limit: number;
  readonly next: TaxiiPosition | null;
  readonly ids: ReadonlySet<string> | null;
  readonly types: ReadonlySet<string> | null;
  readonly versions: VersionMatch;
  readonly specVersions: ReadonlySet<string> | null;
}

/** Which parameters an endpoint takes (TAXII 2.1 §5.3 objects, §5.4 manifest, §5.6 object, §5.8 versions). */
export type TaxiiQueryKind = 'objects' | 'object' | 'versions';

const ALLOWED: Readonly<Record<TaxiiQueryKind, readonly string[]>> = {
  objects: ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'],
  object: ['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]'],
  versions: ['added_after', 'limit', 'next', 'match[spec_version]'],
};

const STIX_ID = /^[a-z0-9][a-z0-9-]{0,249}--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STIX_TYPE = /^[a-z0-9][a-z0-9-]{0,249}$/;
const SPEC_VERSION = /^\d{1,2}\.\d{1,2}$/;

/** A `next` token: the position of the last object of the previous page, opaque to the client. */
export function encodeTaxiiNext(p: TaxiiPosition): string {
  return Buffer.from(`v1:${p.seq}:${p.index}`, 'utf8').toString('base64url');
}

export function decodeTaxiiNext(token: string): TaxiiPosition | null {
  if (token.length === 0 || token.length > TAXII_MAX_NEXT_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) {
    return null;
  }
  const m = /^v1:(\d{1,16}):(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) {
    return null;
  }
  const seq = Number(m[1]);
  const index = Number(m[2]);
  return Number.isSafeInteger(seq) && Number.isSafeInteger(index) ? { seq, index } : null;
}

/** Is `a` after `b` in publish-log order? */
export function isAfterPosition(a: TaxiiPosition, b: TaxiiPosition): boolean {
  return a.seq > b.seq || (a.seq === b.seq && a.index > b.index);
}

/**
 * Reads a TAXII request's query parameters (as [name, value] pairs, in order; a repeated `match[...]` adds to
 * it): every value bounded, every problem an issue naming the parameter (`?match[type]`). An unknown parameter is
 * refused, so a misspelt filter never silently widens an answer.
 */
export function parseTaxiiQuery(
  pairs: readonly (readonly [string, string])[],
  kind: TaxiiQueryKind,
): Result<TaxiiQuery, Issue[]> {
  const issues: Issue[] = [];
  const issue = (name: string, detail: string) => {
    if (!issues.some((i) => i.pointer === `?${name}`)) {
      issues.push({ pointer: `?${name}`, detail });
    }
  };
  const seen = new Map<string, string[]>();
  if (pairs.length > 50) {
    return err([{ pointer: '?', detail: 'at most 50 query parameters' }]);
  }
  for (const [name, value] of pairs) {
    if (!ALLOWED[kind].includes(name)) {
      issue(name.slice(0, 40), `unknown parameter; this endpoint takes ${ALLOWED[kind].join(', ')}`);
      continue;
    }
    const list = seen.get(name) ?? [];
    list.push(value);
    seen.set(name, list);
  }
  const single = (name: string): string | null => {
    const v = seen.get(name);
    if (!v) {
      return null;
    }
    if (v.length > 1) {
      issue(name, 'given more than once');
    }
    return v[0] ?? null;
  };
  const values = (name: string, valid: (s: string) => boolean, what: string): Set<string> | null => {
    const raw = seen.get(name);
    if (!raw) {
      return null;
    }
    const all = raw.flatMap((r) => r.split(',')).map((s) => s.trim());
    if (all.length > TAXII_MAX_MATCH_VALUES) {
      issue(name, `at most ${TAXII_MAX_MATCH_VALUES} values`);
      return null;
    }
    const bad = all.find((s) => !valid(s));
    if (bad !== undefined) {
      issue(name, `each value must be ${what}`);
      return null;
    }
    return new Set(all);
  };

  let addedAfter: Micros | null = null;
  const aa = single('added_after');
  if (aa !== null) {
    addedAfter = parseTaxiiTimestamp(aa);
    if (addedAfter === null) {
      issue('added_after', 'must be an RFC 3339 UTC timestamp, such as 2026-01-02T03:04:05.123456Z');
    }
  }
  let limit = TAXII_DEFAULT_LIMIT;
  const l = single('limit');
  if (l !== null) {
    if (!/^\d{1,9}$/.test(l) || Number(l) < 1) {
      issue('limit', `must be a whole number from 1 (at most ${TAXII_MAX_LIMIT} are returned)`);
    } else {
      limit = Math.min(Number(l), TAXII_MAX_LIMIT);
    }
  }
  let next: TaxiiPosition | null = null;
  const n = single('next');
  if (n !== null) {
    next = decodeTaxiiNext(n);
    if (next === null) {
      issue('next', 'must be a next token from a previous answer');
    }
  }
  const ids = values('match[id]', (s) => STIX_ID.test(s), 'a STIX identifier (type--UUID)');
  const types = values('match[type]', (s) => STIX_TYPE.test(s), 'a STIX object type');
  const specVersions = values('match[spec_version]', (s) => SPEC_VERSION.test(s), 'a spec version such as 2.1');
  const rawVersions = values(
    'match[version]',
    (s) => s === 'first' || s === 'last' || s === 'all' || parseTaxiiTimestamp(s) !== null,
    'first, last, all or an RFC 3339 timestamp',
  );
  const versions: VersionMatch = rawVersions
    ? {
        all: rawVersions.has('all'),
        first: rawVersions.has('first'),
        last: rawVersions.has('last'),
        exact: new Set([...rawVersions].map(parseTaxiiTimestamp).filter((v): v is Micros => v !== null)),
      }
    : { all: kind === 'versions', first: false, last: kind !== 'versions', exact: new Set() };
  if (issues.length > 0) {
    return err(issues);
  }
  return ok({ addedAfter, limit, next, ids, types, versions, specVersions });
}
