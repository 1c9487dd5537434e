import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tocsin/domain';
import { ReadOrgsUseCase } from '@tocsin/orgs';
import { CurrentActor } from '../auth/current-actor.decorator';

/** Who a submitter may name on a TLP:RED alert (README, "HTTP API"). */
@ApiTags('orgs')
@ApiBearerAuth()
@Controller('api/v1/recipients')
export class RecipientsController {
  constructor(private readonly readOrgs: ReadOrgsUseCase) {}

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.readOrgs.recipients(actor);
  }
}
