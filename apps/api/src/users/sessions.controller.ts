import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { AcceptInviteUseCase, EnrolTotpUseCase, SignInUseCase, SignOutUseCase, type SessionAuth } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Invalid, Public, Unauthorized } from '@tocsin/platform';
import type { Request, Response } from 'express';
import {
  EnrolmentAllowed,
  SESSION_COOKIE,
  refuseForeignOrigin,
  secureCookie,
  type SessionRequest,
} from '../auth/session-check';
import { SignInLimit } from '../auth/sign-in-limit';
import { AcceptInviteDto, ConfirmTotpDto, SignInDto, StartTotpDto } from './dto/users.dto';

function sessionOf(req: SessionRequest): SessionAuth {
  if (!req.userSession) {
    throw new Unauthorized('a session is required (sign in with POST /api/v1/session)');
  }
  return req.userSession;
}

/** People sign in and out, and set up their second factor; invites are used here. */
@ApiTags('sessions')
@ApiCookieAuth(SESSION_COOKIE)
@Controller('api/v1')
export class SessionsController {
  constructor(
    private readonly acceptInvite: AcceptInviteUseCase,
    private readonly signIn: SignInUseCase,
    private readonly signOut: SignOutUseCase,
    private readonly enrolTotp: EnrolTotpUseCase,
    private readonly limit: SignInLimit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sets the invited user's password, once (404 for an unknown, used or expired invite). */
  @Public()
  @Post('invites/:token')
  @HttpCode(200)
  accept(@Param('token') token: string, @Body() body: AcceptInviteDto, @Req() req: Request) {
    refuseForeignOrigin(req, this.config);
    return this.acceptInvite.execute(token, body);
  }

  /** Signs in: sets the session cookie; answers who and the CSRF token (as GET does). Failures are limited (SignInLimit). */
  @Public()
  @Post('session')
  async open(@Body() body: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    refuseForeignOrigin(req, this.config);
    const s = await this.limit.guard(body, req.ip ?? 'unknown', res, () => this.signIn.execute(body));
    res.cookie(SESSION_COOKIE, s.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookie(req, this.config),
      path: '/',
      expires: s.expiresAt,
    });
    return {
      user: s.user,
      csrfToken: s.csrfToken,
      enrolmentOnly: s.enrolmentOnly,
      secondFactor: s.secondFactor,
      expiresAt: s.expiresAt,
    };
  }

  @Get('session')
  @EnrolmentAllowed()
  whoAmI(@Req() req: SessionRequest) {
    const s = sessionOf(req);
    return { user: s.user, csrfToken: s.csrfToken, enrolmentOnly: s.enrolmentOnly, secondFactor: s.secondFactor };
  }

  @Delete('session')
  @EnrolmentAllowed()
  @HttpCode(204)
  async close(@Req() req: SessionRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.signOut.execute(sessionOf(req));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** Signs out everywhere: every session of the user ends, this one included. */
  @Delete('sessions')
  @EnrolmentAllowed()
  @HttpCode(200)
  async closeAll(@Req() req: SessionRequest, @Res({ passthrough: true }) res: Response) {
    const r = await this.signOut.everywhere(sessionOf(req));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    return r;
  }

  @Post('session/totp')
  @EnrolmentAllowed()
  @HttpCode(200)
  async startTotp(@Req() req: SessionRequest, @Body() body: StartTotpDto, @Res({ passthrough: true }) res: Response) {
    const session = sessionOf(req);
    // A replacement's wrong code counts as a failed sign-in of the account: a stolen session cannot try codes at will.
    return this.limit.guardAccount(
      session.user.email,
      req.ip ?? 'unknown',
      res,
      () => this.enrolTotp.start(session, body),
      (e) => e instanceof Invalid,
    );
  }

  @Post('session/totp/confirm')
  @EnrolmentAllowed()
  @HttpCode(200)
  confirmTotp(@Req() req: SessionRequest, @Body() body: ConfirmTotpDto) {
    return this.enrolTotp.confirm(sessionOf(req), body);
  }
}
