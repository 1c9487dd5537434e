import type { IndicatorType } from '../../alerts/indicator-types';
import { moreRestrictiveTlp, tlpFromWord, tlpRank, type Severity, type TlpLabel } from '../../alerts/tlp';
import type { Classification, ImportedAlert, ImportedAlertFields, RawIndicator } from '../../model/canonical';
import { err, ok, type Issue, type Result } from '../../shared/result';

/**
 * MISP event importer (pure). Reads one MISP event, in any of the wrappers seen in real exports, into the
 * canonical import shape. Decisions (kept in step with the spec):
 *
 * - Containers: feed `{"Event": {…}}`, API `{"response": [{"Event": {…}}]}` and `{"response": {"Event": {…}}}`,
 *   a list `[{"Event": {…}}]`, and a bare event (an object with `info`, `Attribute` or `Object`). One event per
 *   submission: a container holding several is refused (pointer `/response` or ``), none is refused too.
 * - Pointers point into the document as submitted, so they carry the wrapper's prefix
 *   (`/Event/Attribute/3`, `/response/0/Event/Attribute/3`, bare `/Attribute/3`).
 * - IP types: MISP does not tell v4 from v6, so the importer types by a quick look at the value
 *   (`/` → cidr, two or more `:` → ipv6, otherwise ipv4); normalization then validates and rejects with a reason.
 * - threat_level_id 1 → high, 2 → medium, 3 → low, 4 ("undefined") → severity left undefined; any other value
 *   is reported in `unsupported` and ignored. A `tocsin:severity="<low|medium|high|critical>"` tag (what Tocsin's
 *   export writes) wins over threat_level_id, which cannot tell critical from high.
 * - description: a `comment` attribute whose own comment is "alert description" (Tocsin's export), the first one.
 * - `analysis` (initial / ongoing / complete) is workflow state, not confidence: ignored.
 * - firstSeen = `date` (midnight UTC); lastSeen = the later of `timestamp` and `publish_timestamp` (0 = never).
 * - TLP: the most restrictive `tlp:*` tag on the event or on any attribute (an attribute stricter than the event
 *   raises the whole alert and is reported); `tlp:white` = CLEAR; `tlp:ex:chr`, `tlp:unclear` are reported.
 * - RSIT: the first `rsit:<class>="<type>"` tag; further ones are reported. Vocabulary checks are normalization's.
 * - Unsupported attribute types are aggregated: one issue per MISP type (at its first attribute, with a count).
 *   At most {@link MISP_MAX_UNSUPPORTED} issues are listed, then one summary issue says how many more there were.
 * - Structural faults (not an object, `Attribute` not a list, an attribute without type or value…) refuse the
 *   document; attribute-level content problems (over-long value, bad composite) only skip that attribute.
 * - Deleted attributes/objects (`deleted: true`) and proposals (`ShadowAttribute`) are not imported.
 */

export const MISP_MAX_ATTRIBUTES = 100_000;
export const MISP_MAX_VALUE_LENGTH = 10_000;
export const MISP_MAX_UNSUPPORTED = 100;
/** At most this many issues when a document is refused. */
export const MISP_MAX_ISSUES = 100;

type Target = IndicatorType | 'ip';
type Part = 'whole' | 'first' | 'last';
interface Extraction {
  readonly type: Target;
  readonly part: Part;
}

const whole = (type: Target): readonly Extraction[] => [{ type, part: 'whole' }];
const before = (type: Target): readonly Extraction[] => [{ type, part: 'first' }];
const after = (type: Target): readonly Extraction[] => [{ type, part: 'last' }];

/**
 * MISP attribute type → what to take from its value. Composite types are `a|b`; `first` is the part before the
 * first `|` (ip, host), `last` the part after the last `|` (a file name may itself contain `|`).
 */
const MISP_TYPES: ReadonlyMap<string, readonly Extraction[]> = new Map([
  ['ip-src', whole('ip')],
  ['ip-dst', whole('ip')],
  ['ip-src|port', before('ip')],
  ['ip-dst|port', before('ip')],
  ['domain', whole('domain')],
  ['hostname', whole('domain')],
  ['hostname|port', before('domain')],
  [
    'domain|ip',
    [
      { type: 'domain', part: 'first' },
      { type: 'ip', part: 'last' },
    ],
  ],
  ['url', whole('url')],
  ['uri', whole('url')],
  ['email', whole('email')],
  ['email-src', whole('email')],
  ['email-dst', whole('email')],
  ['email-reply-to', whole('email')],
  ['md5', whole('md5')],
  ['sha1', whole('sha1')],
  ['sha256', whole('sha256')],
  ['sha512', whole('sha512')],
  ['filename|md5', after('md5')],
  ['filename|sha1', after('sha1')],
  ['filename|sha256', after('sha256')],
  ['filename|sha512', after('sha512')],
  // A malware sample's value is "<file name>|<md5>".
  ['malware-sample', after('md5')],
  ['vulnerability', whole('cve')],
  ['as', whole('asn')],
]);

