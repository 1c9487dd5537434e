import { Invalid } from '@tocsin/platform';

/** Reads `limit` (1..max, default def) and `cursor` (≤ 200 chars) from a query; a bad one is a 400. */
export function paging(
  query: Record<string, unknown>,
  def = 100,
  max = 1000,
): { limit: number; cursor: string | null } {
  const { limit, cursor } = query;
  let n = def;
  if (limit !== undefined) {
    n = typeof limit === 'string' && /^\d{1,6}$/.test(limit) ? Number(limit) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new Invalid([{ pointer: '/limit', detail: `must be an integer from 1 to ${max}` }], 'invalid-query');
    }
  }
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length > 200)) {
    throw new Invalid([{ pointer: '/cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
  }
  return { limit: n, cursor: typeof cursor === 'string' ? cursor : null };
}
