import type { IndicatorType } from '../../alerts/indicator-types';
import type { ExportableAlert } from './export-types';
import { asNumber, exportedIndicators, isoMillis, rsitTag } from './exportable-indicators';
import { tlp2MarkingDefinition, tlp2MarkingId, type Tlp2MarkingDefinition } from './stix-tlp-markings';
import { exportObjectUuid } from './uuid-v5';

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

// RFC 3986 absolute URI with an authority (scheme://[userinfo@]reg-name[:port]path?query#fragment): what a
// STIX external reference `url` (JSON Schema format "uri") accepts. IP-literal hosts are left to `description`.
const PCT = '%[0-9A-Fa-f]{2}';
const UNRESERVED_SUB = "A-Za-z0-9\\-._~!$&'()*+,;=";
const PCHAR = `(?:[${UNRESERVED_SUB}:@]|${PCT})`;
const ABSOLUTE_URI = new RegExp(
  `^[A-Za-z][A-Za-z0-9+.-]*://(?:(?:[${UNRESERVED_SUB}:]|${PCT})*@)?(?:[${UNRESERVED_SUB}]|${PCT})*(?::\\d*)?` +
    `(?:/${PCHAR}*)*(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?$`,
);

/** 0–100 integer, or null for a missing or non-finite confidence. */
function stixConfidence(confidence: number | null): number | null {
  if (confidence === null || !Number.isFinite(confidence)) {
    return null;
  }
  return Math.min(100, Math.max(0, Math.round(confidence)));
}

/**
 * Exports an alert as a STIX 2.1 bundle:
 * - an `identity` (organization) for the sending org, `created_by_ref` of every other object;
 * - the official TLP 2.0 `marking-definition` of the alert's label, in `object_marking_refs` of every other object;
 * - one `indicator` per actionable accepted indicator (see {@link ExportableAlert} for what is left out);
 * - one `vulnerability` per CVE (name = the CVE id, external reference `cve`);
 * - a `report` (name = title, published = publishedAt or submittedAt) whose `object_refs` name them all.
 *
 * Deterministic: ids are UUIDv5 of the alert id, the object kind and its value; created/modified are
 * submittedAt; objects come in that order, indicators in input order. Exporting twice gives the same JSON.
 */
export function exportStixBundle(alert: ExportableAlert): StixBundle {
  const alertId = alert.id.toLowerCase();
  const id = (type: string, kind: string, value = ''): string => `${type}--${exportObjectUuid(alertId, kind, value)}`;
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

  const indicators: StixObject[] = [];
  const vulnerabilities: StixObject[] = [];
  for (const i of exportedIndicators(alert.indicators)) {
    if (i.type === 'cve') {
      // A CVE is context, not a detection: exported whatever its flags, in the form the `cve` reference takes.
      if (CVE_ID.test(i.value)) {
        vulnerabilities.push({
          ...head('vulnerability', id('vulnerability', 'vulnerability', i.value)),
          name: i.value,
          external_references: [{ source_name: 'cve', external_id: i.value }],
          object_marking_refs: markingRefs,
        });
      }
      continue;
    }
    const pattern = i.actionable ? stixPattern(i.type, i.value) : null;
    if (pattern === null) {
      continue;
    }
    indicators.push({
      ...head('indicator', id('indicator', `indicator:${i.type}`, i.value)),
      name: i.value,
      indicator_types: ['malicious-activity'],
      pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: isoMillis(validFrom),
      ...(validUntil === null ? {} : { valid_until: isoMillis(validUntil) }),
      ...(confidence === null ? {} : { confidence }),
      object_marking_refs: markingRefs,
    });
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
    object_refs: [identity.id, ...indicators.map((o) => o.id), ...vulnerabilities.map((o) => o.id)],
    labels,
    ...(confidence === null ? {} : { confidence }),
    external_references: [
      { source_name: 'tocsin', external_id: alertId },
      ...alert.references.map((ref) =>
        ABSOLUTE_URI.test(ref)
          ? { source_name: 'reference', url: ref }
          : { source_name: 'reference', description: ref },
      ),
    ],
    object_marking_refs: markingRefs,
  };

  return {
    type: 'bundle',
    id: id('bundle', 'bundle'),
    objects: [identity, marking, ...indicators, ...vulnerabilities, report],
  };
}
