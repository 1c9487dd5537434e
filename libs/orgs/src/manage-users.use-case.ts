import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db } from '@tocsin/db';
import {
  decideOrgAccess,
  generateSecretToken,
  hashSecretToken,
  parseInviteUser,
  parseUserChange,
  type Actor,
  auditActor,
} from '@tocsin/domain';
import {
  APP_CONFIG,
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  SocketBroadcaster,
  type AppConfig,
} from '@tocsin/platform';
import { AuditRepository } from './audit.repository';
import { OrgRepository } from './org.repository';
import { SessionRepository } from './session.repository';
import { UserRepository, type User } from './user.repository';

/** A hub admin for any org, an org's admin for its own; any other org is not found. */
async function authorize(orgs: OrgRepository, actor: Actor, orgId: string): Promise<void> {
  const d = decideOrgAccess(actor, orgId, 'user.manage');
  if (d === 'forbidden') {
    throw new Forbidden('only admins may manage users');
  }
  if (d === 'not-found' || !(await orgs.findById(orgId))) {
    throw new NotFound('org');
  }
}

export interface InvitedUser {
  readonly user: User;
  readonly inviteToken: string;
  readonly inviteExpiresAt: Date;
}

/** Invites a person into an org: the one-time invite token is returned this once and stored only as a hash. */
@Injectable()
export class InviteUserUseCase {
  private readonly log = new Logger(InviteUserUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, orgId: string, body: unknown, now = new Date()): Promise<InvitedUser> {
    await authorize(this.orgs, actor, orgId);
    const parsed = parseInviteUser(body);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    const inviteToken = generateSecretToken((n) => randomBytes(n));
    const inviteExpiresAt = new Date(now.getTime() + this.config.TOCSIN_INVITE_TTL_HOURS * 3_600_000);
    const user = await this.db.transaction(async (tx) => {
      const u = await this.users.insert(
        {
          orgId,
          email: parsed.value.email,
          name: parsed.value.name,
          role: parsed.value.role,
          inviteHash: hashSecretToken(inviteToken),
          inviteExpiresAt,
        },
        tx,
      );
      if (u === 'email-taken') {
        throw new Conflict('email-taken', 'a user with this e-mail exists on this hub');
      }
      await this.audit.append(
        {
          action: 'user.invited',
          ...auditActor(actor),
          subjectOrgId: orgId,
          oldValue: {},
          newValue: { userId: u.id, email: u.email, role: u.role },
          reason: '',
        },
        tx,
      );
      return u;
    });
    this.log.log({ orgId, userId: user.id, role: user.role, by: actor.keyId }, 'user invited');
    return { user, inviteToken, inviteExpiresAt };
  }
}

/**
 * A new invite for an existing user: how an admin resets a forgotten password (no mail server needed). The user's
 * password stands until the new invite is used; using it sets the new one and ends the user's sessions.
 */
@Injectable()
export class ReinviteUserUseCase {
  private readonly log = new Logger(ReinviteUserUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, orgId: string, userId: string, now = new Date()): Promise<InvitedUser> {
    await authorize(this.orgs, actor, orgId);
    const user = await this.users.findInOrg(orgId, userId);
    if (!user) {
      throw new NotFound('user');
    }
    if (user.status === 'disabled') {
      throw new Conflict('user-disabled', 'this user is disabled: enable it first (PATCH {"disabled": false})');
    }
    const inviteToken = generateSecretToken((n) => randomBytes(n));
    const inviteExpiresAt = new Date(now.getTime() + this.config.TOCSIN_INVITE_TTL_HOURS * 3_600_000);
    await this.db.transaction(async (tx) => {
      await this.users.setInvite(orgId, userId, hashSecretToken(inviteToken), inviteExpiresAt, tx);
      await this.audit.append(
        {
          action: 'user.reinvited',
          ...auditActor(actor),
          subjectOrgId: orgId,
          oldValue: {},
          newValue: { userId },
          reason: '',
        },
        tx,
      );
    });
    this.log.log({ orgId, userId, by: actor.keyId }, 'user invited again');
    return { user, inviteToken, inviteExpiresAt };
  }
}

@Injectable()
export class ListUsersUseCase {
  constructor(
    private readonly orgs: OrgRepository,
    private readonly users: UserRepository,
  ) {}

  async execute(actor: Actor, orgId: string): Promise<User[]> {
    await authorize(this.orgs, actor, orgId);
    return this.users.listForOrg(orgId);
  }
}

