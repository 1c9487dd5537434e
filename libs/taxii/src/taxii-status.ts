import {
  err,
  importDocument,
  ok,
  type AlertStatus,
  type Issue,
  type Result,
  type RsitVocabulary,
  type SubmissionLimits,
} from '@tocsin/domain';

/*
 * The pure rules of TAXII 2.1 "add objects" (OASIS TAXII 2.1, sections 4.3 and 5.5): reading an envelope, deciding
 * which of its objects the STIX importer refuses and why, and the status resource a client polls. No I/O.
 */

/** Objects one envelope may hold (every input is bounded); more is a 413. */
export const MAX_ENVELOPE_OBJECTS = 10_000;
/** Status resources are kept this long after their request, then deleted as new ones are stored. */
export const TAXII_STATUS_TTL_DAYS = 7;
/** A status-details message is cut to this many characters. */
export const MAX_STATUS_MESSAGE = 1_000;

const STIX_ID =
  /^([a-z0-9][a-z0-9-]{0,249})--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const STIX_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** One object of an envelope, with what its status reports: its id and version. */
export interface EnvelopeObject {
  readonly id: string;
  readonly version: string;
  readonly value: Readonly<Record<string, unknown>>;
}

/** Why a whole envelope is refused: 422 (not an envelope, an object without a STIX id) or 413 (too many objects). */
export interface EnvelopeRefusal {
  readonly status: 413 | 422;
  readonly pointer: string;
  readonly detail: string;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The version TAXII reports for an object: its `modified`, else its `created`, else the request's timestamp (an
 * object with neither, such as an SCO, is versioned by when it was added).
 */
export function objectVersion(value: Readonly<Record<string, unknown>>, requestTimestamp: string): string {
  for (const key of ['modified', 'created'] as const) {
    const v = value[key];
    if (typeof v === 'string' && STIX_TIMESTAMP.test(v)) {
      return v;
    }
  }
  return requestTimestamp;
}

/**
 * Reads a TAXII 2.1 envelope (`{objects: [...], more?, next?}`). Each object needs a STIX id (`<type>--<uuid>`)
 * whose prefix is its `type`: the status reports objects by id, so one without cannot be accepted or refused alone,
 * and the whole envelope is refused (422) naming it. What each object says otherwise is the importer's to judge.
 */
export function readEnvelope(
  body: unknown,
  requestTimestamp: string,
  max = MAX_ENVELOPE_OBJECTS,
): Result<EnvelopeObject[], EnvelopeRefusal> {
  if (!isObject(body)) {
    return err({ status: 422, pointer: '', detail: 'a TAXII envelope must be a JSON object with "objects"' });
  }
  const objects = body.objects;
  if (!Array.isArray(objects) || objects.length === 0) {
    return err({ status: 422, pointer: '/objects', detail: 'objects must be a non-empty array of STIX objects' });
  }
  if (objects.length > max) {
    return err({
      status: 413,
      pointer: '/objects',
      detail: `an envelope may hold at most ${max} objects; this one has ${objects.length}`,
    });
  }
  const read: EnvelopeObject[] = [];
  for (const [i, value] of (objects as readonly unknown[]).entries()) {
    if (!isObject(value)) {
      return err({ status: 422, pointer: `/objects/${i}`, detail: 'each entry of objects must be a STIX object' });
    }
    const id = value.id;
    const match = typeof id === 'string' ? STIX_ID.exec(id) : null;
    if (typeof id !== 'string' || !match) {
      return err({ status: 422, pointer: `/objects/${i}/id`, detail: 'a STIX object needs an id "<type>--<uuid>"' });
    }
    if (value.type !== match[1]) {
      return err({
        status: 422,
        pointer: `/objects/${i}/type`,
        detail: `type must be the prefix of the object's id (${match[1]})`,
      });
    }
    read.push({ id, version: objectVersion(value, requestTimestamp), value });
  }
  return ok(read);
}

/** `/objects/<i>/rest` → i and `/rest`; null for a pointer outside the objects. */
export function objectOfPointer(pointer: string): { index: number; rest: string } | null {
  const m = /^\/objects\/(\d+)(\/.*)?$/.exec(pointer);
  return m?.[1] === undefined ? null : { index: Number(m[1]), rest: m[2] ?? '' };
}

/** Issues as one status-details message: `where: why; …`, the first few and how many more, bounded. */
export function issuesMessage(issues: readonly Issue[], pointerOf: (i: Issue) => string = (i) => i.pointer): string {
  const shown = issues.slice(0, 5).map((i) => {
    const where = pointerOf(i);
    return where === '' ? i.detail : `${where}: ${i.detail}`;
  });
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return clip(shown.join('; ') + more);
}

function clip(message: string): string {
  return message.length <= MAX_STATUS_MESSAGE ? message : `${message.slice(0, MAX_STATUS_MESSAGE - 1)}…`;
}

/**
 * The importer's verdict on one object alone (as a one-object STIX 2.1 bundle): null when it reads, else why not,
 * with pointers inside the object (`/pattern: … at offset 7`). Refusals of the STIX importer are all about one
 * object (its shape, its version, its pattern, text PostgreSQL cannot store), so reading each alone refuses exactly
 * the objects that would refuse the whole bundle, and nothing else.
 */
