import {
  isTaxiiContentType,
  negotiateTaxiiMedia,
  STIX_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
  type TaxiiMediaChoice,
} from '@tocsin/domain';
import { NotAcceptable, UnsupportedMediaType } from '@tocsin/platform';
import type { Request } from 'express';

/**
 * The media type to answer a TAXII request with, or 406 (TAXII 2.1 §1.6.8). `stixAllowed`: the answer is STIX
 * content (objects, object by id, versions? no: only objects), so `application/stix+json;version=2.1` is also fine.
 */
export function taxiiMediaFor(req: Request, stixAllowed = false): string {
  const choice: TaxiiMediaChoice | null = negotiateTaxiiMedia(req.headers.accept, stixAllowed);
  if (choice === null) {
    throw new NotAcceptable(
      `send Accept: ${TAXII_MEDIA_TYPE}${stixAllowed ? ` or ${STIX_MEDIA_TYPE}` : ''} (this server speaks TAXII 2.1)`,
    );
  }
  return choice === 'stix' ? STIX_MEDIA_TYPE : TAXII_MEDIA_TYPE;
}

/** 415 unless the request body is a TAXII envelope's media type (TAXII 2.1 §5.5: POST objects). */
export function requireTaxiiContentType(req: Request): void {
  if (!isTaxiiContentType(req.headers['content-type'])) {
    throw new UnsupportedMediaType(
      `send the envelope as Content-Type: ${TAXII_MEDIA_TYPE} (got ${req.headers['content-type'] === undefined ? 'none' : 'another type'})`,
    );
  }
}
