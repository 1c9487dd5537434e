import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@tocsin/domain';
import {
  ChangeUserUseCase,
  EndUserSessionsUseCase,
  InviteUserUseCase,
  ListUsersUseCase,
  ReinviteUserUseCase,
  RemoveSecondFactorUseCase,
  type InvitedUser,
} from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import type { Request } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ownOrigins } from '../auth/session-check';
import { ChangeUserDto, InviteUserDto } from './dto/users.dto';

/** The people of an organisation: its admins (or the hub's) invite, change, disable them and end their sessions. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/orgs/:id/users')
export class UsersController {
  constructor(
    private readonly inviteUser: InviteUserUseCase,
    private readonly reinviteUser: ReinviteUserUseCase,
    private readonly listUsers: ListUsersUseCase,
    private readonly changeUser: ChangeUserUseCase,
    private readonly endSessions: EndUserSessionsUseCase,
    private readonly removeSecondFactor: RemoveSecondFactorUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 201 with the user, its one-time `inviteToken` and the `inviteUrl` where the person sets a password. */
  @Post()
  async invite(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: InviteUserDto,
    @Req() req: Request,
  ) {
    return this.withUrl(await this.inviteUser.execute(actor, id, body), req);
  }

  /** A new invite for an existing user (a password reset): as POST, for that user. */
  @Post(':userId/invite')
  async reinvite(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Req() req: Request,
  ) {
    return this.withUrl(await this.reinviteUser.execute(actor, id, userId), req);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.listUsers.execute(actor, id).then((items) => ({ items }));
  }

  /** `{role?, disabled?}`. */
  @Patch(':userId')
  change(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Body() body: ChangeUserDto,
  ) {
    return this.changeUser.execute(actor, id, userId, body);
  }

  /** Disables the user (the row stays for the audit trail) and ends its sessions. */
  @Delete(':userId')
  @HttpCode(200)
  disable(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('userId') userId: string) {
    return this.changeUser.disable(actor, id, userId);
  }

  /** Removes the user's second factor and recovery codes (a lost phone); it enrols a new one at its next request. */
  @Delete(':userId/totp')
  @HttpCode(200)
  resetSecondFactor(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('userId') userId: string) {
    return this.removeSecondFactor.execute(actor, id, userId);
  }

  @Delete(':userId/sessions')
  @HttpCode(200)
  endAll(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('userId') userId: string) {
    return this.endSessions.execute(actor, id, userId);
  }

  private withUrl({ user, inviteToken, inviteExpiresAt }: InvitedUser, req: Request) {
    const base = ownOrigins(req, this.config)[0] ?? '';
    // The token goes in the fragment: browsers never send it to a server, so it reaches no access log.
    return { ...user, inviteToken, inviteExpiresAt, inviteUrl: `${base}/invite#${inviteToken}` };
  }
}