export function refusalOf(object: EnvelopeObject, limits: SubmissionLimits, rsit: RsitVocabulary): string | null {
  const bundle = { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects: [object.value] };
  const read = importDocument('stix', { kind: 'json', value: bundle }, limits, rsit);
  if (read.ok) {
    return null;
  }
  return issuesMessage(read.error, (i) => {
    const at = objectOfPointer(i.pointer);
    return at ? at.rest : i.pointer.replace(/^\/objects$/, '');
  });
}

/**
 * Each object's refusal (null: it reads). The importer refuses only for what one object holds, so a bundle of them
 * all that reads means none is refused: that common case costs one import; otherwise each is read alone.
 */
export function screenObjects(
  objects: readonly EnvelopeObject[],
  limits: SubmissionLimits,
  rsit: RsitVocabulary,
): (string | null)[] {
  const bundle = {
    type: 'bundle',
    id: 'bundle--00000000-0000-4000-8000-000000000000',
    objects: objects.map((o) => o.value),
  };
  if (importDocument('stix', { kind: 'json', value: bundle }, limits, rsit).ok) {
    return objects.map(() => null);
  }
  return objects.map((o) => refusalOf(o, limits, rsit));
}

/** What each accepted object's part in `unsupported` was (pointers into the bundle of the accepted objects). */
export function notesByObject(unsupported: readonly Issue[], accepted: number): Map<number, string> {
  const byObject = new Map<number, Issue[]>();
  for (const issue of unsupported) {
    const at = objectOfPointer(issue.pointer);
    if (at && at.index < accepted) {
      byObject.set(at.index, [...(byObject.get(at.index) ?? []), { ...issue, pointer: at.rest }]);
    }
  }
  return new Map([...byObject].map(([i, issues]) => [i, `added; not used: ${issuesMessage(issues)}`]));
}

/** One object as stored with its status. */
export interface StatusObject {
  readonly id: string;
  readonly version: string;
  readonly refusal?: string;
  readonly note?: string;
}

/** A stored status and the state of the alert its accepted objects became (null: none, or no longer there). */
export interface StatusRecord {
  readonly id: string;
  readonly requestTimestamp: Date;
  readonly objects: readonly StatusObject[];
  readonly alert: { readonly status: AlertStatus; readonly statusReason: string | null } | null;
}

export interface StatusDetails {
  readonly id: string;
  readonly version: string;
  readonly message?: string;
}

/** The TAXII 2.1 status resource (section 4.3.1). */
export interface TaxiiStatusResource {
  readonly id: string;
  readonly status: 'pending' | 'complete';
  readonly request_timestamp: string;
  readonly total_count: number;
  readonly success_count: number;
  readonly successes: StatusDetails[];
  readonly failure_count: number;
  readonly failures: StatusDetails[];
  readonly pending_count: number;
  readonly pendings: StatusDetails[];
}

type Outcome = { readonly kind: 'success' | 'failure' | 'pending'; readonly message?: string };

/**
 * What the alert's stage means for the objects that went into it: pending while it is queued or being normalized
 * and vetted; a success once published, held for review (the hub accepted it; a reviewer decides who sees it) or
 * since revoked by its sender; a failure if a reviewer rejected it.
 */
export function outcomeOfAlert(alert: StatusRecord['alert']): Outcome {
  if (alert === null) {
    return { kind: 'failure', message: 'the alert these objects became no longer exists' };
  }
  switch (alert.status) {
    case 'queued':
    case 'normalized':
      return { kind: 'pending' };
    case 'published':
      return { kind: 'success' };
    case 'pending_review':
      return { kind: 'success', message: 'held for review before it is shared' };
    case 'revoked':
      return { kind: 'success', message: 'added; the alert has since been revoked' };
    case 'rejected':
      // The store words the reason itself (`rejected in review: <the reviewer's reason>`).
      return { kind: 'failure', message: clip(alert.statusReason ?? 'rejected in review') };
  }
}

function joinMessages(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p !== '');
  return present.length === 0 ? undefined : clip(present.join('; '));
}

/** The status resource of a stored request, as the alert now stands: counts always add up to total_count. */
export function statusResource(record: StatusRecord): TaxiiStatusResource {
  const successes: StatusDetails[] = [];
  const failures: StatusDetails[] = [];
  const pendings: StatusDetails[] = [];
  const accepted = record.objects.some((o) => o.refusal === undefined) ? outcomeOfAlert(record.alert) : null;
  for (const o of record.objects) {
    const base = { id: o.id, version: o.version };
    if (o.refusal !== undefined || accepted === null) {
      failures.push({ ...base, message: o.refusal ?? 'not added' });
      continue;
    }
    const message =
      accepted.kind === 'pending'
        ? undefined
        : joinMessages(accepted.message, accepted.kind === 'success' ? o.note : undefined);
    const details = message === undefined ? base : { ...base, message };
    (accepted.kind === 'success' ? successes : accepted.kind === 'failure' ? failures : pendings).push(details);
  }
  return {
    id: record.id,
    status: pendings.length > 0 ? 'pending' : 'complete',
    request_timestamp: record.requestTimestamp.toISOString(),
    total_count: record.objects.length,
    success_count: successes.length,
    successes,
    failure_count: failures.length,
    failures,
    pending_count: pendings.length,
    pendings,
  };
}
