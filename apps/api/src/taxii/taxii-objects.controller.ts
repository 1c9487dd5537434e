import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { taxiiPageAnswer, type Actor, type TaxiiPage, type TaxiiPageShape } from '@tocsin/domain';
import { TaxiiObjectsUseCase } from '@tocsin/taxii';
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

/** Writes a page as the shape asks, with its X-TAXII-Date-Added headers, in the media type negotiated first. */
function answer(res: Response, mediaType: string, page: TaxiiPage, shape: TaxiiPageShape): void {
  const { headers, body } = taxiiPageAnswer(page, shape);
  for (const [name, value] of Object.entries(headers)) {
    res.setHeader(name, value);
  }
  sendTaxiiBody(res, mediaType, body);
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
    answer(res, mediaType, await this.objects.page(actor, collectionId, 'objects', queryPairs(req)), 'objects');
  }

  @Get('manifest')
  async manifest(
    @CurrentActor() actor: Actor,
    @Param('collectionId') collectionId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const mediaType = taxiiMediaFor(req);
    answer(res, mediaType, await this.objects.page(actor, collectionId, 'objects', queryPairs(req)), 'manifest');
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
    answer(
      res,
      mediaType,
      await this.objects.page(actor, collectionId, 'object', queryPairs(req), objectId),
      'objects',
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
    answer(
      res,
      mediaType,
      await this.objects.page(actor, collectionId, 'versions', queryPairs(req), objectId),
      'versions',
    );
  }
}
