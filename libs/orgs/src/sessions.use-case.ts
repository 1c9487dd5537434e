import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  checkNewPassword,
  generateRecoveryCodes,
  generateSecretToken,
  hashSecretToken,
  isSecretTokenShape,
  normalizeRecoveryCode,
  parseAcceptInvite,
  parseConfirmTotp,
  parseStartTotp,
  parseSignIn,
  secondFactorRequired,
  sessionExpiry,
  sessionLive,
  type Actor,
  type Role,
  type SessionPolicy,
  type SignIn,
} from '@tocsin/domain';
import { Db, type Tx } from '@tocsin/db';
import {
  APP_CONFIG,
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  SocketBroadcaster,
  Unauthorized,
  type AppConfig,
} from '@tocsin/platform';
import { AuditRepository } from './audit.repository';
import { CommonPasswords, PasswordHasher } from './password-hasher';
import { SessionRepository } from './session.repository';
import { TotpAuthenticator } from './totp';
import { UserRepository, type User, type UserCredentials } from './user.repository';

/**
 * Which second factor was given and accepted: a TOTP code (never the same time step twice) or a recovery code
 * (once); null when neither, or when the user has no factor. An accepted one is used up.
 */
async function secondFactorOk(
  users: UserRepository,
  totp: TotpAuthenticator,
  creds: UserCredentials,
  given: string,
  now: Date,
): Promise<'totp' | 'recovery-code' | null> {
  const userId = creds.user.id;
  const code = given.replace(/\s/g, '');
  if (creds.totpSecret === null) {
    return null;
  }
  if (/^\d{6}$/.test(code)) {
    const step = totp.check(creds.totpSecret, code, creds.totpLastStep, now.getTime());
    return step !== null && (await users.useTotpStep(userId, step)) ? 'totp' : null;
  }
  const recovery = normalizeRecoveryCode(given);
  return recovery !== null && (await users.useRecoveryCode(userId, hashSecretToken(recovery))) ? 'recovery-code' : null;
}

/** The audit entry of an action a user takes on its own account (with no key): it acts in, and on, its own org. */
function ownAction(
  user: { readonly id: string; readonly orgId: string },
  action: string,
  newValue: Record<string, unknown>,
  oldValue: Record<string, unknown> = {},
) {
  return {
    action,
    actorOrgId: user.orgId,
    actorKeyId: null,
    actorUserId: user.id,
    subjectOrgId: user.orgId,
    oldValue,
    newValue,
    reason: '',
  };
}
/** Who a session is, as `GET /api/v1/session` shows it. */
export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly orgId: string;
}

/** A request's session, once authenticated: the actor it acts as, and what the edge needs (CSRF, enrolment). */
export interface SessionAuth {
  readonly actor: Actor;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly enrolmentOnly: boolean;
  /** Whether the user has a second factor (the console offers to set one up, or to replace it). */
  readonly secondFactor: boolean;
  readonly user: SessionUser;
}

export interface OpenedSession {
  /** The cookie's value: handed to the browser once, stored only as a hash. */
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly enrolmentOnly: boolean;
  readonly secondFactor: boolean;
  readonly user: SessionUser;
}

export function sessionPolicy(config: AppConfig): SessionPolicy {
  return {
    idleMs: config.TOCSIN_SESSION_IDLE_MINUTES * 60_000,
    absoluteMs: config.TOCSIN_SESSION_ABSOLUTE_HOURS * 3_600_000,
  };
}

const WRONG = 'e-mail, password or second factor is wrong';

/** `POST /api/v1/invites/:token`: sets the password, once, while the invite stands (a reset ends the user's sessions). */
@Injectable()
export class AcceptInviteUseCase {
  private readonly log = new Logger(AcceptInviteUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly sessions: SessionRepository,
    private readonly sockets: SocketBroadcaster,
    private readonly hasher: PasswordHasher,
    private readonly common: CommonPasswords,
  ) {}

