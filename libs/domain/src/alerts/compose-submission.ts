import { z } from 'zod';
import type {
  Classification,
  ImportedAlert,
  ImportedAlertFields,
  RawIndicator,
  SourceFormat,
} from '../model/canonical';
import { err, ok, type Issue, type Result } from '../shared/result';
import { zodIssues } from '../shared/zod-issues';
import { storableString } from '../shared/storable-text';
import { INDICATOR_TYPES } from './indicator-types';
import { SEVERITIES, TLP_LABELS, tlpFromWord, type Severity, type TlpLabel } from './tlp';
import { ATTRIBUTIONS, type Attribution } from './attribution';

export interface SubmissionLimits {
  readonly maxIndicators: number;
  readonly maxRecipients: number;
}

export const MAX_TITLE = 300;
export const MAX_DESCRIPTION = 20_000;
export const MAX_INDICATOR_VALUE = 2_048;
export const MAX_LIST = 100;

/** The TLP the hub applies when neither the document nor the query gives one: conservative, never CLEAR/GREEN. */
export const DEFAULT_TLP: TlpLabel = 'AMBER';
export const DEFAULT_SEVERITY: Severity = 'medium';

/** An RSIT vocabulary check, built from the taxonomy data by the caller. */
export type ClassificationCheck = (c: Classification) => string | null;

const title = storableString()
  .trim()
  .min(1, 'must not be blank')
  .max(MAX_TITLE, `must be at most ${MAX_TITLE} characters`);
