import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { TaxiiCollectionsUseCase } from '@tocsin/taxii';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { TaxiiRoute } from './taxii-auth.guard';
import { sendTaxiiBody, TaxiiErrorFilter } from './taxii-error.filter';
import { taxiiMediaFor } from './taxii-media';

/** The one API root's path, under the discovery path. */
export const TAXII_API_ROOT_PATH = '/taxii2/api/';

/**
 * TAXII 2.1 discovery, the API root and collections (TAXII 2.1 §4.1, §4.2, §5.1, §5.2). Authenticated like every
 * TAXII route (Basic or Bearer, TaxiiAuthGuard); errors are TAXII error messages.
 */
@ApiExcludeController()
@TaxiiRoute()
@UseFilters(TaxiiErrorFilter)
@Controller('taxii2')
export class TaxiiController {
  constructor(
    private readonly collections: TaxiiCollectionsUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  discovery(@Req() req: Request, @Res() res: Response): void {
    const mediaType = taxiiMediaFor(req);
    const root = `${req.protocol}://${req.get('host') ?? 'localhost'}${TAXII_API_ROOT_PATH}`;
    sendTaxiiBody(res, mediaType, {
      title: 'Tocsin',
      description: 'Threat alerts shared between CERTs, served as STIX 2.1 by TAXII 2.1.',
      default: root,
      api_roots: [root],
    });
  }

  @Get('api')
  apiRoot(@Req() req: Request, @Res() res: Response): void {
    sendTaxiiBody(res, taxiiMediaFor(req), {
      title: 'Tocsin alerts',
      description: 'The alerts your organisation may see, by sharing scope and by subscription.',
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: this.config.TOCSIN_MAX_BODY_BYTES,
    });
  }

  @Get('api/collections')
  async list(@CurrentActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    const mediaType = taxiiMediaFor(req);
    sendTaxiiBody(res, mediaType, { collections: await this.collections.list(actor) });
  }

  @Get('api/collections/:collectionId')
  async get(
    @CurrentActor() actor: Actor,
    @Param('collectionId') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const mediaType = taxiiMediaFor(req);
    sendTaxiiBody(res, mediaType, (await this.collections.resolve(actor, id)).collection);
  }
}
