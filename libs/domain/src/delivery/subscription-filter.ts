import { z } from 'zod';
import { INDICATOR_TYPES } from '../alerts/indicator-types';
import { SEVERITIES, TLP_LABELS, type Severity, type TlpLabel } from '../alerts/tlp';
import { err, ok, type Issue, type Result } from '../shared/result';
import { storableString } from '../shared/storable-text';
import { zodIssues } from '../shared/zod-issues';
import type { RsitVocabulary } from '../model/taxonomies';

/** How many subscriptions one organisation may keep, and how many values one filter may list. */
export const MAX_SUBSCRIPTIONS_PER_ORG = 100;
export const MAX_SUBSCRIPTION_FILTER_VALUES = 50;
/** How many subscriptions one socket may attach to in its handshake. */
export const MAX_ATTACHED_SUBSCRIPTIONS = 20;

/**
 * What a subscription asks for. Every filter is optional; filters combine with AND, the values within one with
 * OR. An absent filter matches everything; no filter at all is the whole feed the org may see.
 */
export interface SubscriptionFilter {
  readonly minSeverity?: Severity;
  readonly tlp?: readonly TlpLabel[];
  /** RSIT `taxonomy` (any of its types) or `taxonomy/type`. */
  readonly classifications?: readonly string[];
  readonly indicatorTypes?: readonly string[];
  readonly sectors?: readonly string[];
  /** Targeted countries (the alert's `countries`), ISO 3166-1 alpha-2. */
  readonly countries?: readonly string[];
  /** The submitting organisation's country. */
  readonly sourceCountries?: readonly string[];
  /** Only coordinated alerts (`coordinated-*` events); single-source alerts are not sent. */
  readonly coordinatedOnly?: boolean;
}

/** What filters look at in a published alert (from its `alert` publish-log entry). */
export interface AlertFacets {
  readonly severity: Severity;
  readonly tlp: TlpLabel;
  readonly classification: { readonly taxonomy: string; readonly type: string } | null;
  readonly indicatorTypes: readonly string[];
  readonly sectors: readonly string[];
  readonly countries: readonly string[];
  readonly sourceCountry: string | null;
}

/**
 * What a delivered event is about: an alert (its own `alert` event and its updates, revocations and sightings all
 * match by the alert as published), or a coordinated alert (`coordinated-*` events).
 */
export type DeliverySubject =
  { readonly kind: 'alert'; readonly facets: AlertFacets } | { readonly kind: 'coordinated' };

const anyOf = (wanted: readonly string[] | undefined, have: readonly string[], fold = false): boolean => {
  if (wanted === undefined) {
    return true;
  }
  const norm = (s: string) => (fold ? s.toLowerCase() : s);
  const set = new Set(have.map(norm));
  return wanted.some((w) => set.has(norm(w)));
};

function classificationMatches(wanted: readonly string[] | undefined, c: AlertFacets['classification']): boolean {
  if (wanted === undefined) {
    return true;
  }
  if (!c) {
    return false;
  }
  return wanted.some((w) => w === c.taxonomy || w === `${c.taxonomy}/${c.type}`);
}

/** Whether one subscription's filter matches an alert. Filters only narrow: visibility (mayReceive) comes first. */
export function matchesFilter(f: SubscriptionFilter, a: AlertFacets): boolean {
  return (
    f.coordinatedOnly !== true &&
    (f.minSeverity === undefined || SEVERITIES.indexOf(a.severity) >= SEVERITIES.indexOf(f.minSeverity)) &&
    (f.tlp === undefined || f.tlp.includes(a.tlp)) &&
    classificationMatches(f.classifications, a.classification) &&
    anyOf(f.indicatorTypes, a.indicatorTypes) &&
    anyOf(f.sectors, a.sectors, true) &&
    anyOf(f.countries, a.countries) &&
    (f.sourceCountries === undefined || (a.sourceCountry !== null && f.sourceCountries.includes(a.sourceCountry)))
  );
}

/** Whether a subscription wants an event about this subject: coordinated events go to `coordinatedOnly` ones. */
export function subscriptionWants(f: SubscriptionFilter, s: DeliverySubject): boolean {
  return s.kind === 'coordinated' ? f.coordinatedOnly === true : matchesFilter(f, s.facets);
}

/**
 * Which of a socket's subscriptions an event matches, in the socket's order: the ids the event names. Empty means
 * the socket is not sent the event. A socket with no subscription (the whole feed) is not asked.
 */
export function matchedSubscriptions(
  subs: readonly { readonly id: string; readonly filter: SubscriptionFilter }[],
  s: DeliverySubject,
): string[] {
  return subs.filter((x) => subscriptionWants(x.filter, s)).map((x) => x.id);
}

/** Checks one classification filter value (`taxonomy` or `taxonomy/type`) against the RSIT data: null when known. */
export type ClassificationFilterCheck = (value: string) => string | null;