  async execute(token: string, body: unknown, now = new Date()): Promise<User> {
    const parsed = parseAcceptInvite(body);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    if (!isSecretTokenShape(token) || !(await this.users.inviteStands(hashSecretToken(token), now))) {
      throw new NotFound('invite');
    }
    const password = checkNewPassword(parsed.value.password, (p) => this.common.has(p));
    if (!password.ok) {
      throw new Invalid(password.error);
    }
    const passwordHash = await this.hasher.hash(password.value);
    const user = await this.db.transaction(async (tx) => {
      const u = await this.users.acceptInvite(hashSecretToken(token), passwordHash, now, tx);
      if (!u) {
        throw new NotFound('invite');
      }
      // A reset: whoever held the old password is signed out.
      await this.sessions.deleteForUser(u.id, tx);
      await this.audit.append(ownAction(u, 'user.password-set', { userId: u.id }), tx);
      return u;
    });
    this.sockets.disconnectKey(user.id);
    this.log.log({ orgId: user.orgId, userId: user.id }, 'invite accepted');
    return user;
  }
}

/**
 * `POST /api/v1/session`: e-mail, password and (when the user has one) a TOTP code or a recovery code open a
 * server-side session. An unknown e-mail, a user without a password, a disabled user, a suspended org and a wrong
 * password all get the same 401 after the same argon2 work. A user whose role needs a second factor and who has none
 * gets a session that may only enrol one.
 */
@Injectable()
export class SignInUseCase {
  private readonly log = new Logger(SignInUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly hasher: PasswordHasher,
    private readonly totp: TotpAuthenticator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(body: unknown, now = new Date()): Promise<OpenedSession> {
    const parsed = parseSignIn(body);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    return this.attempt(parsed.value, now);
  }

  private async attempt(input: SignIn, now: Date): Promise<OpenedSession> {
    const creds = await this.users.credentialsByEmail(input.email);
    const usable = creds !== null && creds.user.status === 'active' && (creds.orgTrustLevel > 0 || creds.orgIsHub);
    const passwordOk = await this.hasher.verify(usable ? creds.passwordHash : null, input.password);
    if (!usable || !passwordOk) {
      this.log.warn({ userId: creds?.user.id ?? null }, 'sign-in refused');
      if (creds) {
        this.recordFailure(
          creds.user,
          usable ? 'password' : creds.user.status === 'active' ? 'org-suspended' : creds.user.status,
        );
      }
      throw new Unauthorized(WRONG);
    }
    const { user } = creds;
    let secondFactor: 'totp' | 'recovery-code' | null = null;
    if (creds.totpSecret !== null) {
      if (input.totp === null) {
        throw new Unauthorized(
          'a second factor is required: give the code of your app in `totp`',
          'second-factor-required',
        );
      }
      secondFactor = await secondFactorOk(this.users, this.totp, creds, input.totp, now);
      if (secondFactor === null) {
        this.log.warn({ userId: user.id }, 'sign-in refused: second factor');
        this.recordFailure(user, 'second-factor');
        throw new Unauthorized(WRONG);
      }
    }
    const enrolmentOnly =
      creds.totpSecret === null && secondFactorRequired(user.role, this.config.TOCSIN_TOTP_REQUIRED_ROLES);
    const token = generateSecretToken((n) => randomBytes(n));
    const csrfToken = generateSecretToken((n) => randomBytes(n));
    const expiresAt = sessionExpiry(sessionPolicy(this.config), now);
    await this.db.transaction(async (tx) => {
      await this.sessions.deleteEnded(user.id, now, sessionPolicy(this.config).idleMs, tx);
      const id = await this.sessions.insert(
        { userId: user.id, tokenHash: hashSecretToken(token), csrfToken, enrolmentOnly, now, expiresAt },
        tx,
      );
      await this.audit.append(
        ownAction(user, 'user.signed-in', { userId: user.id, sessionId: id, secondFactor, enrolmentOnly }),
        tx,
      );
    });
    this.log.log({ orgId: user.orgId, userId: user.id, enrolmentOnly }, 'signed in');
    return {
      token,
      csrfToken,
      expiresAt,
      enrolmentOnly,
      secondFactor: creds.totpSecret !== null,
      user: { id: user.id, email: user.email, role: user.role, orgId: user.orgId },
    };
  }

  /**
   * A failed sign-in of an existing user goes to the audit trail, written after the answer (not awaited), so a known
   * e-mail is not told apart from an unknown one by the time it takes. Never the password or code given.
   */
  private recordFailure(user: User, why: string): void {
    void this.db
      .transaction((tx) => this.audit.append(ownAction(user, 'user.sign-in-failed', { userId: user.id, why }), tx))
      .catch((e: unknown) =>
        this.log.warn({ userId: user.id, err: (e as Error).name }, 'audit of a failed sign-in lost'),
      );
  }
}

/** The session a cookie names, if it is live and its user and org may still act; null otherwise. */
@Injectable()
export class AuthenticateSessionUseCase {
  constructor(
    private readonly sessions: SessionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(token: string | undefined, now = new Date()): Promise<SessionAuth | null> {
    if (token === undefined || !isSecretTokenShape(token)) {
      return null;
    }
    const s = await this.sessions.findForAuth(hashSecretToken(token));
    if (!s) {
      return null;
    }
    if (!sessionLive(s, sessionPolicy(this.config), now)) {
      await this.sessions.delete(s.id);
      return null;
    }
    if (s.disabled || (s.orgTrustLevel === 0 && !s.orgIsHub)) {
      return null;
    }
    await this.sessions.touch(s.id, now);
    // A role that now requires a second factor (a reader made admin) holds the session to enrolment until one is set.
    const enrolmentOnly =
      s.enrolmentOnly || (!s.hasSecondFactor && secondFactorRequired(s.role, this.config.TOCSIN_TOTP_REQUIRED_ROLES));
    return {
      actor: {
        keyId: s.userId,
        userId: s.userId,
        orgId: s.orgId,
        role: s.role,
        orgIsHub: s.orgIsHub,
        trustLevel: s.orgTrustLevel,
      },
      sessionId: s.id,
      csrfToken: s.csrfToken,
      enrolmentOnly,
      secondFactor: s.hasSecondFactor,
      user: { id: s.userId, email: s.email, role: s.role, orgId: s.orgId },
    };
  }
}

/** `DELETE /api/v1/session` (this one) and `DELETE /api/v1/sessions` (every session of the user), both audited. */
@Injectable()
export class SignOutUseCase {
  private readonly log = new Logger(SignOutUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly sockets: SocketBroadcaster,
  ) {}