/**
 * Changes a user's role or disables (or re-enables) it. A role change holds from the user's next request; disabling
 * ends every session at once and cuts its sockets. The row stays: the audit trail names it.
 */
@Injectable()
export class ChangeUserUseCase {
  private readonly log = new Logger(ChangeUserUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly sockets: SocketBroadcaster,
  ) {}

  async execute(actor: Actor, orgId: string, userId: string, body: unknown, now = new Date()): Promise<User> {
    await authorize(this.orgs, actor, orgId);
    const parsed = parseUserChange(body);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    return this.apply(actor, orgId, userId, parsed.value, now);
  }

  /** DELETE: disables the user. */
  disable(actor: Actor, orgId: string, userId: string, now = new Date()): Promise<User> {
    return authorize(this.orgs, actor, orgId).then(() => this.apply(actor, orgId, userId, { disabled: true }, now));
  }

  private async apply(
    actor: Actor,
    orgId: string,
    userId: string,
    change: { role?: User['role']; disabled?: boolean },
    now: Date,
  ): Promise<User> {
    const current = await this.users.findInOrg(orgId, userId);
    if (!current) {
      throw new NotFound('user');
    }
    const disabledAt = change.disabled === undefined ? undefined : change.disabled ? (current.disabledAt ?? now) : null;
    const updated = await this.db.transaction(async (tx) => {
      const u = await this.users.update(
        orgId,
        userId,
        {
          ...(change.role === undefined ? {} : { role: change.role }),
          ...(disabledAt === undefined ? {} : { disabledAt }),
        },
        tx,
      );
      if (!u) {
        throw new NotFound('user');
      }
      if (u.role !== current.role || u.status !== current.status) {
        await this.audit.append(
          {
            action: u.status === 'disabled' && current.status !== 'disabled' ? 'user.disabled' : 'user.changed',
            ...auditActor(actor),
            subjectOrgId: orgId,
            oldValue: { userId, role: current.role, status: current.status },
            newValue: { userId, role: u.role, status: u.status },
            reason: '',
          },
          tx,
        );
      }
      if (u.disabledAt) {
        await this.sessions.deleteForUser(userId, tx);
      }
      return u;
    });
    if (updated.disabledAt) {
      this.sockets.disconnectKey(userId);
    }
    this.log.log({ orgId, userId, role: updated.role, status: updated.status, by: actor.keyId }, 'user changed');
    return updated;
  }
}

/**
 * An admin removes a user's second factor (a lost phone, recovery codes gone). A user whose role requires one is held
 * to enrolment from its next request, as at its next sign-in, until it sets up a new one.
 */
@Injectable()
export class RemoveSecondFactorUseCase {
  private readonly log = new Logger(RemoveSecondFactorUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(actor: Actor, orgId: string, userId: string): Promise<User> {
    await authorize(this.orgs, actor, orgId);
    const current = await this.users.findInOrg(orgId, userId);
    if (!current) {
      throw new NotFound('user');
    }
    const user = await this.db.transaction(async (tx) => {
      const u = await this.users.removeSecondFactor(orgId, userId, tx);
      if (!u) {
        throw new NotFound('user');
      }
      await this.audit.append(
        {
          action: 'user.second-factor-removed',
          ...auditActor(actor),
          subjectOrgId: orgId,
          oldValue: { userId, secondFactor: current.secondFactor },
          newValue: { userId, secondFactor: false },
          reason: '',
        },
        tx,
      );
      return u;
    });
    this.log.log({ orgId, userId, by: actor.keyId }, 'second factor removed');
    return user;
  }
}

/** An admin ends every session of a user of its org (or a hub admin, of any org's user). */
@Injectable()
export class EndUserSessionsUseCase {
  private readonly log = new Logger(EndUserSessionsUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly sockets: SocketBroadcaster,
  ) {}

  async execute(actor: Actor, orgId: string, userId: string): Promise<{ ended: number }> {
    await authorize(this.orgs, actor, orgId);
    if (!(await this.users.findInOrg(orgId, userId))) {
      throw new NotFound('user');
    }
    const ended = await this.db.transaction(async (tx) => {
      const n = await this.sessions.deleteForUser(userId, tx);
      await this.audit.append(
        {
          action: 'user.sessions-ended',
          ...auditActor(actor),
          subjectOrgId: orgId,
          oldValue: {},
          newValue: { userId, ended: n },
          reason: '',
        },
        tx,
      );
      return n;
    });
    this.sockets.disconnectKey(userId);
    this.log.log({ orgId, userId, ended, by: actor.keyId }, 'user sessions ended');
    return { ended };
  }
}
