import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tocsin/domain';
import {
  ChangeOrgUseCase,
  CreateApiKeyUseCase,
  CreateOrgUseCase,
  ListApiKeysUseCase,
  ReadOrgsUseCase,
  RevokeApiKeyUseCase,
} from '@tocsin/orgs';
import { CurrentActor } from '../auth/current-actor.decorator';
import { paging } from '../http/paging';
import { ChangeOrgDto, CreateKeyDto, CreateOrgDto } from './dto/orgs.dto';

@ApiTags('orgs')
@ApiBearerAuth()
@Controller('api/v1/orgs')
export class OrgsController {
  constructor(
    private readonly createOrg: CreateOrgUseCase,
    private readonly readOrgs: ReadOrgsUseCase,
    private readonly createKey: CreateApiKeyUseCase,
    private readonly revokeKey: RevokeApiKeyUseCase,
    private readonly listKeys: ListApiKeysUseCase,
    private readonly changeOrg: ChangeOrgUseCase,
  ) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrgDto) {
    return this.createOrg.execute(actor, body);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>) {
    const { limit, cursor } = paging(query);
    return this.readOrgs.list(actor, limit, cursor);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.readOrgs.get(actor, id);
  }

  /**
   * Changes a member: `{trustLevel?, name?, sector?, reason}`, hub admins only, each change recorded in the audit
   * trail.
   */
  @Patch(':id')
  patch(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ChangeOrgDto) {
    return this.changeOrg.execute(actor, id, body);
  }

  @Post(':id/keys')
  issueKey(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CreateKeyDto) {
    return this.createKey.execute(actor, id, body);
  }

  @Get(':id/keys')
  keys(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.listKeys.execute(actor, id).then((items) => ({ items }));
  }

  @Delete(':id/keys/:keyId')
  @HttpCode(200)
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('keyId') keyId: string) {
    return this.revokeKey.execute(actor, id, keyId);
  }
}
