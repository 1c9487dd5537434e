import { Invalid } from '@tocsin/platform';
import type { SearchCursor } from './alert-search.repository';

const CURSOR =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `<submitted at, to the microsecond>_<alert id>`: names the last item of a page, which the caller saw. */
export function formatSearchCursor(c: SearchCursor): string {
  return `${c.at}_${c.id}`;
}

export function parseSearchCursor(cursor: string | null): SearchCursor | null {
  if (cursor === null) {
    return null;
  }
  const m = CURSOR.exec(cursor);
  if (!m?.[1] || !m[2] || Number.isNaN(new Date(m[1]).getTime()) || m[1].startsWith('0000')) {
    throw new Invalid([{ pointer: '?cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
  }
  return { at: m[1], id: m[2] };
}
