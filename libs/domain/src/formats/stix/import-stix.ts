import type { IndicatorType } from '../../alerts/indicator-types';
import type { TlpLabel } from '../../alerts/tlp';
import type { ImportedAlert, ImportedAlertFields, RawIndicator } from '../../model/canonical';
import { err, ok, type Issue, type Result } from '../../shared/result';
import { hashTypeOf, patternToIndicators } from './pattern-to-indicators';
import { parseStixPattern } from './stix-pattern';
import { moreRestrictiveTlp, tlpFromWord } from '../../alerts/tlp';
import { PREDEFINED_TLP_MARKINGS } from './stix-tlp';
import { readTocsinStixProperties } from '../export/tocsin-stix-extension';

export const MAX_STIX_OBJECTS = 100_000;
export const MAX_STIX_PATTERN_LENGTH = 10_000;
export const STIX_2_0_REFUSAL = 'STIX 2.0 is not supported: send STIX 2.1 (spec_version "2.1")';
/** Fatal issues listed before the rest is summed up in one last issue. */
export const MAX_STIX_ERRORS = 100;
/** Unsupported parts listed before the rest is summed up in one last entry. */
export const MAX_STIX_UNSUPPORTED = 1_000;

/** The STIX Cyber-observable Object types of STIX 2.1 (section 6); they may omit spec_version. */
const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

const CVE_ID = /^CVE-\d{4}-\d+$/i;
const STIX_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

