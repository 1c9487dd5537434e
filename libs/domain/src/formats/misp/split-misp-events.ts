import type { Issue } from '../../shared/result';

/** One event of a body holding several: the document to import alone, and where it stands in the body. */
export interface MispEventPart {
  /** JSON pointer of the event's container in the body: `/response/3` or `/3`. */
  readonly pointer: string;
  /** The item as it stands (`{"Event": …}` or a bare event): importing it alone gives pointers relative to it. */
  readonly document: unknown;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Splits a body holding several MISP events into one part per event, or gives undefined for a body of at most one
 * event (import it as it is, unchanged). Several events: a restSearch answer `{"response": [{"Event": …}, …]}` or a
 * JSON array of events or `{"Event": …}` wrappers, with two items or more. Items are not checked here: each is
 * imported alone, so one that is not an event fails on its own with its pointer.
 */
export function splitMispEvents(doc: unknown): readonly MispEventPart[] | undefined {
  const [list, base] = Array.isArray(doc)
    ? [doc as readonly unknown[], '']
    : isRecord(doc) && Object.hasOwn(doc, 'response') && Array.isArray(doc['response'])
      ? [doc['response'] as readonly unknown[], '/response']
      : [undefined, ''];
  if (list === undefined || list.length < 2) {
    return undefined;
  }
  return list.map((document, i) => ({ pointer: `${base}/${i}`, document }));
}

/**
 * An issue found in one event imported alone, placed in the whole body: its JSON pointer gets the event's pointer
 * in front (`/Event/Attribute/2` → `/response/3/Event/Attribute/2`); an issue about a query parameter (`?title`:
 * the event has no title and the query gives none) points at the event and names the parameter in its detail.
 */
export function rebaseMispIssue(issue: Issue, eventPointer: string): Issue {
  return issue.pointer.startsWith('?')
    ? { ...issue, pointer: eventPointer, detail: `${issue.detail} (${issue.pointer})` }
    : { ...issue, pointer: `${eventPointer}${issue.pointer}` };
}
