import type { Classification } from '../../model/canonical';
import type { RsitVocabulary } from '../../model/taxonomies';

/** Old `classification.taxonomy` spellings IntelMQ still accepts → the RSIT class (IntelMQ data format). */
export const INTELMQ_LEGACY_TAXONOMIES: ReadonlyMap<string, string> = new Map([
  ['abusive content', 'abusive-content'],
  ['information gathering', 'information-gathering'],
  ['intrusion attempts', 'intrusion-attempts'],
  ['malicious code', 'malicious-code'],
]);

/** Old `classification.type` values IntelMQ still accepts (compared lower-case) → the current type. */
export const INTELMQ_LEGACY_TYPES: ReadonlyMap<string, string> = new Map([
  ['botnet drone', 'infected-system'],
  ['ids alert', 'ids-alert'],
  ['c&c', 'c2-server'],
  ['c2server', 'c2-server'],
  ['infected system', 'infected-system'],
  ['malware configuration', 'malware-configuration'],
  ['leak', 'data-leak'],
  ['vulnerable client', 'vulnerable-system'],
  ['vulnerable service', 'vulnerable-system'],
  ['ransomware', 'infected-system'],
  ['unknown', 'undetermined'],
  // IntelMQ spells this RSIT type the American way.
  ['unauthorized-use-of-resources', 'unauthorised-use-of-resources'],
]);

/** IntelMQ's types beyond RSIT; IntelMQ files them all under the class `other`. */
export const INTELMQ_OTHER_TYPES: readonly string[] = ['blacklist', 'dga-domain', 'malware', 'proxy', 'tor'];

/** A sender's value inside an issue: quoted, and cut at 100 characters. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

export type ClassificationReading =
  { readonly classification: Classification; readonly note?: string } | { readonly problem: string };

/**
 * An event's `classification.taxonomy` / `classification.type` → an RSIT classification. The type decides: legacy
 * names are renamed, then the class is the one the RSIT data files the type under (IntelMQ's own extra types:
 * `other`). A missing taxonomy is derived; one that disagrees with the type is replaced, with a note.
 */
export function readIntelMqClassification(
  taxonomy: string | undefined,
  type: string | undefined,
  rsit: RsitVocabulary,
): ClassificationReading | undefined {
  const rawType = type?.trim() ?? '';
  const rawTaxonomy = taxonomy?.trim() ?? '';
  if (rawType === '') {
    return rawTaxonomy === ''
      ? undefined
      : { problem: `classification.taxonomy ${shown(rawTaxonomy)} comes without classification.type; ignored` };
  }
  const lower = rawType.toLowerCase();
  const current = INTELMQ_LEGACY_TYPES.get(lower) ?? lower;
  const derived = rsit.taxonomyOf(current) ?? (INTELMQ_OTHER_TYPES.includes(current) ? 'other' : null);
  if (derived === null) {
    return { problem: `classification.type ${shown(rawType)} is not an RSIT or IntelMQ classification type; ignored` };
  }
  const classification = { taxonomy: derived, type: current };
  const given = INTELMQ_LEGACY_TAXONOMIES.get(rawTaxonomy.toLowerCase()) ?? rawTaxonomy.toLowerCase();
  return given === '' || given === derived
    ? { classification }
    : {
        classification,
        note: `classification.taxonomy ${shown(rawTaxonomy)} does not hold type "${current}": RSIT files it under "${derived}", which is kept`,
      };
}