/** The MISP attribute types the importer turns into indicators (lower-case; `AS` is matched case-insensitively). */
export const MISP_SUPPORTED_TYPES: readonly string[] = [...MISP_TYPES.keys(), 'link'];

const THREAT_LEVELS: Readonly<Record<string, Severity | undefined>> = {
  '1': 'high',
  '2': 'medium',
  '3': 'low',
  '4': undefined,
};

type Json = Record<string, unknown>;

function isRecord(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function field(o: Json, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** MISP writes numbers and booleans as strings as often as not. */
function asText(x: unknown): string | undefined {
  if (typeof x === 'string') {
    return x;
  }
  if (typeof x === 'number' && Number.isFinite(x)) {
    return String(x);
  }
  return undefined;
}

function asBoolean(x: unknown): boolean | undefined {
  if (x === true || x === 1) {
    return true;
  }
  if (x === false || x === 0) {
    return false;
  }
  if (typeof x === 'string') {
    const s = x.trim().toLowerCase();
    if (s === '1' || s === 'true') {
      return true;
    }
    if (s === '0' || s === 'false') {
      return false;
    }
  }
  return undefined;
}

function ipType(value: string): IndicatorType {
  if (value.includes('/')) {
    return 'cidr';
  }
  return (value.match(/:/g)?.length ?? 0) >= 2 ? 'ipv6' : 'ipv4';
}

function stricter(a: TlpLabel | undefined, b: TlpLabel): TlpLabel {
  return moreRestrictiveTlp(a, b) ?? b;
}

/** Epoch seconds (string or number) → ISO; 0 or absent → undefined; anything else → null (not a timestamp). */
function epochToIso(x: unknown): string | undefined | null {
  if (x === undefined || x === null) {
    return undefined;
  }
  const s = asText(x)?.trim();
  if (s === undefined || !/^\d{1,15}$/.test(s)) {
    return null;
  }
  const seconds = Number(s);
  if (seconds === 0) {
    return undefined;
  }
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `YYYY-MM-DD` → midnight UTC ISO; null when it is not a calendar date. */
function dateToIso(x: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(x.trim());
  if (!m) {
    return null;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    ? date.toISOString()
    : null;
}

/** The issues that do not refuse the document; repeated kinds are folded into one issue with a count. */
class UnsupportedLog {
  private readonly entries: { pointer: string; detail: (count: number) => string; count: number }[] = [];
  private readonly byKey = new Map<string, { count: number }>();
  private omitted = 0;

  constructor(private readonly eventPointer: string) {}

  add(pointer: string, detail: string | ((count: number) => string), key?: string): void {
    const existing = key === undefined ? undefined : this.byKey.get(key);
    if (existing) {
      existing.count += 1;
      return;
    }
    if (this.entries.length >= MISP_MAX_UNSUPPORTED) {
      this.omitted += 1;
      return;
    }
    const entry = { pointer, detail: typeof detail === 'string' ? () => detail : detail, count: 1 };
    this.entries.push(entry);
    if (key !== undefined) {
      this.byKey.set(key, entry);
    }
  }

  issues(): Issue[] {
    const out: Issue[] = this.entries.map((e) => ({ pointer: e.pointer, detail: e.detail(e.count) }));
    if (this.omitted > 0) {
      out.push({ pointer: this.eventPointer, detail: `${this.omitted} more unsupported parts are not listed` });
    }
    return out;
  }
}

const countSuffix = (count: number, noun: string): string =>
  count > 1 ? ` (${count} ${noun}s; the first is here)` : '';

interface Located {
  readonly event: Json;
  readonly pointer: string;
}

function looksLikeEvent(o: Json): boolean {
  return Object.hasOwn(o, 'info') || Object.hasOwn(o, 'Attribute') || Object.hasOwn(o, 'Object');
}

const NOT_AN_EVENT =
  'is not a MISP event: expected {"Event": {…}}, {"response": [{"Event": {…}}]} or an event object with info and Attribute';

function unwrap(item: unknown, pointer: string): Result<Located, Issue[]> {
  if (isRecord(item) && Object.hasOwn(item, 'Event')) {
    const event = item['Event'];
    return isRecord(event)
      ? ok({ event, pointer: `${pointer}/Event` })
      : err([{ pointer: `${pointer}/Event`, detail: 'must be a MISP event object' }]);
  }
  if (isRecord(item) && looksLikeEvent(item)) {
    return ok({ event: item, pointer });
  }
  return err([{ pointer, detail: NOT_AN_EVENT }]);
}

function unwrapList(list: readonly unknown[], pointer: string): Result<Located, Issue[]> {
  if (list.length === 0) {
    return err([{ pointer, detail: 'holds no MISP event' }]);
  }
  if (list.length > 1) {
    return err([
      {
        pointer,
        detail: `holds ${list.length} MISP events: submit one event per submission`,
      },
    ]);
  }
  return unwrap(list[0], `${pointer}/0`);
}

function locateEvent(doc: unknown): Result<Located, Issue[]> {
  if (Array.isArray(doc)) {
    return unwrapList(doc, '');
  }
  if (!isRecord(doc)) {
    return err([{ pointer: '', detail: 'must be a JSON object holding one MISP event' }]);
  }
  if (Object.hasOwn(doc, 'response')) {
    const response = doc['response'];
    if (Array.isArray(response)) {
      return unwrapList(response, '/response');
    }
    return isRecord(response)
      ? unwrap(response, '/response')
      : err([{ pointer: '/response', detail: 'must be a list of MISP events' }]);
  }
  return unwrap(doc, '');
}

/** A list field: absent or null is empty; anything but an array is a structural fault. */
function listField(o: Json, key: string, pointer: string, fatal: Issue[]): readonly unknown[] {
  const v = field(o, key);
  if (v === undefined || v === null) {
    return [];
  }
  if (!Array.isArray(v)) {
    fatal.push({ pointer: `${pointer}/${key}`, detail: 'must be a list' });
    return [];
  }
  return v;
}

interface AttributeRef {
  readonly attribute: unknown;
  readonly pointer: string;
  /** The enclosing object's comment, used when the attribute has none. */
  readonly objectComment?: string;
}

/** How Tocsin's MISP export marks the attribute that carries the alert's description. */
const TOCSIN_DESCRIPTION_COMMENT = 'alert description';
const TOCSIN_SEVERITY_TAG = /^tocsin:severity\s*=\s*"(low|medium|high|critical)"$/i;

interface Collected {
  indicators: RawIndicator[];
  references: Set<string>;
  /** The text of Tocsin's own description attribute (a `comment` attribute commented "alert description"). */
  description?: string;
  tlp: TlpLabel | undefined;
}

function tagNames(tags: readonly unknown[], pointer: string, log: UnsupportedLog | undefined): [string, string][] {
  const out: [string, string][] = [];
  tags.forEach((t, i) => {
    const name = isRecord(t) ? field(t, 'name') : undefined;
    if (typeof name === 'string') {
      out.push([name.trim(), `${pointer}/${i}`]);
    } else {
      log?.add(`${pointer}/${i}`, 'is not a tag with a name; ignored');
    }
  });
  return out;
}

/** A `tlp:` tag → its label; null for a `tlp:` tag that is not a TLP 2.0 level; undefined for other tags. */
function tlpOfTag(name: string): TlpLabel | null | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith('tlp:')) {
    return undefined;
  }
  return (
    tlpFromWord(
      lower
        .slice(4)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    ) ?? null
  );
}

function readAttribute(
  ref: AttributeRef,
  eventTlp: TlpLabel | undefined,
  out: Collected,
  log: UnsupportedLog,
  fatal: Issue[],
): void {
  const { attribute, pointer } = ref;
  if (!isRecord(attribute)) {
    fatal.push({ pointer, detail: 'must be a MISP attribute object' });
    return;
  }
  const rawType = field(attribute, 'type');
  const value = asText(field(attribute, 'value'));
  if (typeof rawType !== 'string' || rawType.trim() === '') {
    fatal.push({ pointer: `${pointer}/type`, detail: 'is required: a MISP attribute type' });
  }
  if (value === undefined || value.trim() === '') {
    fatal.push({ pointer: `${pointer}/value`, detail: 'is required: a non-blank string' });
  }
  if (typeof rawType !== 'string' || rawType.trim() === '' || value === undefined || value.trim() === '') {
    return;
  }
  if (asBoolean(field(attribute, 'deleted')) === true) {
    log.add(pointer, (n) => `deleted attribute; not imported${countSuffix(n, 'deleted attribute')}`, 'deleted');
    return;
  }
  const type = rawType.trim();
  const lowerType = type.toLowerCase();

  const tags = field(attribute, 'Tag');
  if (Array.isArray(tags)) {
    for (const [name, tagPointer] of tagNames(tags, `${pointer}/Tag`, undefined)) {
      const label = tlpOfTag(name);
      if (label && (eventTlp === undefined || tlpRank(label) > tlpRank(eventTlp))) {
        out.tlp = stricter(out.tlp, label);
        log.add(
          tagPointer,
          (n) =>
            `attribute marked TLP:${label}, ${eventTlp ? `stricter than the event's TLP:${eventTlp}` : 'the event has no TLP tag'}: ` +
            `the alert takes TLP:${label} or stricter${countSuffix(n, 'such attribute')}`,
          `attribute-tlp:${label}`,
        );
      }
    }
  }

  if (lowerType === 'comment' && field(attribute, 'comment') === TOCSIN_DESCRIPTION_COMMENT) {
    if (out.description === undefined) {
      out.description = value.trim();
      return;
    }
  }

  if (lowerType === 'link') {
    if (value.length > MISP_MAX_VALUE_LENGTH) {
      log.add(`${pointer}/value`, `is longer than ${MISP_MAX_VALUE_LENGTH} characters; not imported`);
    } else {
      out.references.add(value.trim());
    }
    return;
  }

  const extractions = MISP_TYPES.get(lowerType);
  if (!extractions) {
    log.add(
      pointer,
      (n) => `MISP type ${type} has no canonical indicator type${countSuffix(n, 'attribute')}`,
      `type:${type}`,
    );
    return;
  }
  if (value.length > MISP_MAX_VALUE_LENGTH) {
    log.add(`${pointer}/value`, `is longer than ${MISP_MAX_VALUE_LENGTH} characters; not imported`);
    return;
  }
  const first = value.indexOf('|');
  const composite = extractions.some((e) => e.part !== 'whole');
  if (composite && first < 0) {
    log.add(`${pointer}/value`, `is not a composite ${type} value ("…|…"); not imported`);
    return;
  }

  const actionable = asBoolean(field(attribute, 'to_ids'));
  const rawComment = field(attribute, 'comment');
  const comment = typeof rawComment === 'string' && rawComment.trim() !== '' ? rawComment.trim() : ref.objectComment;

  for (const e of extractions) {
    const part =
      e.part === 'whole' ? value : e.part === 'first' ? value.slice(0, first) : value.slice(value.lastIndexOf('|') + 1);
    const v = e.part === 'whole' ? part : part.trim();
    if (v.trim() === '') {
      log.add(`${pointer}/value`, `has an empty ${e.type} part; not imported`);
      continue;
    }
    out.indicators.push({
      type: e.type === 'ip' ? ipType(v.trim()) : e.type,
      value: v,
      source: pointer,
      ...(comment !== undefined ? { comment } : {}),
      ...(actionable !== undefined ? { actionable } : {}),
    });
  }
}

function readEventFields(
  event: Json,
  p: string,
  tags: readonly [string, string][],
  log: UnsupportedLog,
): { fields: Omit<ImportedAlertFields, 'tlp' | 'references'>; tlp: TlpLabel | undefined } {
  let tlp: TlpLabel | undefined;
  let classification: Classification | undefined;
  let taggedSeverity: Severity | undefined;
  for (const [name, pointer] of tags) {
    const severityTag = TOCSIN_SEVERITY_TAG.exec(name);
    if (severityTag?.[1] !== undefined) {
      taggedSeverity ??= severityTag[1].toLowerCase() as Severity;
      continue;
    }
    const label = tlpOfTag(name);
    if (label === null) {
      log.add(pointer, `TLP tag ${name} is not a TLP 2.0 level; ignored`);
    } else if (label !== undefined) {
      tlp = stricter(tlp, label);
    } else if (name.toLowerCase().startsWith('rsit:')) {
      const m = /^rsit:([a-z0-9-]+)\s*=\s*"([^"]+)"$/i.exec(name);
      if (!m?.[1] || !m[2]) {
        log.add(pointer, `tag ${name} is not an RSIT machine tag (rsit:<class>="<type>"); ignored`);
      } else if (classification === undefined) {
        classification = { taxonomy: m[1].toLowerCase(), type: m[2].trim().toLowerCase() };
      } else {
        log.add(pointer, `only one RSIT classification is kept (${classification.taxonomy}/${classification.type})`);
      }
    }
  }

  const fields: {
    title?: string;
    severity?: Severity;
    classification?: Classification;
    firstSeen?: string;
    lastSeen?: string;
  } = {};

  const info = field(event, 'info');
  if (typeof info === 'string') {
    if (info.trim() !== '') {
      fields.title = info.trim();
    }
  } else if (info !== undefined && info !== null) {
    log.add(`${p}/info`, 'must be a string; ignored');
  }

  const threat = field(event, 'threat_level_id');
  if (threat !== undefined && threat !== null) {
    const key = asText(threat)?.trim() ?? '';
    if (Object.hasOwn(THREAT_LEVELS, key)) {
      const severity = THREAT_LEVELS[key];
      if (severity) {
        fields.severity = severity;
      }
    } else {
      log.add(`${p}/threat_level_id`, 'is not a MISP threat level (1 high, 2 medium, 3 low, 4 undefined); ignored');
    }
  }

  if (taggedSeverity !== undefined) {
    // Tocsin's own tag says exactly what threat_level_id cannot (critical and high are both level 1).
    fields.severity = taggedSeverity;
  }
  if (classification) {
    fields.classification = classification;
  }

  const date = field(event, 'date');
  if (date !== undefined && date !== null) {
    const iso = typeof date === 'string' ? dateToIso(date) : null;
    if (iso) {
      fields.firstSeen = iso;
    } else {
      log.add(`${p}/date`, 'is not a date (YYYY-MM-DD); ignored');
    }
  }

  let lastSeen: string | undefined;
  for (const key of ['timestamp', 'publish_timestamp']) {
    const iso = epochToIso(field(event, key));
    if (iso === null) {
      log.add(`${p}/${key}`, 'is not a Unix timestamp in seconds; ignored');
    } else if (iso !== undefined && (lastSeen === undefined || iso > lastSeen)) {
      lastSeen = iso;
    }
  }
  if (lastSeen) {
    fields.lastSeen = lastSeen;
  }
  return { fields, tlp };
}

