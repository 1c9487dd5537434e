import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { formatTaxiiTimestamp, STIX_MEDIA_TYPE, encodeTaxiiNext, type Actor, type TaxiiRow } from '@tocsin/domain';
import { TaxiiObjectsUseCase, type TaxiiPage } from '@tocsin/taxii';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { TaxiiRoute } from './taxii-auth.guard';
import { sendTaxiiBody, TaxiiErrorFilter } from './taxii-error.filter';
import { taxiiMediaFor } from './taxii-media';

/** The query as [name, value] pairs, in order, as sent (`match[type]` is a name, not a nested object). */
function queryPairs(req: Request): [string, string][] {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(req.originalUrl.slice(q + 1)).entries()];
}

/** `X-TAXII-Date-Added-First` and `-Last`: the date_added of the first and last object of the page. */
function pageHeaders(res: Response, rows: readonly TaxiiRow[]): void {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last) {
    res.setHeader('X-TAXII-Date-Added-First', formatTaxiiTimestamp(first.dateAdded));
    res.setHeader('X-TAXII-Date-Added-Last', formatTaxiiTimestamp(last.dateAdded));
  }
}

/** `more` always; `next` only when there is more (TAXII 2.1 §3.7); the list only when not empty. */
function envelope(page: TaxiiPage, name: 'objects' | 'versions', items: readonly unknown[]): Record<string, unknown> {
  return {
    more: page.more,
    ...(page.more && page.next !== null ? { next: encodeTaxiiNext(page.next) } : {}),
    ...(items.length > 0 ? { [name]: items } : {}),
  };
}

/**
 * Objects, an object, its versions and the manifest of a collection (TAXII 2.1 §5.3, §5.4, §5.6, §5.8). Paged
 * with `limit` (default 100, at most 1,000) and `next` or `added_after`; each answers only what the caller may see.
 */
@ApiExcludeController()
@TaxiiRoute()
@UseFilters(TaxiiErrorFilter)
@Controller('taxii2/api/collections/:collectionId')
export class TaxiiObjectsController {
  constructor(private readonly objects: TaxiiObjectsUseCase) {}

  @Get('objects')
  async list(
    @CurrentActor() actor: Actor,
    @Param('collectionId') collectionId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const mediaType = taxiiMediaFor(req, true);
    const page = await this.objects.page(actor, collectionId, 'objects', queryPairs(req));
    pageHeaders(res, page.rows);
    sendTaxiiBody(
      res,
      mediaType,
      envelope(
        page,
        'objects',
        page.rows.map((r) => r.object),
      ),
    );
  }

  @Get('manifest')
  async manifest(
    @CurrentActor() actor: Actor,
    @Param('collectionId') collectionId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const mediaType = taxiiMediaFor(req);
    const page = await this.objects.page(actor, collectionId, 'objects', queryPairs(req));
    pageHeaders(res, page.rows);
    const records = page.rows.map((r) => ({
      id: r.id,
      date_added: formatTaxiiTimestamp(r.dateAdded),
      version: versionOf(r),
      media_type: STIX_MEDIA_TYPE,
    }));
    sendTaxiiBody(res, mediaType, envelope(page, 'objects', records));
  }

  @Get('objects/:objectId')
  async one(
    @CurrentActor() actor: Actor,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const mediaType = taxiiMediaFor(req, true);
    const page = await this.objects.page(actor, collectionId, 'object', queryPairs(req), objectId);
    pageHeaders(res, page.rows);
    sendTaxiiBody(
      res,
      mediaType,
      envelope(
        page,
        'objects',
        page.rows.map((r) => r.object),
      ),
    );
  }

  @Get('objects/:objectId/versions')
  async versions(
    @CurrentActor() actor: Actor,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const mediaType = taxiiMediaFor(req);
    const page = await this.objects.page(actor, collectionId, 'versions', queryPairs(req), objectId);
    pageHeaders(res, page.rows);
    sendTaxiiBody(res, mediaType, envelope(page, 'versions', page.rows.map(versionOf)));
  }
}

/** A row's version as TAXII names it: the object's `modified`, or (an SCO, which has none) its date_added. */
function versionOf(r: TaxiiRow): string {
  return typeof r.object.modified === 'string' ? r.object.modified : formatTaxiiTimestamp(r.dateAdded);
}
