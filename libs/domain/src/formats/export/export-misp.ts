import type { IndicatorType } from '../../alerts/indicator-types';
import type { Severity, TlpLabel } from '../../alerts/tlp';
import type { ExportableAlert } from './export-types';
import { asNumber, exportedIndicators, rsitTag, type ExportedIndicator } from './exportable-indicators';
import { exportObjectUuid } from './uuid-v5';

export interface MispTag {
  readonly name: string;
}

export interface MispAttribute {
  readonly uuid: string;
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly distribution: string;
  readonly timestamp: string;
  readonly comment: string;
}

export interface MispEvent {
  readonly uuid: string;
  readonly info: string;
  readonly date: string;
  readonly timestamp: string;
  readonly publish_timestamp: string;
  readonly published: boolean;
  readonly threat_level_id: '1' | '2' | '3';
  readonly analysis: string;
  readonly distribution: string;
  readonly attribute_count: string;
  readonly Orgc: { readonly uuid: string; readonly name: string };
  readonly Tag: readonly MispTag[];
  readonly Attribute: readonly MispAttribute[];
}

/** A MISP event in the feed / `GET /events/view` wrapper: `{ "Event": { … } }`. */
export interface MispEventExport {
  readonly Event: MispEvent;
}

/**
 * MISP attribute type and its default category for each indicator type. The categories are PyMISP's
 * describeTypes.json `sane_defaults` (MISP/PyMISP pymisp/data/describeTypes.json) for these types only.
 */
export const MISP_ATTRIBUTE_TYPES: Readonly<
  Record<IndicatorType, { readonly type: string; readonly category: string }>
> = {
  ipv4: { type: 'ip-dst', category: 'Network activity' },
  ipv6: { type: 'ip-dst', category: 'Network activity' },
  cidr: { type: 'ip-dst', category: 'Network activity' },
  domain: { type: 'domain', category: 'Network activity' },
  url: { type: 'url', category: 'Network activity' },
  email: { type: 'email-src', category: 'Payload delivery' },
  md5: { type: 'md5', category: 'Payload delivery' },
  sha1: { type: 'sha1', category: 'Payload delivery' },
  sha256: { type: 'sha256', category: 'Payload delivery' },
  sha512: { type: 'sha512', category: 'Payload delivery' },
  cve: { type: 'vulnerability', category: 'External analysis' },
  asn: { type: 'AS', category: 'Network activity' },
};

/** describeTypes.json sane defaults of the two non-indicator attributes an event carries. */
const LINK = { type: 'link', category: 'External analysis' } as const;
const COMMENT = { type: 'comment', category: 'Other' } as const;

const THREAT_LEVEL: Readonly<Record<Severity, '1' | '2' | '3'>> = {
  critical: '1',
  high: '1',
  medium: '2',
  low: '3',
};

/** The MISP `tlp` taxonomy tag (misp-taxonomies tlp, TLP 2.0 values). */
export function mispTlpTag(tlp: TlpLabel): string {
  return `tlp:${tlp.toLowerCase()}`;
}

/** The machine tag that carries a Tocsin severity exactly (`tocsin:severity="critical"`). */
export function mispSeverityTag(severity: Severity): string {
  return `tocsin:severity="${severity}"`;
}

/** MISP distribution "0": your organisation only (see exportMispEvent). Attributes inherit it ("5"). */
export const MISP_EVENT_DISTRIBUTION = '0';
const INHERIT_EVENT = '5';
/** MISP analysis "2": completed (the alert was vetted before it was published). */
const ANALYSIS_COMPLETED = '2';

function seconds(d: Date): string {
  return String(Math.floor(d.getTime() / 1000));
}

function attributeComment(i: ExportedIndicator): string {
  const parts: string[] = [];
  if (i.warning !== null) {
    parts.push(`warning-listed (${i.warning.list}): ${i.warning.reason}`);
  }
  if (i.notActionable) {
    parts.push('not actionable: the sender marked it not for detection');
  }
  if (i.falsePositive) {
    parts.push('reported a false positive by trusted recipients');
  }
  return parts.join('; ');
}

