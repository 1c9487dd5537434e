import { Body, Controller, Delete, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '@tocsin/domain';
import { Forbidden, Invalid } from '@tocsin/platform';
import {
  DeleteTaxiiObjectUseCase,
  EnvelopeSubmissionUseCase,
  GetTaxiiStatusUseCase,
  TaxiiCollectionsUseCase,
  type DeleteFilters,
} from '@tocsin/taxii';
import type { Request, Response } from 'express';
import { CurrentActor, RequestId } from '../auth/current-actor.decorator';
import { RateLimit } from '../auth/rate-limit.guard';
import { sendTaxiiBody, TaxiiErrorFilter } from './taxii-error.filter';
import { TaxiiRoute } from './taxii-auth.guard';
import { requireTaxiiContentType, taxiiMediaFor } from './taxii-media';

/** Values of a `match[...]` filter a DELETE may carry, and their length. */
const MAX_MATCH_VALUES = 20;
const MAX_MATCH_VALUE_LENGTH = 64;

/**
 * TAXII 2.1 writes (§4.3 status, §5.5 add objects, §5.7 delete an object), on the one writable collection (the
 * inbox). Thin: the collection is resolved as the read side resolves it (404 for one the caller cannot see, 403 for
 * a read-only one), then one use-case.
 */
// Not in the OpenAPI document: TAXII 2.1 is specified by OASIS (README, "TAXII 2.1"), and its errors are TAXII error
// messages, not problem documents.
@ApiExcludeController()
@TaxiiRoute()
@UseFilters(TaxiiErrorFilter)
@Controller('taxii2/api')
export class TaxiiWriteController {
  constructor(
    private readonly collections: TaxiiCollectionsUseCase,
    private readonly submitEnvelope: EnvelopeSubmissionUseCase,
    private readonly getStatus: GetTaxiiStatusUseCase,
    private readonly deleteObject: DeleteTaxiiObjectUseCase,
  ) {}

  /** Add objects: an envelope becomes one submission; 202 with the status resource to poll. */
  @Post('collections/:collectionId/objects')
  @RateLimit('submissions')
  async add(
    @CurrentActor() actor: Actor,
    @Param('collectionId') collectionId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
    @RequestId() requestId: string | null,
  ): Promise<void> {
    const media = taxiiMediaFor(req);
    await this.writable(actor, collectionId);
    requireTaxiiContentType(req);
    const status = await this.submitEnvelope.execute(actor, body, requestId);
    sendTaxiiBody(res.status(202), media, status);
  }

  /** The status of an add-objects request; only the organisation that sent it sees it. */
  @Get('status/:statusId')
  async status(
    @CurrentActor() actor: Actor,
    @Param('statusId') statusId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const media = taxiiMediaFor(req);
    sendTaxiiBody(res, media, await this.getStatus.execute(actor, statusId));
  }

  /** Delete an object the caller's organisation added: revokes the alert it went into. 200, no body. */
  @Delete('collections/:collectionId/objects/:objectId')
  async remove(
    @CurrentActor() actor: Actor,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    taxiiMediaFor(req);
    await this.writable(actor, collectionId);
    await this.deleteObject.execute(actor, objectId, deleteFilters(query));
    res.status(200).end();
  }

  /** 404 for a collection the caller cannot see (as the read side answers), 403 for one it may not write. */
  private async writable(actor: Actor, collectionId: string): Promise<void> {
    const { collection } = await this.collections.resolve(actor, collectionId);
    if (!collection.can_write) {
      throw new Forbidden('this collection is read-only: add objects to the inbox collection');
    }
  }
}

/** `match[version]` and `match[spec_version]`, as `?match[version]=a,b` (qs nests it under `match`). */
function deleteFilters(query: Record<string, unknown>): DeleteFilters {
  const match = (query.match ?? {}) as Record<string, unknown>;
  const read = (name: string): string[] | undefined => {
    const raw = match[name] ?? query[`match[${name}]`];
    if (raw === undefined) {
      return undefined;
    }
    const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [null]));
    if (
      values.length > MAX_MATCH_VALUES ||
      values.some((v) => v === null || v === '' || v.length > MAX_MATCH_VALUE_LENGTH)
    ) {
      throw new Invalid(
        [
          {
            pointer: `?match[${name}]`,
            detail: `at most ${MAX_MATCH_VALUES} comma-separated values of 1–64 characters`,
          },
        ],
        'invalid-query',
      );
    }
    return values as string[];
  };
  const version = read('version');
  const specVersion = read('spec_version');
  return { ...(version ? { version } : {}), ...(specVersion ? { specVersion } : {}) };
}
