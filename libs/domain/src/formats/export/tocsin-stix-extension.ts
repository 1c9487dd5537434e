import { SEVERITIES, type Severity } from '../../alerts/tlp';
import type { Classification } from '../../model/canonical';

/**
 * Tocsin's STIX 2.1 property extension (§7.3): what a STIX object cannot say in its own properties and a round
 * trip must keep. The validator's strict mode refuses custom `x_` properties; an extension-definition object in the
 * bundle, named in an object's `extensions`, is the specification's way. Ids are fixed random UUIDv4s: never change
 * them, recipients key on them.
 */
export const TOCSIN_STIX_EXTENSION_ID = 'extension-definition--dcab2f2e-69ea-438a-948c-de2de33bb3d8';
export const TOCSIN_STIX_IDENTITY_ID = 'identity--35c94bbe-9340-4cd1-b497-7376cc070b42';

const DEFINED = '2026-01-01T00:00:00.000Z';

/** The identity that defines the extension (the Tocsin software, not any member). */
export const TOCSIN_STIX_IDENTITY = {
  type: 'identity',
  spec_version: '2.1',
  id: TOCSIN_STIX_IDENTITY_ID,
  created: DEFINED,
  modified: DEFINED,
  name: 'Tocsin',
  description: 'The Tocsin threat-alert sharing hub, which defines the Tocsin alert property extension.',
  identity_class: 'system',
} as const;

export const TOCSIN_STIX_EXTENSION = {
  type: 'extension-definition',
  spec_version: '2.1',
  id: TOCSIN_STIX_EXTENSION_ID,
  created_by_ref: TOCSIN_STIX_IDENTITY_ID,
  created: DEFINED,
  modified: DEFINED,
  name: 'Tocsin alert properties',
  description: 'Alert and indicator properties of a Tocsin alert that STIX objects do not carry.',
  schema:
    'On a report: alert_id (the Tocsin alert UUID), severity (low, medium, high or critical), classification ' +
    '({taxonomy, type}, an RSIT class and type). On a vulnerability: actionable (boolean, whether recipients may ' +
    'act on it).',
  version: '1.0.0',
  extension_types: ['property-extension'],
} as const;

/** What a Tocsin extension on an object says, each part only when well-formed. */
export interface TocsinStixProperties {
  readonly severity?: Severity;
  readonly classification?: Classification;
  readonly actionable?: boolean;
}

/** Reads the Tocsin extension of a STIX object (anything else, or a malformed part, gives nothing). */
export function readTocsinStixProperties(object: Readonly<Record<string, unknown>>): TocsinStixProperties {
  const extensions = object.extensions;
  if (extensions === null || typeof extensions !== 'object' || Array.isArray(extensions)) {
    return {};
  }
  const ext = (extensions as Record<string, unknown>)[TOCSIN_STIX_EXTENSION_ID];
  if (ext === null || typeof ext !== 'object' || Array.isArray(ext)) {
    return {};
  }
  const e = ext as Record<string, unknown>;
  const out: { severity?: Severity; classification?: Classification; actionable?: boolean } = {};
  if (typeof e.severity === 'string' && (SEVERITIES as readonly string[]).includes(e.severity)) {
    out.severity = e.severity as Severity;
  }
  const c = e.classification;
  if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
    const { taxonomy, type } = c as Record<string, unknown>;
    if (typeof taxonomy === 'string' && typeof type === 'string' && taxonomy !== '' && type !== '') {
      out.classification = { taxonomy, type };
    }
  }
  if (typeof e.actionable === 'boolean') {
    out.actionable = e.actionable;
  }
  return out;
}