/**
 * Imports one MISP event (format `misp`). Refuses (Issue[] with JSON pointers into the document) what is not one
 * well-formed event; otherwise returns the alert fields, the indicators and what could not be used. Never throws.
 */
export function importMispEvent(doc: unknown): Result<ImportedAlert, Issue[]> {
  const located = locateEvent(doc);
  if (!located.ok) {
    return located;
  }
  const { event, pointer: p } = located.value;
  const fatal: Issue[] = [];

  const attributes: AttributeRef[] = listField(event, 'Attribute', p, fatal).map((attribute, i) => ({
    attribute,
    pointer: `${p}/Attribute/${i}`,
  }));
  const log = new UnsupportedLog(p);
  const objects = listField(event, 'Object', p, fatal);
  objects.forEach((object, j) => {
    const op = `${p}/Object/${j}`;
    if (!isRecord(object)) {
      fatal.push({ pointer: op, detail: 'must be a MISP object' });
      return;
    }
    const list = listField(object, 'Attribute', op, fatal);
    if (asBoolean(field(object, 'deleted')) === true) {
      log.add(op, (n) => `deleted object; not imported${countSuffix(n, 'deleted object')}`, 'deleted-object');
      return;
    }
    const rawComment = field(object, 'comment');
    const objectComment = typeof rawComment === 'string' && rawComment.trim() !== '' ? rawComment.trim() : undefined;
    list.forEach((attribute, k) => {
      attributes.push({
        attribute,
        pointer: `${op}/Attribute/${k}`,
        ...(objectComment !== undefined ? { objectComment } : {}),
      });
    });
  });
  const eventTags = listField(event, 'Tag', p, fatal);
  if (fatal.length > 0) {
    return err(fatal.slice(0, MISP_MAX_ISSUES));
  }
  if (attributes.length > MISP_MAX_ATTRIBUTES) {
    return err([
      {
        pointer: `${p}/Attribute`,
        detail: `the event holds ${attributes.length} attributes (objects included); at most ${MISP_MAX_ATTRIBUTES} are accepted`,
      },
    ]);
  }

  const { fields, tlp: eventTlp } = readEventFields(event, p, tagNames(eventTags, `${p}/Tag`, log), log);
  const collected: Collected = { indicators: [], references: new Set(), tlp: eventTlp };
  for (const ref of attributes) {
    readAttribute(ref, eventTlp, collected, log, fatal);
    if (fatal.length >= MISP_MAX_ISSUES) {
      break;
    }
  }
  if (fatal.length > 0) {
    return err(fatal.slice(0, MISP_MAX_ISSUES));
  }

  return ok({
    format: 'misp',
    fields: {
      ...fields,
      ...(collected.tlp !== undefined ? { tlp: collected.tlp } : {}),
      ...(collected.references.size > 0 ? { references: [...collected.references] } : {}),
      ...(collected.description !== undefined ? { description: collected.description } : {}),
    },
    indicators: collected.indicators,
    unsupported: log.issues(),
  });
}
