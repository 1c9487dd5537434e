import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CoordinatedAlertsUseCase } from '@tocsin/coordination';
import type { Actor } from '@tocsin/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { paging } from '../http/paging';

export class CloseCoordinatedAlertDto {
  @ApiProperty({ description: 'why: required', maxLength: 1000 }) reason!: string;
}

@ApiTags('coordinated-alerts')
@ApiBearerAuth()
@Controller('api/v1/coordinated-alerts')
export class CoordinatedAlertsController {
  constructor(private readonly coordinated: CoordinatedAlertsUseCase) {}

  /**
   * The coordinated alerts the caller may see, each as its own view (built only from reports it may see alone),
   * newest first. `?status=active|closed`, `?limit=` (1–200, default 50), `?cursor=` from `nextCursor`.
   */
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>) {
    const { limit, cursor } = paging(query, 50, 200);
    const status = query.status === undefined ? null : typeof query.status === 'string' ? query.status : '';
    return this.coordinated.list(actor, { status, limit, cursor });
  }

  /** One coordinated alert as the caller sees it; 404 when it may not see it (as when it does not exist). */
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.coordinated.get(actor, id);
  }

  /** Closes it (`{reason}`): the hub's admins and reviewers; recipients get `coordinated-alert-updated`. */
  @Post(':id/close')
  @HttpCode(200)
  close(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CloseCoordinatedAlertDto) {
    return this.coordinated.close(actor, id, body);
  }
}