type JsonObject = Readonly<Record<string, unknown>>;
type StixObject = JsonObject & { readonly type: string; readonly id: string };

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 6901 escaping of one reference token. */
function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Reads a STIX 2.1 bundle into the canonical import shape. Pure: no I/O, never throws on any input.
 *
 * Refused whole (`err`, one issue per problem, JSON pointers into the document; the caller answers 400):
 * - not an object, `type` other than "bundle", `objects` not an array, more than MAX_STIX_OBJECTS objects;
 * - STIX 2.0: a bundle `spec_version` "2.0", an object with `spec_version` "2.0", an SDO/SRO/SMO without
 *   `spec_version`, or an indicator without `pattern_type`. Only the first sign is reported, and nothing is
 *   read: a 2.0 bundle is never half-imported. Any other spec_version than "2.1" is refused too;
 * - an object without a type or an id;
 * - a STIX pattern that does not parse or is longer than MAX_STIX_PATTERN_LENGTH: one bad pattern fails the
 *   whole bundle, since it is malformed input and importing the rest would silently lose a detection rule
 *   (every bad pattern is listed, with the object id and the offset).
 *
 * Read (what cannot become an indicator goes to `unsupported`, pointer + object id + why):
 * - indicators with pattern_type "stix" → `patternToIndicators` (see there: qualifiers are reported as not
 *   applied, AND / FOLLOWEDBY / NOT / other operators / other paths are reported); other pattern types
 *   (sigma, yara, snort, …) and revoked indicators are reported. `source` = `/objects/<i>/pattern`,
 *   `comment` = the indicator's name;
 * - vulnerabilities → cve indicators, from external_references with source_name "cve" or a CVE-shaped name;
 * - SCOs (ipv4/ipv6 address, domain, url, email, AS, file hashes), top-level or embedded in observed-data's
 *   deprecated `objects` → indicators with `actionable: false`; one that repeats an indicator already read
 *   from a pattern is not listed twice;
 * - TLP: every object_marking_refs / granular_markings marking_ref that names a TLP marking (predefined
 *   TLP 1.0 / 2.0 ids, or a marking-definition in the bundle with definition_type "tlp" or the TLP 2.0
 *   extension); the alert gets the most restrictive one, none leaves `fields.tlp` undefined;
 * - title: the first report, else the first grouping (what MISP exports), else the first named indicator or
 *   malware; description from that report / grouping; firstSeen = earliest of report published, indicator
 *   valid_from, observed-data first_observed; lastSeen = latest observed-data last_observed; validUntil =
 *   latest indicator valid_until; confidence = highest report / indicator confidence.
 * - severity and classification: from the report's (or grouping's) Tocsin property extension, when present (what
 *   Tocsin's own export writes; see TOCSIN_STIX_EXTENSION); a vulnerability whose Tocsin extension says
 *   `actionable: false` gives a not-actionable CVE;
 * - Identities are not read: the creator's sectors describe the sender, not the targets. Labels and
 *   indicator_types are ignored; relationships (dangling or not) are not needed and ignored.
 * Values are not validated here: normalization checks and rejects them later.
 */
export function importStixBundle(doc: unknown): Result<ImportedAlert, Issue[]> {
  if (!isJsonObject(doc)) {
    return err([{ pointer: '', detail: 'a STIX bundle must be a JSON object' }]);
  }
  const rootIssues: Issue[] = [];
  if (doc.type !== 'bundle') {
    rootIssues.push({ pointer: '/type', detail: 'type must be "bundle"' });
  }
  const objects = doc.objects;
  if (!Array.isArray(objects)) {
    rootIssues.push({ pointer: '/objects', detail: 'objects must be an array of STIX objects' });
  } else if (objects.length > MAX_STIX_OBJECTS) {
    rootIssues.push({
      pointer: '/objects',
      detail: `a bundle may hold at most ${MAX_STIX_OBJECTS} objects; this one has ${objects.length}`,
    });
  }
  if (rootIssues.length > 0 || !Array.isArray(objects)) {
    return err(rootIssues);
  }
  const entries: readonly unknown[] = objects;

  const refusal = stix20Sign(doc, entries);
  if (refusal !== null) {
    return err([refusal]);
  }
  const shapeIssues = checkShapes(doc, entries);
  if (shapeIssues.length > 0) {
    return err(capIssues(shapeIssues, MAX_STIX_ERRORS));
  }
  return readBundle(entries as readonly StixObject[]);
}

/* ---------------------------------------------------------------- refusals */

function stix20Sign(bundle: JsonObject, objects: readonly unknown[]): Issue | null {
  if (bundle.spec_version === '2.0') {
    return { pointer: '/spec_version', detail: STIX_2_0_REFUSAL };
  }
  for (const [i, object] of objects.entries()) {
    if (!isJsonObject(object) || typeof object.type !== 'string') {
      continue;
    }
    if (object.spec_version === '2.0' || (object.spec_version === undefined && !SCO_TYPES.has(object.type))) {
      return { pointer: `/objects/${i}/spec_version`, detail: STIX_2_0_REFUSAL };
    }
    if (object.type === 'indicator' && object.pattern_type === undefined) {
      return { pointer: `/objects/${i}/pattern_type`, detail: STIX_2_0_REFUSAL };
    }
  }
  return null;
}

function checkShapes(bundle: JsonObject, objects: readonly unknown[]): Issue[] {
  const issues: Issue[] = [];
  if (bundle.spec_version !== undefined && bundle.spec_version !== '2.1') {
    issues.push({ pointer: '/spec_version', detail: unsupportedVersion(bundle.spec_version) });
  }
  for (const [i, object] of objects.entries()) {
    const pointer = `/objects/${i}`;
    if (!isJsonObject(object)) {
      issues.push({ pointer, detail: 'each entry of objects must be a STIX object (a JSON object)' });
      continue;
    }
    if (typeof object.type !== 'string' || object.type === '') {
      issues.push({ pointer: `${pointer}/type`, detail: 'a STIX object needs a type' });
    }
    if (typeof object.id !== 'string' || object.id === '') {
      issues.push({ pointer: `${pointer}/id`, detail: 'a STIX object needs an id' });
    }
    if (object.spec_version !== undefined && object.spec_version !== '2.1') {
      issues.push({ pointer: `${pointer}/spec_version`, detail: unsupportedVersion(object.spec_version) });
    }
  }
  return issues;
}

function unsupportedVersion(version: unknown): string {
  return `spec_version ${JSON.stringify(version)} is not supported: send STIX 2.1 (spec_version "2.1")`;
}

function capIssues(issues: readonly Issue[], max: number): Issue[] {
  if (issues.length <= max) {
    return [...issues];
  }
  return [...issues.slice(0, max), { pointer: '', detail: `and ${issues.length - max} more like these` }];
}

/* ---------------------------------------------------------------- reading */

interface Stamp {
  readonly text: string;
  readonly time: number;
}

interface Reading {
  readonly errors: Issue[];
  readonly unsupported: Issue[];
  readonly indicators: RawIndicator[];
  readonly observations: RawIndicator[];
  tlp?: TlpLabel;
  firstSeen?: Stamp;
  lastSeen?: Stamp;
  validUntil?: Stamp;
  confidence?: number;
}

function readBundle(objects: readonly StixObject[]): Result<ImportedAlert, Issue[]> {
  const reading: Reading = { errors: [], unsupported: [], indicators: [], observations: [] };
  const markings = tlpMarkings(objects, reading);

  objects.forEach((object, i) => {
    const pointer = `/objects/${i}`;
    if (object.type !== 'marking-definition') {
      reading.tlp = moreRestrictiveTlp(reading.tlp, markedTlp(object, markings));
    }
    switch (object.type) {
      case 'indicator':
        readIndicator(object, pointer, reading);
        break;
      case 'vulnerability':
        readVulnerability(object, pointer, reading);
        break;
      case 'report':
        readConfidence(object, pointer, reading);
        trackTime(reading, 'firstSeen', object.published, `${pointer}/published`);
        break;
      case 'observed-data':
        trackTime(reading, 'firstSeen', object.first_observed, `${pointer}/first_observed`);
        trackTime(reading, 'lastSeen', object.last_observed, `${pointer}/last_observed`);
        readEmbeddedObservations(object, pointer, reading);
        break;
      default:
        if (SCO_TYPES.has(object.type)) {
          readObservation(object, object.id, pointer, reading);
        }
    }
  });

  if (reading.errors.length > 0) {
    return err(capIssues(reading.errors, MAX_STIX_ERRORS));
  }
  const fromPatterns = new Set(reading.indicators.map(indicatorKey));
  const observations = reading.observations.filter((observation) => !fromPatterns.has(indicatorKey(observation)));
  return ok({
    format: 'stix',
    fields: alertFields(objects, reading),
    indicators: [...reading.indicators, ...observations],
    unsupported: capIssues(reading.unsupported, MAX_STIX_UNSUPPORTED),
  });
}

function indicatorKey(indicator: RawIndicator): string {
  return `${indicator.type ?? ''}\u0000${indicator.value}`;
}

function alertFields(objects: readonly StixObject[], reading: Reading): ImportedAlertFields {
  const container = objects.find((o) => o.type === 'report') ?? objects.find((o) => o.type === 'grouping');
  const named = objects.find((o) => (o.type === 'indicator' || o.type === 'malware') && nonEmptyString(o.name));
  const title = nonEmptyString(container?.name) ?? nonEmptyString(named?.name);
  const description = container === undefined ? undefined : (nonEmptyString(container.description) ?? null);
  const tocsin = container === undefined ? {} : readTocsinStixProperties(container);
  return withoutUndefined<ImportedAlertFields>({
    title,
    description,
    severity: tocsin.severity,
    classification: tocsin.classification,
    tlp: reading.tlp,
    confidence: reading.confidence,
    firstSeen: reading.firstSeen?.text,
    lastSeen: reading.lastSeen?.text,
    validUntil: reading.validUntil?.text,
  });
}

/** The same object without its undefined members (so an absent field is absent, not present-and-undefined). */
function withoutUndefined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function trackTime(
  reading: Reading,
  field: 'firstSeen' | 'lastSeen' | 'validUntil',
  value: unknown,
  pointer: string,
): void {
  if (value === undefined) {
    return;
  }
  const time = typeof value === 'string' && STIX_TIMESTAMP.test(value) ? Date.parse(value) : Number.NaN;
  if (typeof value !== 'string' || Number.isNaN(time)) {
    reading.unsupported.push({ pointer, detail: `${JSON.stringify(value)} is not a STIX timestamp; ignored` });
    return;
  }
  const current = reading[field];
  const earliest = field === 'firstSeen';
  if (current === undefined || (earliest ? time < current.time : time > current.time)) {
    reading[field] = { text: value, time };
  }
}

function readConfidence(object: StixObject, pointer: string, reading: Reading): void {
  const confidence = object.confidence;
  if (confidence === undefined) {
    return;
  }
  if (typeof confidence !== 'number' || !Number.isInteger(confidence) || confidence < 0 || confidence > 100) {
    reading.unsupported.push({
      pointer: `${pointer}/confidence`,
      detail: `${object.id}: confidence must be an integer from 0 to 100; ignored`,
    });
    return;
  }
  reading.confidence = Math.max(reading.confidence ?? confidence, confidence);
}

function readIndicator(object: StixObject, pointer: string, reading: Reading): void {
  const id = object.id;
  if (object.revoked === true) {
    reading.unsupported.push({ pointer: `${pointer}/revoked`, detail: `${id}: revoked, so not imported` });
    return;
  }
  if (object.pattern_type !== 'stix') {
    reading.unsupported.push({
      pointer: `${pointer}/pattern_type`,
      detail: `${id}: pattern_type ${JSON.stringify(object.pattern_type)} is not supported; only "stix" patterns become indicators`,
    });
    return;
  }
  const patternPointer = `${pointer}/pattern`;
  const pattern = object.pattern;
  if (typeof pattern !== 'string') {
    reading.errors.push({ pointer: patternPointer, detail: `${id} has no pattern (a string is required)` });
    return;
  }
  if (pattern.length > MAX_STIX_PATTERN_LENGTH) {
    reading.errors.push({
      pointer: patternPointer,
      detail: `${id} pattern is ${pattern.length} characters long; at most ${MAX_STIX_PATTERN_LENGTH} are accepted`,
    });
    return;
  }
  const parsed = parseStixPattern(pattern);
  if (!parsed.ok) {
    reading.errors.push({
      pointer: patternPointer,
      detail: `${id} pattern: ${parsed.error.message} at offset ${parsed.error.offset}`,
    });
    return;
  }
  const extracted = patternToIndicators(parsed.value);
  const name = nonEmptyString(object.name);
  for (const indicator of extracted.indicators) {
    reading.indicators.push({
      ...indicator,
      source: patternPointer,
      ...(name === undefined ? {} : { comment: name }),
      actionable: true,
    });
  }
  for (const reason of extracted.unsupported) {
    reading.unsupported.push({ pointer: patternPointer, detail: `${id}: ${reason}` });
  }
  trackTime(reading, 'firstSeen', object.valid_from, `${pointer}/valid_from`);
  trackTime(reading, 'validUntil', object.valid_until, `${pointer}/valid_until`);
  readConfidence(object, pointer, reading);
}

function readVulnerability(object: StixObject, pointer: string, reading: Reading): void {
  // Tocsin's own exports say in their extension whether a CVE is actionable; any other vulnerability is.
  const actionable = readTocsinStixProperties(object).actionable ?? true;
  const found = new Set<string>();
  const references = Array.isArray(object.external_references) ? (object.external_references as unknown[]) : [];
  references.forEach((reference, j) => {
    if (isJsonObject(reference) && reference.source_name === 'cve' && nonEmptyString(reference.external_id)) {
      const value = reference.external_id as string;
      if (!found.has(value.toUpperCase())) {
        found.add(value.toUpperCase());
        reading.indicators.push({
          type: 'cve',
          value,
          source: `${pointer}/external_references/${j}/external_id`,
          actionable,
        });
      }
    }
  });
  if (found.size > 0) {
    return;
  }
  if (typeof object.name === 'string' && CVE_ID.test(object.name.trim())) {
    reading.indicators.push({ type: 'cve', value: object.name, source: `${pointer}/name`, actionable });
    return;
  }
  reading.unsupported.push({
    pointer,
    detail: `${object.id}: a vulnerability without a CVE id (no external reference with source_name "cve", no CVE-shaped name) is not an indicator`,
  });
}

function readEmbeddedObservations(object: StixObject, pointer: string, reading: Reading): void {
  if (!isJsonObject(object.objects)) {
    return;
  }
  for (const [key, embedded] of Object.entries(object.objects)) {
    const embeddedPointer = `${pointer}/objects/${pointerToken(key)}`;
    if (isJsonObject(embedded) && typeof embedded.type === 'string') {
      readObservation(embedded, `${object.id} object ${JSON.stringify(key)}`, embeddedPointer, reading);
    } else {
      reading.unsupported.push({ pointer: embeddedPointer, detail: `${object.id}: an observed object needs a type` });
    }
  }
}

const OBSERVATION_VALUE_TYPES: Readonly<Record<string, IndicatorType>> = {
  'ipv4-addr': 'ipv4',
  'ipv6-addr': 'ipv6',
  'domain-name': 'domain',
  url: 'url',
  'email-addr': 'email',
};

/** One SCO (a thing that was seen, not a detection rule) → indicators with actionable: false. */
function readObservation(sco: JsonObject, label: string, pointer: string, reading: Reading): void {
  const type = String(sco.type);
  const observe = (indicatorType: IndicatorType, value: string, source: string): void => {
    reading.observations.push({ type: indicatorType, value, source, actionable: false });
  };
  const valueType = OBSERVATION_VALUE_TYPES[type];
  if (valueType !== undefined) {
    if (typeof sco.value === 'string') {
      const isRange = (type === 'ipv4-addr' || type === 'ipv6-addr') && sco.value.includes('/');
      observe(isRange ? 'cidr' : valueType, sco.value, `${pointer}/value`);
    } else {
      reading.unsupported.push({ pointer: `${pointer}/value`, detail: `${label}: ${type} without a string value` });
    }
    return;
  }
  if (type === 'autonomous-system') {
    if (typeof sco.number === 'number' && Number.isInteger(sco.number) && sco.number >= 0) {
      observe('asn', `AS${sco.number}`, `${pointer}/number`);
    } else {
      reading.unsupported.push({
        pointer: `${pointer}/number`,
        detail: `${label}: autonomous-system without a number`,
      });
    }
    return;
  }
  if (type === 'file') {
    readFileHashes(sco, label, pointer, reading, observe);
    return;
  }
  reading.unsupported.push({
    pointer,
    detail: `${label}: ${type} observations are not an indicator type the hub supports`,
  });
}

function readFileHashes(
  file: JsonObject,
  label: string,
  pointer: string,
  reading: Reading,
  observe: (type: IndicatorType, value: string, source: string) => void,
): void {
  const hashes = isJsonObject(file.hashes) ? Object.entries(file.hashes) : [];
  if (hashes.length === 0) {
    reading.unsupported.push({
      pointer,
      detail: `${label}: a file observation without an MD5, SHA-1, SHA-256 or SHA-512 hash is not an indicator`,
    });
  }
  for (const [algorithm, value] of hashes) {
    const hashType = hashTypeOf(algorithm);
    const source = `${pointer}/hashes/${pointerToken(algorithm)}`;
    if (hashType !== undefined && typeof value === 'string') {
      observe(hashType, value, source);
    } else {
      reading.unsupported.push({
        pointer: source,
        detail: `${label}: hash ${JSON.stringify(algorithm)} is not supported (MD5, SHA-1, SHA-256, SHA-512 are)`,
      });
    }
  }
}

/* ---------------------------------------------------------------- TLP */

/** marking-definition id → TLP: the predefined ids, plus TLP marking-definitions shipped in the bundle. */
function tlpMarkings(objects: readonly StixObject[], reading: Reading): ReadonlyMap<string, TlpLabel> {
  const markings = new Map<string, TlpLabel>(Object.entries(PREDEFINED_TLP_MARKINGS));
  objects.forEach((object, i) => {
    if (object.type !== 'marking-definition') {
      return;
    }
    const declared = declaredTlp(object, `/objects/${i}`, reading);
    if (declared !== undefined) {
      // A bundle cannot loosen a predefined marking: the more restrictive reading wins.
      const merged = moreRestrictiveTlp(markings.get(object.id), declared);
      if (merged !== undefined) {
        markings.set(object.id, merged);
      }
    }
  });
  return markings;
}

/** The TLP a marking-definition declares: `definition_type: "tlp"` (TLP 1.0) or a `tlp_2_0` extension. */
function declaredTlp(object: StixObject, pointer: string, reading: Reading): TlpLabel | undefined {
  const words: { word: unknown; pointer: string }[] = [];
  if (object.definition_type === 'tlp' && isJsonObject(object.definition)) {
    words.push({ word: object.definition.tlp, pointer: `${pointer}/definition/tlp` });
  }
  if (isJsonObject(object.extensions)) {
    for (const [extensionId, extension] of Object.entries(object.extensions)) {
      if (isJsonObject(extension) && extension.tlp_2_0 !== undefined) {
        words.push({ word: extension.tlp_2_0, pointer: `${pointer}/extensions/${pointerToken(extensionId)}/tlp_2_0` });
      }
    }
  }
  let tlp: TlpLabel | undefined;
  for (const { word, pointer: wordPointer } of words) {
    const label = typeof word === 'string' ? tlpFromWord(word) : undefined;
    if (label === undefined) {
      reading.unsupported.push({
        pointer: wordPointer,
        detail: `${object.id}: ${JSON.stringify(word)} is not a TLP level (white, clear, green, amber, amber+strict, red)`,
      });
    }
    tlp = moreRestrictiveTlp(tlp, label);
  }
  return tlp;
}

/** The most restrictive TLP among the markings an object references (object and granular markings). */
function markedTlp(object: StixObject, markings: ReadonlyMap<string, TlpLabel>): TlpLabel | undefined {
  const refs: unknown[] = Array.isArray(object.object_marking_refs)
    ? [...(object.object_marking_refs as unknown[])]
    : [];
  if (Array.isArray(object.granular_markings)) {
    for (const granular of object.granular_markings as unknown[]) {
      if (isJsonObject(granular)) {
        refs.push(granular.marking_ref);
      }
    }
  }
  let tlp: TlpLabel | undefined;
  for (const ref of refs) {
    if (typeof ref === 'string') {
      tlp = moreRestrictiveTlp(tlp, markings.get(ref));
    }
  }
  return tlp;
}
