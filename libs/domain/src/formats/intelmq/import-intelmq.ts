import type { IndicatorType } from '../../alerts/indicator-types';
import { tlpFromWord, TLP_LABELS, type TlpLabel } from '../../alerts/tlp';
import type { Classification, ImportedAlert, ImportedAlertFields, RawIndicator } from '../../model/canonical';
import type { RsitVocabulary } from '../../model/taxonomies';
import { err, ok, type Issue, type Result } from '../../shared/result';
import { escapePointerToken } from '../../shared/zod-issues';
import { readIntelMqClassification, shown } from './intelmq-classification';

/**
 * IntelMQ event importer (pure). Reads events in the IntelMQ data format, all of one submission into ONE alert.
 * Decisions (kept in step with the spec):
 *
 * - Containers: JSON lines (one event a line; `source` = `line N`, issues at `/line/N` with `line`), a JSON array
 *   of events (`/3/source.ip`), or one JSON object, possibly pretty-printed (`/source.ip`). Events may be flat
 *   (`"source.ip": …`) or hierarchical (`"source": {"ip": …}`, IntelMQ's hierarchical output).
 * - Indicators: `source.*` and `destination.*` `ip` (type inferred later), `fqdn` (domain), `url`, `network`
 *   (cidr), `asn`, `reverse_dns` (domain); `malware.hash.md5|sha1|sha256`. IntelMQ experts add the routed
 *   network, the AS and the PTR name to every event: `network` and `asn` are actionable only in an event that
 *   has no ip, fqdn, url or hash (a DROP list entry, an ASN list), and `reverse_dns` is never actionable.
 * - Comment: `malware.name`, `event_description.target`, `event_description.text`, `comment`.
 * - Alert fields: classification (see `intelmq-classification.ts`; kept only when every classified event agrees),
 *   the most restrictive `tlp` (`WHITE` = CLEAR), firstSeen/lastSeen = min/max `time.source`, references =
 *   `event_description.url`, description = the feeds (`feed.name`, `feed.provider`), title = "<feed.name>
 *   report" when every event names the same feed. `extra.*`, `raw`, `__type` and other keys are ignored.
 * - Refused (Issue[]): a line or document that is not JSON or not an object/array of objects, more than
 *   `maxEvents` events, no event at all. Reported in `unsupported` and skipped: an IntelMQ report (`__type`
 *   `Report`), an event without indicator, a value that is not a string (or number for `asn`) or longer than
 *   {@link INTELMQ_MAX_VALUE_LENGTH}, an unknown tlp, classification or time. At most {@link INTELMQ_MAX_ISSUES}.
 */

export const INTELMQ_MAX_EVENTS = 100_000;
export const INTELMQ_MAX_VALUE_LENGTH = 2_048;
export const INTELMQ_MAX_ISSUES = 100;
/** At most this many distinct `event_description.url` references are kept. */
export const INTELMQ_MAX_REFERENCES = 100;

export interface ImportIntelMqOptions {
  readonly maxEvents?: number;
  /** The RSIT vocabulary: `compileRsit` of the shipped rsit machine-tag data (the caller loads it). */
  readonly rsit: RsitVocabulary;
}

type Role = 'subject' | 'enrichment' | 'ptr';

interface IndicatorField {
  readonly key: string;
  readonly type: IndicatorType | undefined;
  readonly role: Role;
}

const sideFields = (side: 'source' | 'destination'): IndicatorField[] => [
  { key: `${side}.ip`, type: undefined, role: 'subject' },
  { key: `${side}.fqdn`, type: 'domain', role: 'subject' },
  { key: `${side}.url`, type: 'url', role: 'subject' },
  { key: `${side}.network`, type: 'cidr', role: 'enrichment' },
  { key: `${side}.asn`, type: 'asn', role: 'enrichment' },
  { key: `${side}.reverse_dns`, type: 'domain', role: 'ptr' },
];

/** The IntelMQ keys read as indicators, in the order they are emitted. */
export const INTELMQ_INDICATOR_FIELDS: readonly IndicatorField[] = [
  ...sideFields('source'),
  ...sideFields('destination'),
  { key: 'malware.hash.md5', type: 'md5', role: 'subject' },
  { key: 'malware.hash.sha1', type: 'sha1', role: 'subject' },
  { key: 'malware.hash.sha256', type: 'sha256', role: 'subject' },
];

const COMMENT_FIELDS = ['malware.name', 'event_description.target', 'event_description.text', 'comment'];

const MAX_NESTING = 8;
const MAX_TITLE = 300;
const MAX_FEEDS_LISTED = 20;

