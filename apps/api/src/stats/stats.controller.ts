import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GetAlertStatsUseCase } from '@tocsin/alerts';
import type { Actor } from '@tocsin/domain';
import { CurrentActor } from '../auth/current-actor.decorator';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('api/v1/stats')
export class StatsController {
  constructor(private readonly stats: GetAlertStatsUseCase) {}

  /**
   * The dashboard's figures over the last 24 hours, counted only over the published alerts the caller may see
   * (the rule of `GET /api/v1/alerts`): per hour and severity, top classifications, source countries (anonymous
   * alerts as `anonymous`), the review queue's length for a vetter, and who is connected (see README, "Dashboard").
   */
  @Get()
  get(@CurrentActor() actor: Actor) {
    return this.stats.execute(actor);
  }
}
