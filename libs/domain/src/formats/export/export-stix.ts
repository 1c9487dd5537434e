import type { IndicatorType } from '../../alerts/indicator-types';
import { normalizeIndicator } from '../../indicators/normalize-indicator';
import type { ExportableAlert } from './export-types';
import { asNumber, exportedIndicators, isoMillis, rsitTag } from './exportable-indicators';
import { tlp2MarkingDefinition, tlp2MarkingId, type Tlp2MarkingDefinition } from './stix-tlp-markings';
import { exportObjectUuidV4, stixScoId } from './uuid-v5';
import { TOCSIN_STIX_EXTENSION, TOCSIN_STIX_EXTENSION_ID, TOCSIN_STIX_IDENTITY } from './tocsin-stix-extension';

/** One STIX 2.1 object of an export (identity, marking-definition, indicator, vulnerability, report). */
export type StixObject = Readonly<Record<string, unknown>> & { readonly type: string; readonly id: string };

export interface StixBundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: readonly StixObject[];
}

/** Escapes a STIX patterning string literal: backslash first, then the single quote (STIX 2.1 §9.2). */
export function escapeStixString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

const HASH_NAMES: Partial<Record<IndicatorType, string>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
};

/**
 * The STIX 2.1 pattern that detects an indicator, or null when it is not a pattern (a CVE is a vulnerability
 * object) or cannot be one (an AS number out of range). A CIDR block is an ipv4-addr/ipv6-addr value (§9.4).
 */
export function stixPattern(type: IndicatorType, value: string): string | null {
  const eq = (path: string): string => `[${path} = '${escapeStixString(value)}']`;
  switch (type) {
    case 'ipv4':
      return eq('ipv4-addr:value');
    case 'ipv6':
      return eq('ipv6-addr:value');
    case 'cidr':
      return eq(value.includes(':') ? 'ipv6-addr:value' : 'ipv4-addr:value');
    case 'domain':
      return eq('domain-name:value');
    case 'url':
      return eq('url:value');
    case 'email':
      return eq('email-addr:value');
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return eq(`file:hashes.'${HASH_NAMES[type] ?? type}'`);
    case 'asn': {
      const n = asNumber(value);
      return n === null ? null : `[autonomous-system:number = ${n}]`;
    }
    case 'cve':
      return null;
  }
}

/** A CVE id as the STIX `cve` external reference accepts it (a 5+ digit sequence has no leading zero). */
const CVE_ID = /^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/;

/** 0–100 integer, or null for a missing or non-finite confidence. */
function stixConfidence(confidence: number | null): number | null {
  if (confidence === null || !Number.isFinite(confidence)) {
    return null;
  }
  return Math.min(100, Math.max(0, Math.round(confidence)));
}

// What the official SCO schemas ask of an e-mail address (JSON Schema `format: email`, ASCII) and an IPv6 one.
const SCO_EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * The observable type and ID contributing properties of an indicator (STIX 2.1 §2.9, §6), or null when the value
 * is not in its canonical form (an SCO must be a well-formed observable) or has no SCO form (a CVE).
 */
function scoOf(type: IndicatorType, value: string): { type: string; props: Record<string, unknown> } | null {
  if (normalizeIndicator({ type, value }).canonicalValue !== value || (type === 'email' && !SCO_EMAIL.test(value))) {
    return null;
  }
  switch (type) {
    case 'ipv4':
      return { type: 'ipv4-addr', props: { value } };
    case 'ipv6':
      return { type: 'ipv6-addr', props: { value } };
    case 'cidr':
      return { type: value.includes(':') ? 'ipv6-addr' : 'ipv4-addr', props: { value } };
    case 'domain':
      return { type: 'domain-name', props: { value } };
    case 'url':
      return { type: 'url', props: { value } };
    case 'email':
      return { type: 'email-addr', props: { value } };
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return { type: 'file', props: { hashes: { [HASH_NAMES[type] ?? type]: value } } };
    case 'asn': {
      const n = asNumber(value);
      return n === null ? null : { type: 'autonomous-system', props: { number: n } };
    }
    case 'cve':
      return null;
  }
}

const TYPE_NAMES: Readonly<Record<IndicatorType, string>> = {
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  cidr: 'IP network',
  domain: 'domain name',
  url: 'URL',
  email: 'e-mail address',
  md5: 'MD5 file hash',
  sha1: 'SHA-1 file hash',
  sha256: 'SHA-256 file hash',
  sha512: 'SHA-512 file hash',
  cve: 'vulnerability',
  asn: 'autonomous system',
};