/**
 * Exports an alert as a MISP event (`{ Event: … }`), valid against PyMISP's event schema.
 * - uuid = the alert id; info = title; date, timestamp = publishedAt or submittedAt (UTC); published = has
 *   publishedAt; threat_level_id from severity (critical/high → 1, medium → 2, low → 3); analysis 2 (completed).
 * - distribution "0" (your organisation only): Tocsin has already chosen the audience under TLP, and the TLP tag
 *   says how far a recipient may share; a recipient's MISP must not sync the event onwards on its own.
 * - Tag: the TLP tag, the severity tag (`tocsin:severity="critical"`, read back by Tocsin's MISP importer) and,
 *   when classified, the RSIT machine tag (`rsit:malicious-code="c2-server"`).
 * - Attribute: every accepted indicator (type/category from {@link MISP_ATTRIBUTE_TYPES}, value = canonical
 *   value, an AS as its number), to_ids = {@link isActionable} exactly, for a CVE too (the reason it is not, a
 *   warning list, the sender's mark or false-positive feedback, goes in `comment`); then the description as a
 *   `comment` attribute (comment "alert description", read back as the description) and each reference as a
 *   `link` attribute.
 *   Every attribute has a UUIDv5 uuid; order is input order, repeats dropped.
 */
export function exportMispEvent(alert: ExportableAlert): MispEventExport {
  const alertId = alert.id.toLowerCase();
  const issued = alert.publishedAt ?? alert.submittedAt;
  const timestamp = seconds(issued);
  const attributes: MispAttribute[] = [];
  const seen = new Set<string>();
  /** `key` seeds the uuid: the kind of attribute and the value it was made from. */
  const add = (
    key: readonly [kind: string, value: string],
    t: { readonly type: string; readonly category: string },
    value: string,
    toIds: boolean,
    comment: string,
  ): void => {
    const dedupe = `${t.type}\u0000${value}`;
    if (seen.has(dedupe)) {
      return;
    }
    seen.add(dedupe);
    attributes.push({
      uuid: exportObjectUuid(alertId, key[0], key[1]),
      type: t.type,
      category: t.category,
      value,
      to_ids: toIds,
      distribution: INHERIT_EVENT,
      timestamp,
      comment,
    });
  };

  for (const i of exportedIndicators(alert.indicators)) {
    const n = i.type === 'asn' ? asNumber(i.value) : null;
    const value = n === null ? i.value : String(n);
    // to_ids is actionable, full stop (docs/model.md): a CVE too, so a round trip never changes it.
    add([`misp-attribute:${i.type}`, i.value], MISP_ATTRIBUTE_TYPES[i.type], value, i.actionable, attributeComment(i));
  }
  if (alert.description !== null && alert.description.trim() !== '') {
    add(['misp-attribute:description', ''], COMMENT, alert.description, false, 'alert description');
  }
  for (const ref of alert.references) {
    add(['misp-attribute:reference', ref], LINK, ref, false, '');
  }

  // The severity tag keeps `critical` apart from `high` (both threat level 1) when Tocsin reads the event back.
  const tags: MispTag[] = [{ name: mispTlpTag(alert.tlp) }, { name: mispSeverityTag(alert.severity) }];
  if (alert.classification !== null) {
    tags.push({ name: rsitTag(alert.classification) });
  }

  return {
    Event: {
      uuid: alertId,
      info: alert.title,
      date: issued.toISOString().slice(0, 10),
      timestamp,
      publish_timestamp: alert.publishedAt === null ? '0' : seconds(alert.publishedAt),
      published: alert.publishedAt !== null,
      threat_level_id: THREAT_LEVEL[alert.severity],
      analysis: ANALYSIS_COMPLETED,
      distribution: MISP_EVENT_DISTRIBUTION,
      attribute_count: String(attributes.length),
      Orgc: { uuid: alert.sourceOrg.id.toLowerCase(), name: alert.sourceOrg.name },
      Tag: tags,
      Attribute: attributes,
    },
  };
}
