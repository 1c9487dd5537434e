import { SEVERITIES, type Severity } from '../alerts/tlp';
import { exportStixBundle, type StixObject } from '../formats/export/export-stix';
import type { ExportableAlert } from '../formats/export/export-types';
import { TOCSIN_STIX_IDENTITY_ID } from '../formats/export/tocsin-stix-extension';
import { isAfterPosition, type TaxiiPosition, type TaxiiQuery } from './taxii-query';
import { formatStixMillis, type Micros } from './taxii-timestamp';

/** A publish-log entry about an alert, as TAXII reads it: each one is a version of the alert's STIX objects. */
export interface AlertLogVersion {
  readonly seq: number;
  readonly event: 'alert' | 'alert-updated' | 'alert-revoked';
  /** Its `published_at` in microseconds: strictly increasing with seq, spaced so each object gets its own. */
  readonly at: Micros;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** One object version of a collection: the unit of TAXII paging, counting and filtering. */
export interface TaxiiRow {
  readonly position: TaxiiPosition;
  /** The Tocsin alert whose export holds this object. */
  readonly alertId: string;
  readonly dateAdded: Micros;
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  /** `modified`; for an object without one (an SCO), its date_added. */
  readonly version: Micros;
  readonly firstVersion: boolean;
  readonly lastVersion: boolean;
  readonly object: StixObject;
}

/** Objects every export repeats (Tocsin's identity and extension, the TLP marking definitions): not versions. */
function isSharedMeta(o: StixObject): boolean {
  return o.type === 'marking-definition' || o.type === 'extension-definition' || o.id === TOCSIN_STIX_IDENTITY_ID;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The TAXII rows of one alert: for each of its publish-log entries (all of them, in seq order), the STIX export
 * of the alert as that entry left it: `alert` as published, `alert-updated` with its revised title, description,
 * severity, validUntil and confidence, `alert-revoked` with every SDO `revoked: true`. Ids are the export's (stable for the
 * alert); every SDO of an entry gets the entry's `modified` (millisecond precision, strictly later than the
 * previous entry's and never before `created`); each object's date_added is the entry's time plus its index in
 * microseconds (the publish log leaves room for them).
 */
export function taxiiRowsOfAlert(base: ExportableAlert, entries: readonly AlertLogVersion[]): TaxiiRow[] {
  const rows: TaxiiRow[] = [];
  let state: ExportableAlert = base;
  let revoked = false;
  let previous = BigInt(base.submittedAt.getTime()) * 1000n - 1000n;
  for (const [k, e] of entries.entries()) {
    if (e.event === 'alert-revoked') {
      revoked = true;
    } else {
      const p = e.payload;
      const severity = SEVERITIES.includes(p.severity as Severity) ? (p.severity as Severity) : state.severity;
      const validUntil = text(p.validUntil);
      state = {
        ...state,
        title: text(p.title) ?? state.title,
        description: 'description' in p ? text(p.description) : state.description,
        severity,
        validUntil: 'validUntil' in p ? (validUntil === null ? null : new Date(validUntil)) : state.validUntil,
        confidence: 'confidence' in p ? (typeof p.confidence === 'number' ? p.confidence : null) : state.confidence,
      };
    }
    // Milliseconds (STIX timestamps), strictly increasing per alert: two entries in one millisecond stay two versions.
    const atMs = (e.at / 1000n) * 1000n;
    const modified = atMs > previous ? atMs : previous + 1000n;
    previous = modified;
    const objects = exportStixBundle(state).objects.filter((o) => !isSharedMeta(o));
    for (const [index, o] of objects.entries()) {
      const versioned = typeof o.modified === 'string';
      const dateAdded = e.at + BigInt(index);
      const object: StixObject = versioned
        ? { ...o, modified: formatStixMillis(modified), ...(revoked ? { revoked: true } : {}) }
        : o;
      rows.push({
        position: { seq: e.seq, index },
        alertId: base.id,
        dateAdded,
        id: o.id,
        type: o.type,
        specVersion: typeof o.spec_version === 'string' ? o.spec_version : '2.1',
        version: versioned ? modified : dateAdded,
        firstVersion: k === 0,
        lastVersion: k === entries.length - 1,
        object,
      });
    }
  }
  return rows;
}

/**
 * Does a row pass a query (TAXII 2.1 §3.5): after `next` and `added_after`, and every `match[...]` given (values
 * of one filter OR'ed, filters AND'ed). `match[version]` defaults to `last`.
 */
export function taxiiRowMatches(r: TaxiiRow, q: TaxiiQuery): boolean {
  if (q.next !== null && !isAfterPosition(r.position, q.next)) {
    return false;
  }
  if (q.addedAfter !== null && r.dateAdded <= q.addedAfter) {
    return false;
  }
  if ((q.ids && !q.ids.has(r.id)) || (q.types && !q.types.has(r.type))) {
    return false;
  }
  if (q.specVersions && !q.specVersions.has(r.specVersion)) {
    return false;
  }
  const v = q.versions;
  return v.all || (v.first && r.firstVersion) || (v.last && r.lastVersion) || v.exact.has(r.version);
}
