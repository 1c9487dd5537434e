import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tocsin/domain';
import { GetConstituencyUseCase, SetConstituencyUseCase } from '@tocsin/delivery';
import { CurrentActor } from '../auth/current-actor.decorator';

/** An organisation's constituency (countries, ASNs, CIDR blocks, domains): its own admins and the hub's admins. */
@ApiTags('orgs')
@ApiBearerAuth()
@Controller('api/v1/orgs')
export class ConstituencyController {
  constructor(
    private readonly getConstituency: GetConstituencyUseCase,
    private readonly setConstituency: SetConstituencyUseCase,
  ) {}

  @Get(':id/constituency')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.getConstituency.execute(actor, id);
  }

  /** Replaces the constituency whole: `{countries?, asns?, cidrs?, domains?}`, each a list. */
  @Put(':id/constituency')
  put(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.setConstituency.execute(actor, id, body);
  }
}
