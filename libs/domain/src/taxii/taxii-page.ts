import { STIX_MEDIA_TYPE } from './media-type';
import { encodeTaxiiNext, type TaxiiPosition } from './taxii-query';
import type { TaxiiRow } from './taxii-rows';
import { formatTaxiiTimestamp } from './taxii-timestamp';

/** One page of a collection's rows, as the objects use-case reads it. */
export interface TaxiiPage {
  readonly rows: readonly TaxiiRow[];
  readonly more: boolean;
  /** Where the next page starts (only when `more`). */
  readonly next: TaxiiPosition | null;
}

/** What a page is answered as: the objects (an envelope), their manifest, or their versions. */
export type TaxiiPageShape = 'objects' | 'manifest' | 'versions';

/** A row's version as TAXII names it: the object's `modified`, or (an SCO, which has none) its date_added. */
export function taxiiVersionOf(r: TaxiiRow): string {
  return typeof r.object.modified === 'string' ? r.object.modified : formatTaxiiTimestamp(r.dateAdded);
}

/**
 * The headers and body of a page (TAXII 2.1 §3.7, §5.3–§5.8): `X-TAXII-Date-Added-First` and `-Last` from the
 * page's first and last rows; `more` always, `next` only when there is more, the list only when not empty.
 */
export function taxiiPageAnswer(
  page: TaxiiPage,
  shape: TaxiiPageShape,
): { headers: Record<string, string>; body: Record<string, unknown> } {
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];
  const headers: Record<string, string> =
    first && last
      ? {
          'X-TAXII-Date-Added-First': formatTaxiiTimestamp(first.dateAdded),
          'X-TAXII-Date-Added-Last': formatTaxiiTimestamp(last.dateAdded),
        }
      : {};
  const items: unknown[] =
    shape === 'objects'
      ? page.rows.map((r) => r.object)
      : shape === 'versions'
        ? page.rows.map(taxiiVersionOf)
        : page.rows.map((r) => ({
            id: r.id,
            date_added: formatTaxiiTimestamp(r.dateAdded),
            version: taxiiVersionOf(r),
            media_type: STIX_MEDIA_TYPE,
          }));
  const name = shape === 'versions' ? 'versions' : 'objects';
  return {
    headers,
    body: {
      more: page.more,
      ...(page.more && page.next !== null ? { next: encodeTaxiiNext(page.next) } : {}),
      ...(items.length > 0 ? { [name]: items } : {}),
    },
  };
}
