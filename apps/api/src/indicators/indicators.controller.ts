import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { LookupIndicatorUseCase } from '@tocsin/alerts';
import type { Actor } from '@tocsin/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { paging } from '../http/paging';

@ApiTags('indicators')
@ApiBearerAuth()
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(private readonly lookup: LookupIndicatorUseCase) {}

  /**
   * Which alerts the caller may see carry this value (normalized first: defanged forms are found), newest first,
   * with the number of such alerts and first and last seen over all of them.
   */
  @Get()
  @ApiQuery({ name: 'value', required: true, description: 'the indicator, raw or defanged (198[.]51[.]100[.]7)' })
  @ApiQuery({ name: 'type', required: false, description: 'its type (ipv4, domain, url, …); inferred when absent' })
  @ApiQuery({ name: 'limit', required: false, description: '1–200, default 50' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  find(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>) {
    const { limit, cursor } = paging(query, 50, 200);
    return this.lookup.execute(actor, { value: query.value, type: query.type, limit, cursor });
  }
}
