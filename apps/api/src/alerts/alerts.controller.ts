import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GetAlertUseCase, ListIndicatorsUseCase, SubmitAlertUseCase } from '@tocsin/alerts';
import type { Actor } from '@tocsin/domain';
import { CurrentActor, RequestId } from '../auth/current-actor.decorator';
import { paging } from '../http/paging';
import { SubmitAlertDto } from './dto/submit-alert.dto';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    private readonly submitAlert: SubmitAlertUseCase,
    private readonly getAlert: GetAlertUseCase,
    private readonly listIndicators: ListIndicatorsUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  submit(@CurrentActor() actor: Actor, @Body() body: SubmitAlertDto, @RequestId() requestId: string | null) {
    return this.submitAlert.execute(actor, body, requestId);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.getAlert.execute(actor, id);
  }

  @Get(':id/indicators')
  indicators(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    const { limit, cursor } = paging(query, 1000, 10_000);
    return this.listIndicators.execute(actor, id, cursor, limit);
  }
}