  async execute(session: SessionAuth): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.sessions.delete(session.sessionId, tx);
      await this.record(session, 'user.signed-out', { userId: session.user.id, sessionId: session.sessionId }, tx);
    });
    this.sockets.disconnectKey(session.sessionId);
    this.log.log({ userId: session.user.id }, 'signed out');
  }

  async everywhere(session: SessionAuth): Promise<{ ended: number }> {
    const ended = await this.db.transaction(async (tx) => {
      const n = await this.sessions.deleteForUser(session.user.id, tx);
      await this.record(session, 'user.signed-out-everywhere', { userId: session.user.id, ended: n }, tx);
      return n;
    });
    this.sockets.disconnectKey(session.user.id);
    this.log.log({ userId: session.user.id, ended }, 'signed out everywhere');
    return { ended };
  }

  private record(session: SessionAuth, action: string, newValue: Record<string, unknown>, tx: Tx): Promise<void> {
    return this.audit.append(ownAction(session.user, action, newValue), tx);
  }
}

/**
 * TOTP enrolment: `POST /api/v1/session/totp` offers a new secret (as an otpauth:// URI for the app);
 * `POST /api/v1/session/totp/confirm` with a code of it makes it the user's second factor, answers ten one-time
 * recovery codes (stored as hashes only) and turns an enrolment-only session into a full one.
 * A user who has a second factor replaces it the same way (a new phone), proving it first: the offer needs `code`, a
 * current code of the factor or an unused recovery code (used up either way). The confirmation then swaps the factor,
 * replaces the recovery codes and ends the user's other sessions. The old factor holds until then.
 */
