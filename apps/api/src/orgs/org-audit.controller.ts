import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tocsin/domain';
import { ReadAuditUseCase } from '@tocsin/orgs';
import { CurrentActor } from '../auth/current-actor.decorator';
import { paging } from '../http/paging';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/orgs/:id/audit')
export class OrgAuditController {
  constructor(private readonly readAudit: ReadAuditUseCase) {}

  /** One organisation's audit trail, newest first (its admins, hub admins): users, sign-ins, trust changes. */
  @Get()
  list(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    const { limit, cursor } = paging(query);
    return this.readAudit.forOrg(actor, id, limit, cursor);
  }
}