type Json = Record<string, unknown>;

function isRecord(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Where an event stands: JSON lines give a line, JSON documents a pointer prefix. */
interface Place {
  readonly line?: number;
  readonly pointer: string;
}

interface Entry {
  readonly value: unknown;
  /** JSON pointer of the value in the document (for hierarchical events: `/source/ip`). */
  readonly path: string;
}

/** IntelMQ's flat keys, whether the event was written flat or hierarchical; `extra` is not read. */
function flatten(o: Json, prefix: string, path: string, out: Map<string, Entry>, depth: number): void {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    const p = `${path}/${escapePointerToken(k)}`;
    if (key === 'extra' || key.startsWith('extra.')) {
      continue;
    }
    if (isRecord(v) && depth < MAX_NESTING) {
      flatten(v, key, p, out, depth + 1);
    } else if (!out.has(key)) {
      out.set(key, { value: v, path: p });
    }
  }
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** IntelMQ's DateTime (ISO 8601, UTC offset optional: then UTC) → ISO in UTC; null when it is not one. */
function parseTime(s: string): string | null {
  const m = ISO_TIME.exec(s.trim());
  if (!m) {
    return null;
  }
  const [, y, mo, d, h, mi, sec = '', zone = 'Z'] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  // Date.parse rolls 30 February over into March: check the calendar date and the clock first.
  if (
    day.getUTCFullYear() !== Number(y) ||
    day.getUTCMonth() !== Number(mo) - 1 ||
    day.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59
  ) {
    return null;
  }
  const offset = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}${sec}${offset}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

class Collected {
  readonly indicators: RawIndicator[] = [];
  private readonly issues: Issue[] = [];
  private omitted = 0;
  tlp: TlpLabel | undefined;
  readonly classifications: { readonly classification: Classification; readonly place: Place }[] = [];
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  readonly references = new Set<string>();
  private droppedReferences = 0;
  readonly feeds = new Set<string>();
  readonly feedNames = new Set<string>();
  eventsWithoutFeedName = 0;

  report(place: Place, detail: string, path = ''): void {
    if (this.issues.length >= INTELMQ_MAX_ISSUES) {
      this.omitted += 1;
      return;
    }
    this.issues.push(
      place.line === undefined
        ? { pointer: `${place.pointer}${path}`, detail }
        : { pointer: place.pointer, detail, line: place.line },
    );
  }

  reference(url: string): void {
    if (this.references.has(url)) {
      return;
    }
    if (this.references.size < INTELMQ_MAX_REFERENCES) {
      this.references.add(url);
    } else {
      this.droppedReferences += 1;
    }
  }

  raiseTlp(label: TlpLabel): void {
    if (this.tlp === undefined || TLP_LABELS.indexOf(label) > TLP_LABELS.indexOf(this.tlp)) {
      this.tlp = label;
    }
  }

  seen(iso: string): void {
    if (this.firstSeen === undefined || iso < this.firstSeen) {
      this.firstSeen = iso;
    }
    if (this.lastSeen === undefined || iso > this.lastSeen) {
      this.lastSeen = iso;
    }
  }

  unsupported(): Issue[] {
    const out = [...this.issues];
    if (this.droppedReferences > 0) {
      out.push({
        pointer: '',
        detail: `${this.droppedReferences} more event_description.url references were not kept (at most ${INTELMQ_MAX_REFERENCES})`,
      });
    }
    if (this.omitted > 0) {
      out.push({ pointer: '', detail: `${this.omitted} more unsupported parts are not listed` });
    }
    return out;
  }
}

/** IntelMQ writes AS numbers as JSON numbers; every other field read here is a string. */
const takesNumber = (key: string): boolean => key.endsWith('.asn');

/** A field as text: undefined when absent, null or blank; reported and undefined when of another JSON type. */
function readText(fields: Map<string, Entry>, key: string, place: Place, out: Collected): string | undefined {
  const e = fields.get(key);
  if (e === undefined || e.value === null || e.value === undefined) {
    return undefined;
  }
  if (typeof e.value === 'string') {
    return e.value.trim() === '' ? undefined : e.value.trim();
  }
  if (typeof e.value === 'number' && Number.isFinite(e.value) && takesNumber(key)) {
    return String(e.value);
  }
  out.report(place, `${key} must be ${takesNumber(key) ? 'a number or a string' : 'a string'}; ignored`, e.path);
  return undefined;
}

function readEvent(
  event: Json,
  place: Place,
  sourceOf: (path: string) => string,
  rsit: RsitVocabulary,
  out: Collected,
): void {
  const fields = new Map<string, Entry>();
  flatten(event, '', '', fields, 0);

  const kind = fields.get('__type')?.value;
  if (typeof kind === 'string' && kind !== 'Event') {
    out.report(place, `an IntelMQ ${shown(kind)}, not an event; not imported`);
    return;
  }

  const comment = [...new Set(COMMENT_FIELDS.map((k) => readText(fields, k, place, out)).filter((c) => c))].join('; ');
  const values = INTELMQ_INDICATOR_FIELDS.map((f) => ({ f, value: readText(fields, f.key, place, out) }));
  const hasSubject = values.some(({ f, value }) => f.role === 'subject' && value !== undefined);
  for (const { f, value } of values) {
    if (value === undefined) {
      continue;
    }
    const entry = fields.get(f.key);
    const path = entry?.path ?? '';
    if (value.length > INTELMQ_MAX_VALUE_LENGTH) {
      out.report(place, `${f.key} is longer than ${INTELMQ_MAX_VALUE_LENGTH} characters; not imported`, path);
      continue;
    }
    const actionable = f.role === 'ptr' || (f.role === 'enrichment' && hasSubject) ? false : undefined;
    out.indicators.push({
      ...(f.type !== undefined ? { type: f.type } : {}),
      value,
      source: sourceOf(path),
      ...(comment ? { comment } : {}),
      ...(actionable !== undefined ? { actionable } : {}),
    });
  }
  if (values.every(({ value }) => value === undefined)) {
    out.report(place, 'the event has no indicator (source.ip, source.fqdn, source.url, malware.hash.*…); not imported');
  }

  const tlp = readText(fields, 'tlp', place, out);
  if (tlp !== undefined) {
    const label = tlpFromWord(tlp);
    if (label) {
      out.raiseTlp(label);
    } else {
      out.report(place, `tlp ${shown(tlp)} is not a TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED); ignored`);
    }
  }

  const reading = readIntelMqClassification(
    readText(fields, 'classification.taxonomy', place, out),
    readText(fields, 'classification.type', place, out),
    rsit,
  );
  if (reading && 'problem' in reading) {
    out.report(place, reading.problem);
  } else if (reading) {
    out.classifications.push({ classification: reading.classification, place });
    if (reading.note) {
      out.report(place, reading.note);
    }
  }

  const time = readText(fields, 'time.source', place, out);
  if (time !== undefined) {
    const iso = parseTime(time);
    if (iso) {
      out.seen(iso);
    } else {
      out.report(place, `time.source ${shown(time)} is not an ISO 8601 date and time; ignored`);
    }
  }

  const reference = readText(fields, 'event_description.url', place, out);
  if (reference !== undefined && reference.length <= INTELMQ_MAX_VALUE_LENGTH) {
    out.reference(reference);
  }

  const feedName = readText(fields, 'feed.name', place, out);
  const provider = readText(fields, 'feed.provider', place, out);
  if (feedName === undefined) {
    out.eventsWithoutFeedName += 1;
  } else {
    out.feedNames.add(feedName);
  }
  if (feedName !== undefined || provider !== undefined) {
    const label =
      feedName !== undefined && provider !== undefined ? `${feedName} (${provider})` : (feedName ?? provider ?? '');
    out.feeds.add(label);
  }
}

function alertClassification(out: Collected): Classification | undefined {
  const [first, ...rest] = out.classifications;
  if (!first) {
    return undefined;
  }
  const other = rest.find(
    (c) =>
      c.classification.taxonomy !== first.classification.taxonomy ||
      c.classification.type !== first.classification.type,
  );
  if (other) {
    const distinct = new Set(out.classifications.map((c) => `${c.classification.taxonomy}/${c.classification.type}`));
    out.report(
      other.place,
      `the events carry ${distinct.size} classifications (${[...distinct].slice(0, 5).join(', ')}); the alert is left unclassified`,
    );
    return undefined;
  }
  return first.classification;
}

function fieldsOf(out: Collected, events: number): ImportedAlertFields {
  const [only, ...others] = out.feedNames;
  const title =
    only !== undefined && others.length === 0 && out.eventsWithoutFeedName === 0 ? `${only} report` : undefined;
  const feeds = [...out.feeds];
  const description =
    feeds.length === 0
      ? undefined
      : `${events} IntelMQ event${events === 1 ? '' : 's'} from ${feeds.slice(0, MAX_FEEDS_LISTED).join(', ')}` +
        (feeds.length > MAX_FEEDS_LISTED ? ` and ${feeds.length - MAX_FEEDS_LISTED} more feeds` : '');
  const classification = alertClassification(out);
  return {
    ...(title !== undefined ? { title: title.length > MAX_TITLE ? title.slice(0, MAX_TITLE) : title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(out.tlp !== undefined ? { tlp: out.tlp } : {}),
    ...(classification !== undefined ? { classification } : {}),
    ...(out.firstSeen !== undefined ? { firstSeen: out.firstSeen } : {}),
    ...(out.lastSeen !== undefined ? { lastSeen: out.lastSeen } : {}),
    ...(out.references.size > 0 ? { references: [...out.references] } : {}),
  };
}

interface Located {
  readonly event: unknown;
  readonly place: Place;
  readonly sourceOf: (path: string) => string;
}

function tryJson(s: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(s) as unknown };
  } catch {
    return undefined;
  }
}

/** Splits the submission into events, or refuses it. */
function locateEvents(body: string, maxEvents: number): Result<Located[], Issue[]> {
  const trimmed = body.trim();
  if (trimmed.startsWith('[')) {
    const doc = tryJson(trimmed);
    if (!doc || !Array.isArray(doc.value)) {
      return err([{ pointer: '', detail: 'is not valid JSON: expected JSON lines, an array of events or one event' }]);
    }
    if (doc.value.length > maxEvents) {
      return err([
        {
          pointer: `/${maxEvents}`,
          detail: `the document holds ${doc.value.length} events; at most ${maxEvents} are accepted`,
        },
      ]);
    }
    const events: readonly unknown[] = doc.value;
    return ok(events.map((event, i) => ({ event, place: { pointer: `/${i}` }, sourceOf: (p) => `/${i}${p}` })));
  }
  const lines = body.split(/\r\n|\r|\n/);
  if (trimmed.startsWith('{') && lines.filter((l) => l.trim() !== '').length > 1) {
    const doc = tryJson(trimmed);
    if (doc && isRecord(doc.value)) {
      return ok([{ event: doc.value, place: { pointer: '' }, sourceOf: (p) => p }]);
    }
  }
  const located: Located[] = [];
  const fatal: Issue[] = [];
  for (let i = 0; i < lines.length && fatal.length < INTELMQ_MAX_ISSUES; i++) {
    const t = (lines[i] ?? '').trim();
    if (t === '') {
      continue;
    }
    const line = i + 1;
    const place = { line, pointer: `/line/${line}` };
    if (located.length >= maxEvents) {
      return err([
        { ...place, detail: `the file has more than ${maxEvents} events; at most ${maxEvents} are accepted` },
      ]);
    }
    const parsed = tryJson(t);
    if (!parsed) {
      fatal.push({ ...place, detail: 'is not valid JSON: each line must be one IntelMQ event (a JSON object)' });
    } else if (!isRecord(parsed.value)) {
      fatal.push({ ...place, detail: 'is not a JSON object: each line must be one IntelMQ event' });
    } else {
      located.push({ event: parsed.value, place, sourceOf: () => `line ${line}` });
    }
  }
  return fatal.length > 0 ? err(fatal) : ok(located);
}

/**
 * Imports IntelMQ events (format `intelmq`) as one alert. Refuses what is not JSON lines / JSON events, more than
 * `maxEvents` events and an empty submission; otherwise returns the alert fields, the indicators and what could
 * not be used. Never throws.
 */
export function importIntelMq(text: string, opts: ImportIntelMqOptions): Result<ImportedAlert, Issue[]> {
  const maxEvents = opts.maxEvents ?? INTELMQ_MAX_EVENTS;
  const rsit = opts.rsit;
  const located = locateEvents(text.replace(/^\uFEFF/, ''), maxEvents);
  if (!located.ok) {
    return located;
  }
  const events = located.value;
  if (events.length === 0) {
    return err([{ pointer: '', detail: 'holds no IntelMQ event' }]);
  }
  const fatal: Issue[] = [];
  for (const { event, place } of events) {
    if (!isRecord(event)) {
      fatal.push({ pointer: place.pointer, detail: 'is not a JSON object: each event must be an IntelMQ event' });
    }
  }
  if (fatal.length > 0) {
    return err(fatal.slice(0, INTELMQ_MAX_ISSUES));
  }
  const out = new Collected();
  for (const { event, place, sourceOf } of events) {
    if (isRecord(event)) {
      readEvent(event, place, sourceOf, rsit, out);
    }
  }
  return ok({
    format: 'intelmq',
    fields: fieldsOf(out, events.length),
    indicators: out.indicators,
    unsupported: out.unsupported(),
  });
}
