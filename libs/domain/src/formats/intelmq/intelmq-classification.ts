import type { Classification } from '../../model/canonical';
import type { RsitVocabulary } from '../../model/taxonomies';

/** Old `classification.taxonomy` spellings IntelMQ still accepts → the RSIT class (IntelMQ data format). */
export const INTELMQ_LEGACY_TAXONOMIES: ReadonlyMap<string, string> = new Map([
  ['abusive content', 'abusive-content'],
  ['information content security', 'information-content-security'],
  ['information gathering', 'information-gathering'],
  ['intrusion attempts', 'intrusion-attempts'],
  ['malicious code', 'malicious-code'],
]);

/**
 * Every `classification.type` IntelMQ's current harmonization allows (IntelMQ 3: the RSIT types, its spelling
 * `unauthorized-use-of-resources`, and its own types filed under `other`). Each one maps to an RSIT pair: an RSIT
 * type through the RSIT data, every other one through {@link INTELMQ_TYPE_TABLE}.
 */
export const INTELMQ_CLASSIFICATION_TYPES: readonly string[] = [
  'application-compromise',
  'blacklist',
  'brute-force',
  'burglary',
  'c2-server',
  'copyright',
  'data-leak',
  'data-loss',
  'ddos',
  'ddos-amplifier',
  'dga-domain',
  'dos',
  'exploit',
  'harmful-speech',
  'ids-alert',
  'infected-system',
  'information-disclosure',
  'malware',
  'malware-configuration',
  'malware-distribution',
  'masquerade',
  'misconfiguration',
  'other',
  'outage',
  'phishing',
  'potentially-unwanted-accessible',
  'privileged-account-compromise',
  'proxy',
  'sabotage',
  'scanner',
  'sniffing',
  'social-engineering',
  'spam',
  'system-compromise',
  'test',
  'tor',
  'unauthorised-information-access',
  'unauthorised-information-modification',
  'unauthorized-use-of-resources',
  'undetermined',
  'unprivileged-account-compromise',
  'violence',
  'vulnerable-system',
  'weak-crypto',
];

/** One row of the IntelMQ → RSIT table: the RSIT pair, and why (shown in docs/model.md). */
export interface IntelMqTypeMapping extends Classification {
  readonly why: string;
}

const row = (taxonomy: string, type: string, why: string): IntelMqTypeMapping => ({ taxonomy, type, why });
const OTHER = (why: string) => row('other', 'other', why);

/**
 * IntelMQ `classification.type` names that are not RSIT types (compared trimmed and lower-case) → the RSIT pair.
 * Covers IntelMQ's own types (all filed by IntelMQ under `other`, whose RSIT types are `other` and `undetermined`),
 * its American spelling, and the legacy names of IntelMQ 1.x/2.x that older parsers and exports still emit.
 * Documented in docs/model.md ("IntelMQ classification types"); keep the two in step.
 */
export const INTELMQ_TYPE_TABLE: ReadonlyMap<string, IntelMqTypeMapping> = new Map([
  // IntelMQ 3 types beyond RSIT (IntelMQ's class `other`)
  ['blacklist', OTHER('listed on a blocklist without a stated reason; IntelMQ files it under other')],
  ['dga-domain', OTHER('a domain from a generation algorithm; IntelMQ files it under other')],
  ['malware', OTHER('an IoC about a malware sample; IntelMQ files it under other')],
  ['proxy', OTHER('an open proxy; IntelMQ files it under other')],
  ['tor', OTHER('a Tor node; IntelMQ files it under other')],
  ['unauthorized-use-of-resources', row('fraud', 'unauthorised-use-of-resources', 'IntelMQ spells it the US way')],
  // legacy names (IntelMQ 1.x and 2.x), renamed as IntelMQ's own upgrade does
  ['botnet drone', row('malicious-code', 'infected-system', 'legacy name of infected-system')],
  ['infected system', row('malicious-code', 'infected-system', 'legacy name of infected-system')],
  ['ransomware', row('malicious-code', 'infected-system', 'legacy: a system infected by ransomware')],
  ['c&c', row('malicious-code', 'c2-server', 'legacy name of c2-server')],
  ['c2server', row('malicious-code', 'c2-server', 'legacy name of c2-server')],
  ['malware configuration', row('malicious-code', 'malware-configuration', 'legacy name of malware-configuration')],
  ['ids alert', row('intrusion-attempts', 'ids-alert', 'legacy name of ids-alert')],
  ['leak', row('information-content-security', 'data-leak', 'legacy name of data-leak')],
  ['vulnerable client', row('vulnerable', 'vulnerable-system', 'legacy name of vulnerable-system')],
  ['vulnerable service', row('vulnerable', 'vulnerable-system', 'legacy name of vulnerable-system')],
  ['unknown', row('other', 'undetermined', 'legacy name of undetermined')],
  ['dga domain', OTHER('legacy name of dga-domain')],
  [
    'defacement',
    row(
      'information-content-security',
      'unauthorised-information-modification',
      'legacy: a web page changed by an intruder',
    ),
  ],
  ['compromised', row('intrusions', 'system-compromise', 'legacy: a compromised system')],
  ['backdoor', row('intrusions', 'system-compromise', 'legacy: a system with a backdoor')],
  ['dropzone', OTHER('legacy: a server collecting stolen data; RSIT has no type for it')],
  ['information disclosure', row('vulnerable', 'information-disclosure', 'legacy name of information-disclosure')],
]);

/** A sender's value inside an issue: quoted, and cut at 100 characters. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

export type ClassificationReading =
  { readonly classification: Classification; readonly note?: string } | { readonly problem: string };

/**
 * An event's `classification.taxonomy` / `classification.type` → an RSIT classification. The type decides: an RSIT
 * type gets the class the RSIT data files it under; any other IntelMQ name goes through {@link INTELMQ_TYPE_TABLE}.
 * A missing taxonomy is derived; one that disagrees with an RSIT type is replaced, with a note. An unknown type is a
 * problem (the caller reports it and leaves the event unclassified), never a refusal.
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
  const rsitClass = rsit.taxonomyOf(lower);
  const mapped = rsitClass === null ? INTELMQ_TYPE_TABLE.get(lower) : undefined;
  const classification: Classification | undefined =
    rsitClass !== null
      ? { taxonomy: rsitClass, type: lower }
      : mapped && { taxonomy: mapped.taxonomy, type: mapped.type };
  if (classification === undefined || rsit.check(classification) !== null) {
    return {
      problem: `classification.type ${shown(rawType)} is not an RSIT or IntelMQ classification type; the event is left unclassified`,
    };
  }
  const derived = classification.taxonomy;
  const givenLower = rawTaxonomy.toLowerCase();
  const given = INTELMQ_LEGACY_TAXONOMIES.get(givenLower) ?? givenLower;
  // A name from the table carries the class IntelMQ (or its older versions) filed it under: the table decides.
  return given === '' || given === derived || mapped !== undefined
    ? { classification }
    : {
        classification,
        note: `classification.taxonomy ${shown(rawTaxonomy)} does not hold type "${lower}": RSIT files it under "${derived}", which is kept`,
      };
}