/**
 * Exports an alert as a STIX 2.1 bundle that passes the OASIS validator's strict mode:
 * - an `identity` (organization) for the sending org, `created_by_ref` of every other SDO, and the Tocsin
 *   `identity` (system) that created the Tocsin `extension-definition` ({@link TOCSIN_STIX_EXTENSION_ID});
 * - the official TLP 2.0 `marking-definition` of the alert's label, in `object_marking_refs` of every other object;
 * - one `indicator` (name and description) per actionable indicator ({@link isActionable}) with a pattern;
 * - one SCO (ipv4-addr, ipv6-addr, domain-name, url, email-addr, file, autonomous-system) per accepted indicator
 *   that is not actionable: an observation, not a detection, so a round trip keeps it and keeps it not actionable;
 * - one `vulnerability` per CVE (name = the CVE id, external reference `cve`), whose Tocsin extension says
 *   whether it is actionable;
 * - a `report` (name = title, description, published = publishedAt or submittedAt) whose `object_refs` name them
 *   all, and whose Tocsin extension carries severity, classification and the alert id (a round trip reads them).
 *
 * Ids: SDOs, meta objects and the bundle get deterministic UUIDv4-form ids (a hash of the alert id, the object
 * kind and its value, version and variant bits set); SCOs get the UUIDv5 ids STIX §2.9 defines. A reference URL
 * goes in the reference's `description`, not `url`: a `url` without `hashes` of the content fails the strict
 * validator, and Tocsin cannot hash a remote page. created/modified are submittedAt, millisecond precision.
 * Exporting twice gives the same JSON.
 */
export function exportStixBundle(alert: ExportableAlert): StixBundle {
  const alertId = alert.id.toLowerCase();
  const id = (type: string, kind: string, value = ''): string => `${type}--${exportObjectUuidV4(alertId, kind, value)}`;
  const created = isoMillis(alert.submittedAt);
  const validFrom = alert.firstSeen ?? alert.submittedAt;
  const validUntil = alert.validUntil !== null && alert.validUntil > validFrom ? alert.validUntil : null;
  const confidence = stixConfidence(alert.confidence);
  const marking: Tlp2MarkingDefinition = tlp2MarkingDefinition(alert.tlp);
  const markingRefs = [tlp2MarkingId(alert.tlp)];

  const identity: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: id('identity', 'identity', alert.sourceOrg.id.toLowerCase()),
    created,
    modified: created,
    name: alert.sourceOrg.name,
    identity_class: 'organization',
    object_marking_refs: markingRefs,
  };
  const head = (type: string, objectId: string) =>
    ({ type, spec_version: '2.1', id: objectId, created_by_ref: identity.id, created, modified: created }) as const;
  const tocsinProps = (props: Record<string, unknown>) => ({
    extensions: { [TOCSIN_STIX_EXTENSION_ID]: { extension_type: 'property-extension', ...props } },
  });

  const indicators: StixObject[] = [];
  const observables: StixObject[] = [];
  const vulnerabilities: StixObject[] = [];
  for (const i of exportedIndicators(alert.indicators)) {
    if (i.type === 'cve') {
      // A CVE is context, not a pattern: a vulnerability, its actionability in the Tocsin extension.
      if (CVE_ID.test(i.value)) {
        vulnerabilities.push({
          ...head('vulnerability', id('vulnerability', 'vulnerability', i.value)),
          name: i.value,
          external_references: [{ source_name: 'cve', external_id: i.value }],
          object_marking_refs: markingRefs,
          ...tocsinProps({ actionable: i.actionable }),
        });
      }
      continue;
    }
    const pattern = i.actionable ? stixPattern(i.type, i.value) : null;
    if (pattern !== null) {
      indicators.push({
        ...head('indicator', id('indicator', `indicator:${i.type}`, i.value)),
        name: i.value,
        description: `${TYPE_NAMES[i.type]} reported in the alert "${alert.title}"`,
        indicator_types: ['malicious-activity'],
        pattern,
        pattern_type: 'stix',
        pattern_version: '2.1',
        valid_from: isoMillis(validFrom),
        ...(validUntil === null ? {} : { valid_until: isoMillis(validUntil) }),
        ...(confidence === null ? {} : { confidence }),
        object_marking_refs: markingRefs,
      });
      continue;
    }
    const sco = scoOf(i.type, i.value);
    if (sco !== null) {
      observables.push({
        type: sco.type,
        spec_version: '2.1',
        id: stixScoId(sco.type, sco.props),
        ...sco.props,
        object_marking_refs: markingRefs,
      });
    }
  }

  const labels = [`tocsin:severity="${alert.severity}"`];
  if (alert.classification !== null) {
    labels.push(rsitTag(alert.classification));
  }
  const report: StixObject = {
    ...head('report', id('report', 'report')),
    name: alert.title,
    ...(alert.description === null ? {} : { description: alert.description }),
    report_types: ['threat-report'],
    published: isoMillis(alert.publishedAt ?? alert.submittedAt),
    object_refs: [
      identity.id,
      ...indicators.map((o) => o.id),
      ...observables.map((o) => o.id),
      ...vulnerabilities.map((o) => o.id),
    ],
    labels,
    ...(confidence === null ? {} : { confidence }),
    external_references: [
      { source_name: 'tocsin', external_id: alertId },
      ...alert.references.map((ref) => ({ source_name: 'reference', description: ref })),
    ],
    object_marking_refs: markingRefs,
    ...tocsinProps({
      alert_id: alertId,
      severity: alert.severity,
      ...(alert.classification === null
        ? {}
        : { classification: { taxonomy: alert.classification.taxonomy, type: alert.classification.type } }),
    }),
  };

  return {
    type: 'bundle',
    id: id('bundle', 'bundle'),
    objects: [
      TOCSIN_STIX_IDENTITY,
      TOCSIN_STIX_EXTENSION,
      identity,
      marking,
      ...indicators,
      ...observables,
      ...vulnerabilities,
      report,
    ],
  };
}