/** The classification check for filters, from the RSIT vocabulary. */
export function rsitFilterCheck(rsit: RsitVocabulary): ClassificationFilterCheck {
  return (value) => {
    const slash = value.indexOf('/');
    if (slash < 0) {
      return rsit.classes.includes(value)
        ? null
        : `"${value.slice(0, 100)}" is not an RSIT taxonomy class (${rsit.classes.join(', ')})`;
    }
    return rsit.check({ taxonomy: value.slice(0, slash), type: value.slice(slash + 1) });
  };
}

const list = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .min(1, 'must list at least one value (leave the filter out to match everything)')
    .max(MAX_SUBSCRIPTION_FILTER_VALUES, `must list at most ${MAX_SUBSCRIPTION_FILTER_VALUES} values`);

function filterSchema(checkClassification: ClassificationFilterCheck) {
  const country = storableString().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');
  return z.strictObject({
    minSeverity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
    tlp: list(z.enum(TLP_LABELS, { error: `must be one of ${TLP_LABELS.join(', ')}` })).optional(),
    classifications: list(
      storableString()
        .max(200)
        .superRefine((v, ctx) => {
          const problem = checkClassification(v);
          if (problem) {
            ctx.addIssue({ code: 'custom', message: problem });
          }
        }),
    ).optional(),
    indicatorTypes: list(z.enum(INDICATOR_TYPES, { error: `must be one of ${INDICATOR_TYPES.join(', ')}` })).optional(),
    sectors: list(storableString().trim().min(1, 'must not be blank').max(200)).optional(),
    countries: list(country).optional(),
    sourceCountries: list(country).optional(),
    coordinatedOnly: z.boolean({ error: 'must be true or false' }).optional(),
  });
}

const name = storableString({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be blank')
  .max(200, 'must be at most 200 characters');

export interface SubscriptionInput {
  readonly name: string | null;
  readonly filters: SubscriptionFilter;
}

export interface SubscriptionChange {
  readonly name?: string | null;
  readonly filters?: SubscriptionFilter;
}

/** `POST /api/v1/subscriptions` body: `{name?, filters?}`; each bad filter is an issue at `/filters/<name>`. */
export function parseSubscriptionInput(
  body: unknown,
  checkClassification: ClassificationFilterCheck,
): Result<SubscriptionInput, Issue[]> {
  const r = z
    .strictObject({ name: name.nullish(), filters: filterSchema(checkClassification).optional() })
    .safeParse(body ?? {});
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  return ok({ name: r.data.name ?? null, filters: dropUndefined(r.data.filters ?? {}) });
}

/** `PATCH /api/v1/subscriptions/:id` body: a new name and/or a new set of filters (replacing the old one whole). */
export function parseSubscriptionChange(
  body: unknown,
  checkClassification: ClassificationFilterCheck,
): Result<SubscriptionChange, Issue[]> {
  const r = z
    .strictObject({ name: name.nullable().optional(), filters: filterSchema(checkClassification).optional() })
    .refine((b) => b.name !== undefined || b.filters !== undefined, { message: 'change name or filters' })
    .safeParse(body ?? {});
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  return ok({
    ...(r.data.name !== undefined ? { name: r.data.name } : {}),
    ...(r.data.filters !== undefined ? { filters: dropUndefined(r.data.filters) } : {}),
  });
}

function dropUndefined(f: Record<string, unknown>): SubscriptionFilter {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
}

/** A filter read back from storage: whatever does not parse is treated as matching nothing (never widening). */
export function storedFilter(v: unknown): SubscriptionFilter {
  const r = filterSchema(() => null).safeParse(v);
  return r.success ? dropUndefined(r.data) : { tlp: [] };
}

/**
 * `auth.subscriptions` in a socket handshake: absent → none (the whole feed); otherwise 1..MAX distinct UUID
 * strings. Anything else is 'invalid'.
 */
export function parseAttachedSubscriptions(v: unknown, isId: (s: string) => boolean): string[] | 'invalid' {
  if (v === undefined || v === null) {
    return [];
  }
  if (!Array.isArray(v) || v.length > MAX_ATTACHED_SUBSCRIPTIONS) {
    return 'invalid';
  }
  if (!v.every((x): x is string => typeof x === 'string' && isId(x))) {
    return 'invalid';
  }
  return [...new Set(v.map((x) => x.toLowerCase()))];
}

/**
 * Where a socket that gave no `lastSeq` resumes: after the lowest acknowledged seq of its subscriptions (so none
 * of them misses anything), or live (null) when it has none: a whole-feed socket has no server-kept cursor.
 */
export function resumeSeq(lastSeq: number | null, acked: readonly number[]): number | null {
  if (lastSeq !== null) {
    return lastSeq;
  }
  return acked.length === 0 ? null : Math.min(...acked);
}