const description = storableString().max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`);
const severity = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });
const tlp = z.enum(TLP_LABELS, { error: `must be one of ${TLP_LABELS.join(', ')}` });
const attribution = z.enum(ATTRIBUTIONS, { error: `must be one of ${ATTRIBUTIONS.join(', ')}` });
const uuid = z.uuid({ error: 'must be an organisation id (a UUID)' });
const timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' });
const shortList = z
  .array(storableString().trim().min(1).max(200))
  .max(MAX_LIST, `must hold at most ${MAX_LIST} entries`);

/**
 * The native schema for given limits, built once per distinct limits: building a zod schema (and its first, compiling
 * parse) costs far more than parsing with it, and the limits come from configuration, so a hub sees one or two.
 */
const nativeSchemas = new Map<string, ReturnType<typeof buildNativeSchema>>();

function nativeSchema(limits: SubmissionLimits) {
  const key = `${limits.maxIndicators}/${limits.maxRecipients}`;
  let schema = nativeSchemas.get(key);
  if (!schema) {
    if (nativeSchemas.size >= 16) {
      nativeSchemas.clear();
    }
    schema = buildNativeSchema(limits);
    nativeSchemas.set(key, schema);
  }
  return schema;
}

function buildNativeSchema(limits: SubmissionLimits) {
  return z.strictObject({
    title,
    description: description.nullish(),
    severity: severity.optional(),
    tlp: tlp.optional(),
    attribution: attribution.optional(),
    confidence: z.number().int().min(0, 'must be from 0 to 100').max(100, 'must be from 0 to 100').nullish(),
    classification: z.strictObject({ taxonomy: storableString().max(100), type: storableString().max(100) }).nullish(),
    sectors: shortList.optional(),
    countries: z
      .array(storableString().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'))
      .max(300)
      .optional(),
    firstSeen: timestamp.nullish(),
    lastSeen: timestamp.nullish(),
    validUntil: timestamp.nullish(),
    references: z
      .array(z.url({ error: 'must be a URL' }).max(2048))
      .max(MAX_LIST)
      .optional(),
    recipients: z
      .array(uuid)
      .max(limits.maxRecipients, `must name at most ${limits.maxRecipients} organisations`)
      .optional(),
    indicators: z
      .array(
        z.strictObject({
          type: z.enum(INDICATOR_TYPES, { error: `must be one of ${INDICATOR_TYPES.join(', ')}` }).optional(),
          value: storableString({ error: 'is required and must be a string' })
            .trim()
            .min(1, 'must not be blank')
            .max(MAX_INDICATOR_VALUE, `must be at most ${MAX_INDICATOR_VALUE} characters`),
          comment: storableString().max(1000).nullish(),
        }),
        { error: 'must be an array of {type?, value, comment?}' },
      )
      .max(limits.maxIndicators, `must hold at most ${limits.maxIndicators} indicators`)
      .default([]),
  });
}

/** Tocsin's native JSON: every field of the canonical model, each checked with a JSON pointer on failure. */
export function importNative(body: unknown, limits: SubmissionLimits): Result<ImportedAlert> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return err([{ pointer: '', detail: 'the body must be a JSON object' }]);
  }
  const r = nativeSchema(limits).safeParse(body);
  if (!r.success) {
    return err(zodIssues(r.error));
  }
  const d = r.data;
  const fields: ImportedAlertFields = {
    title: d.title,
    description: d.description ?? null,
    ...(d.severity ? { severity: d.severity } : {}),
    ...(d.tlp ? { tlp: d.tlp } : {}),
    ...(d.attribution ? { attribution: d.attribution } : {}),
    confidence: d.confidence ?? null,
    classification: d.classification ?? null,
    sectors: d.sectors ?? [],
    countries: d.countries ?? [],
    firstSeen: d.firstSeen ?? null,
    lastSeen: d.lastSeen ?? null,
    validUntil: d.validUntil ?? null,
    references: d.references ?? [],
    recipients: d.recipients ?? [],
  };
  const indicators: RawIndicator[] = d.indicators.map((i, n) => ({
    ...(i.type ? { type: i.type } : {}),
    value: i.value,
    comment: i.comment ?? null,
    source: `/indicators/${n}`,
  }));
  return ok({ format: 'native', fields, indicators, unsupported: [] });
}

/** Query parameters that fill in what a document's format cannot carry (`?title=…&tlp=AMBER`). */
export interface SubmissionQuery {
  readonly title?: string;
  readonly description?: string;
  readonly severity?: Severity;
  readonly tlp?: TlpLabel;
  readonly attribution?: Attribution;
  readonly recipients?: readonly string[];
}

/** Query parameters are typed by hand: `tlp=green`, `tlp=TLP:AMBER+STRICT` and `severity=High` are read as meant. */
const queryTlp = z.preprocess((v) => (typeof v === 'string' ? (tlpFromWord(v) ?? v) : v), tlp);
const querySeverity = z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), severity);

const querySchema = z.object({
  title: title.optional(),
  description: description.optional(),
  severity: querySeverity.optional(),
  tlp: queryTlp.optional(),
  attribution: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), attribution).optional(),
  recipients: storableString()
    .max(40 * 1000)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    )
    .pipe(z.array(uuid))
    .optional(),
  format: storableString().optional(),
});

export function parseSubmissionQuery(query: Record<string, unknown>): Result<SubmissionQuery> {
  const single = Object.entries(query).find(([, v]) => Array.isArray(v));
  if (single) {
    return err([{ pointer: `?${single[0]}`, detail: 'must be given once' }]);
  }
  const r = querySchema.safeParse(query);
  if (!r.success) {
    return err(
      zodIssues(r.error).map((i) => ({ pointer: `?${i.pointer.slice(1).split('/')[0] ?? ''}`, detail: i.detail })),
    );
  }
  const { format: _format, ...q } = r.data;
  return ok(q);
}

/** The alert as it will be stored: document fields win, the query fills gaps, then the hub's defaults. */
export interface ComposedSubmission {
  readonly format: SourceFormat;
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly confidence: number | null;
  readonly tlp: TlpLabel;
  readonly tlpDefaulted: boolean;
  /** What the submitter asked for (document first, then the query); null: the hub's default applies. */
  readonly attribution: Attribution | null;
  readonly classification: Classification | null;
  readonly sectors: readonly string[];
  readonly countries: readonly string[];
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly validUntil: string | null;
  readonly references: readonly string[];
  readonly recipients: readonly string[];
  readonly indicators: readonly RawIndicator[];
  readonly unsupported: readonly Issue[];
}

const cap = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export function composeSubmission(
  imported: ImportedAlert,
  query: SubmissionQuery,
  limits: SubmissionLimits,
  checkClassification: ClassificationCheck,
): Result<ComposedSubmission> {
  const f = imported.fields;
  const issues: Issue[] = [];
  const t = f.title?.trim() || query.title;
  if (!t) {
    issues.push({
      pointer: imported.format === 'native' ? '/title' : '?title',
      detail: `a ${imported.format} document without a title needs the title query parameter`,
    });
  }
  const chosenTlp = f.tlp ?? query.tlp;
  const recipients = [...new Set([...(f.recipients ?? []), ...(query.recipients ?? [])].map((r) => r.toLowerCase()))];
  const recipientsPointer = imported.format === 'native' ? '/recipients' : '?recipients';
  if (chosenTlp === 'RED' && recipients.length === 0) {
    issues.push({
      pointer: recipientsPointer,
      detail: 'is required for a TLP:RED alert: name at least one organisation',
    });
  }
  if (chosenTlp !== 'RED' && recipients.length > 0) {
    issues.push({ pointer: recipientsPointer, detail: 'is only allowed on a TLP:RED alert' });
  }
  if (recipients.length > limits.maxRecipients) {
    issues.push({ pointer: recipientsPointer, detail: `must name at most ${limits.maxRecipients} organisations` });
  }
  if (imported.indicators.length > limits.maxIndicators) {
    issues.push({
      pointer: imported.format === 'native' ? '/indicators' : '',
      detail: `an alert may hold at most ${limits.maxIndicators} indicators (this one has ${imported.indicators.length})`,
    });
  }
  const classification = f.classification ?? null;
  if (classification) {
    const why = checkClassification(classification);
    if (why) {
      issues.push({ pointer: imported.format === 'native' ? '/classification' : '', detail: why });
    }
  }
  if (issues.length > 0 || !t) {
    return err(issues);
  }
  return ok({
    format: imported.format,
    title: cap(t, MAX_TITLE),
    description: f.description ?? query.description ?? null,
    severity: f.severity ?? query.severity ?? DEFAULT_SEVERITY,
    confidence: f.confidence ?? null,
    tlp: chosenTlp ?? DEFAULT_TLP,
    tlpDefaulted: chosenTlp === undefined,
    attribution: f.attribution ?? query.attribution ?? null,
    classification,
    sectors: (f.sectors ?? []).slice(0, MAX_LIST),
    countries: (f.countries ?? []).slice(0, 300),
    firstSeen: f.firstSeen ?? null,
    lastSeen: f.lastSeen ?? null,
    validUntil: f.validUntil ?? null,
    references: (f.references ?? []).slice(0, MAX_LIST),
    recipients,
    indicators: imported.indicators,
    unsupported: imported.unsupported.slice(0, 1000),
  });
}

/** The one answer for a RED recipient that may not be named: it never says whether the org exists, nor its trust. */
export const RED_RECIPIENT_REFUSED = 'is not an organisation that may receive this alert';

/**
 * The recipients of a RED alert that may not be named: unknown, suspended (trust 0) or below `minTrust` all get the
 * same issue, so the answer cannot be used to probe ids or trust levels. `known` maps the ids that exist to their
 * trust level; each issue points at the recipient (`/recipients/n` for native JSON, `?recipients` otherwise).
 */
export function refusedRecipients(
  s: Pick<ComposedSubmission, 'format' | 'recipients'>,
  known: ReadonlyMap<string, number>,
  minTrust: number,
): Issue[] {
  return s.recipients.flatMap((id, n) => {
    const trust = known.get(id.toLowerCase());
    return trust !== undefined && trust > 0 && trust >= minTrust
      ? []
      : [{ pointer: s.format === 'native' ? `/recipients/${n}` : '?recipients', detail: RED_RECIPIENT_REFUSED }];
  });
}
