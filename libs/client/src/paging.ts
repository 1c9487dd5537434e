import type { Page } from './types';

/**
 * Every item of a paged list, page after page, following `nextCursor` until it is `null`. Pages are fetched one at
 * a time, only as the caller iterates (stop early and nothing more is asked).
 */
export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    if (page.nextCursor === null || page.items.length === 0) {
      return;
    }
    if (page.nextCursor === cursor) {
      throw new Error('the hub answered the cursor it was given as the next one: stopping rather than looping');
    }
    cursor = page.nextCursor;
  }
}

/** A page size within the route's bounds. */
export function boundedLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) {
    return fallback;
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer (got ${String(limit)})`);
  }
  return Math.min(limit, max);
}
