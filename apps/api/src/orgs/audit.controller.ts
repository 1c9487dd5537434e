import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tocsin/domain';
import { ReadAuditUseCase } from '@tocsin/orgs';
import { CurrentActor } from '../auth/current-actor.decorator';
import { paging } from '../http/paging';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly readAudit: ReadAuditUseCase) {}

  /** The append-only audit trail, newest first (hub admins). `?orgId=` narrows it to one organisation. */
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>) {
    const { limit, cursor } = paging(query);
    const orgId = typeof query.orgId === 'string' ? query.orgId : null;
    return this.readAudit.execute(actor, limit, cursor, orgId);
  }
}