@Injectable()
export class EnrolTotpUseCase {
  private readonly log = new Logger(EnrolTotpUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly totp: TotpAuthenticator,
    private readonly sockets: SocketBroadcaster,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A wrong or missing `code` for a replacement is a 400 on `/code`; the caller counts it as a failed sign-in of the
   * account (SignInLimit), so a stolen session cannot try codes without end.
   */
  async start(
    session: SessionAuth,
    body: unknown,
    now = new Date(),
  ): Promise<{ otpauthUri: string; replacing: boolean }> {
    const parsed = parseStartTotp(body);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    const creds = await this.users.credentialsById(session.user.id);
    if (!creds) {
      throw new Forbidden();
    }
    const replacing = creds.totpSecret !== null;
    if (creds.totpSecret !== null) {
      const given = parsed.value.code;
      if (given === null) {
        throw new Invalid([
          {
            pointer: '/code',
            detail: 'is required to replace your second factor: a current code of it, or an unused recovery code',
          },
        ]);
      }
      if ((await secondFactorOk(this.users, this.totp, creds, given, now)) === null) {
        this.log.warn({ userId: session.user.id }, 'second factor replacement refused: wrong code');
        throw new Invalid([
          { pointer: '/code', detail: 'is not a current code of your second factor, nor an unused recovery code' },
        ]);
      }
    }
    const secret = this.totp.newSecret();
    await this.users.setPendingTotp(session.user.id, secret);
    this.log.log({ userId: session.user.id, replacing }, 'second factor offered');
    return { otpauthUri: this.totp.uri(secret, this.config.TOCSIN_HUB_ORG_NAME, session.user.email), replacing };
  }

  async confirm(session: SessionAuth, body: unknown, now = new Date()): Promise<{ recoveryCodes: string[] }> {
    const parsed = parseConfirmTotp(body);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    const creds = await this.users.credentialsById(session.user.id);
    if (!creds) {
      throw new Forbidden();
    }
    const replacing = creds.totpSecret !== null;
    if (replacing && creds.totpPendingSecret === null) {
      throw new Conflict(
        'second-factor-enrolled',
        'a second factor is already set up for this user: to replace it, first ask for a new one with a code of it',
      );
    }
    const secret = creds.totpPendingSecret;
    const step = secret === null ? null : this.totp.check(secret, parsed.value.code, null, now.getTime());
    if (secret === null || step === null) {
      throw new Invalid([{ pointer: '/code', detail: 'is not a current code of the offered secret' }]);
    }
    const recoveryCodes = generateRecoveryCodes((n) => randomBytes(n));
    const ended = await this.db.transaction(async (tx) => {
      if (!(await this.users.confirmTotp(session.user.id, secret, step, tx))) {
        throw new Invalid([{ pointer: '/code', detail: 'is not a current code of the offered secret' }]);
      }
      await this.users.replaceRecoveryCodes(session.user.id, recoveryCodes.map(hashSecretToken), tx);
      await this.sessions.makeFull(session.sessionId, tx);
      const others = replacing ? await this.sessions.deleteOthers(session.user.id, session.sessionId, tx) : [];
      await this.audit.append(
        replacing
          ? ownAction(
              session.user,
              'user.second-factor-replaced',
              { userId: session.user.id, secondFactor: true, sessionsEnded: others.length },
              { secondFactor: true },
            )
          : ownAction(
              session.user,
              'user.second-factor-enrolled',
              { userId: session.user.id, secondFactor: true },
              { secondFactor: false },
            ),
        tx,
      );
      return others;
    });
    for (const id of ended) {
      this.sockets.disconnectKey(id);
    }
    this.log.log({ userId: session.user.id, replacing, sessionsEnded: ended.length }, 'second factor enrolled');
    return { recoveryCodes };
  }
}
