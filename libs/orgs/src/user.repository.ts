import { Injectable } from '@nestjs/common';
import { Db, UserEntity, type Tx } from '@tocsin/db';
import { isUuid, type Role, type TrustLevel } from '@tocsin/domain';

/** A user as the API shows it: never a password hash, invite token or second-factor secret. */
export interface User {
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  /** invited: the invite is not used yet; active: the password is set; disabled. */
  readonly status: 'invited' | 'active' | 'disabled';
  readonly secondFactor: boolean;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
}

/** What signing in needs of a user and its organisation, in one query. */
export interface UserCredentials {
  readonly user: User;
  readonly passwordHash: string | null;
  readonly totpSecret: string | null;
  readonly totpPendingSecret: string | null;
  readonly totpLastStep: number | null;
  readonly orgTrustLevel: TrustLevel;
  readonly orgIsHub: boolean;
}

export const toUser = (e: UserEntity): User => ({
  id: e.id,
  orgId: e.orgId,
  email: e.email,
  name: e.name,
  role: e.role as Role,
  status: e.disabledAt ? 'disabled' : e.passwordHash ? 'active' : 'invited',
  secondFactor: e.totpSecret !== null,
  createdAt: e.createdAt,
  disabledAt: e.disabledAt,
});

@Injectable()
export class UserRepository {
  constructor(private readonly db: Db) {}

  /** A new invited user; 'email-taken' when the (lower-cased) e-mail is anyone's on the hub. */
  async insert(
    u: { orgId: string; email: string; name: string | null; role: Role; inviteHash: Buffer; inviteExpiresAt: Date },
    tx?: Tx,
  ): Promise<User | 'email-taken'> {
    const m = this.db.manager(tx);
    const rows = await m.query<{ id: string }[]>(
      `INSERT INTO users (org_id, email, name, role, invite_hash, invite_expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [u.orgId, u.email, u.name, u.role, u.inviteHash, u.inviteExpiresAt],
    );
    const id = rows[0]?.id;
    return id ? toUser(await m.findOneByOrFail(UserEntity, { id })) : 'email-taken';
  }

  async listForOrg(orgId: string): Promise<User[]> {
    const rows = await this.db
      .manager()
      .find(UserEntity, { where: { orgId }, order: { createdAt: 'ASC', id: 'ASC' }, take: 1000 });
    return rows.map(toUser);
  }

  /** The user of that org (org-scoped: another org's user is not found). */
  async findInOrg(orgId: string, userId: string, tx?: Tx): Promise<User | null> {
    if (!isUuid(userId)) {
      return null;
    }
    const e = await this.db.manager(tx).findOneBy(UserEntity, { id: userId, orgId });
    return e ? toUser(e) : null;
  }

  async update(
    orgId: string,
    userId: string,
    change: { role?: Role; disabledAt?: Date | null },
    tx?: Tx,
  ): Promise<User | null> {
    if (!isUuid(userId)) {
      return null;
    }
    const m = this.db.manager(tx);
    const r = await m.update(UserEntity, { id: userId, orgId }, change);
    if (!r.affected) {
      return null;
    }
    return toUser(await m.findOneByOrFail(UserEntity, { id: userId }));
  }

  /** A fresh invite for an existing user (a password reset); its password stands until the invite is used. */
  async setInvite(orgId: string, userId: string, inviteHash: Buffer, inviteExpiresAt: Date, tx: Tx): Promise<void> {
    await this.db.manager(tx).update(UserEntity, { id: userId, orgId }, { inviteHash, inviteExpiresAt });
  }

  /** Removes the user's second factor and recovery codes; null when the org has no such user. */
  async removeSecondFactor(orgId: string, userId: string, tx: Tx): Promise<User | null> {
    const m = this.db.manager(tx);
    const r = await m.update(
      UserEntity,
      { id: userId, orgId },
      { totpSecret: null, totpPendingSecret: null, totpLastStep: null },
    );
    if (!r.affected) {
      return null;
    }
    await m.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
    return toUser(await m.findOneByOrFail(UserEntity, { id: userId }));
  }

  /** Uses an invite once: sets the password if the invite stands (not used, not expired, user not disabled). */
  async acceptInvite(inviteHash: Buffer, passwordHash: string, now: Date, tx?: Tx): Promise<User | null> {
    const rows = await this.db.manager(tx).query<[{ id: string }[], number]>(
      `UPDATE users SET password_hash = $2, invite_hash = NULL, invite_expires_at = NULL
       WHERE invite_hash = $1 AND invite_expires_at > $3 AND disabled_at IS NULL RETURNING id`,
      [inviteHash, passwordHash, now],
    );
    const id = rows[0][0]?.id;
    return id ? toUser(await this.db.manager(tx).findOneByOrFail(UserEntity, { id })) : null;
  }

  /** Whether an invite stands, without using it. */
  async inviteStands(inviteHash: Buffer, now: Date): Promise<boolean> {
    const rows = await this.db
      .manager()
      .query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM users WHERE invite_hash = $1 AND invite_expires_at > $2 AND disabled_at IS NULL`,
        [inviteHash, now],
      );
    return (rows[0]?.n ?? 0) > 0;
  }

  async credentialsByEmail(email: string): Promise<UserCredentials | null> {
    const e = await this.db.manager().findOne(UserEntity, { where: { email }, relations: { org: true } });
    return e ? this.credentials(e) : null;
  }

  async credentialsById(id: string, tx?: Tx): Promise<UserCredentials | null> {
    const e = await this.db.manager(tx).findOne(UserEntity, { where: { id }, relations: { org: true } });
    return e ? this.credentials(e) : null;
  }

  async setPendingTotp(userId: string, secret: string): Promise<void> {
    await this.db.manager().update(UserEntity, { id: userId }, { totpPendingSecret: secret });
  }

  /** Makes the pending secret the user's second factor; false when it changed meanwhile. */
  async confirmTotp(userId: string, secret: string, step: number, tx: Tx): Promise<boolean> {
    const r = await this.db
      .manager(tx)
      .update(
        UserEntity,
        { id: userId, totpPendingSecret: secret },
        { totpSecret: secret, totpPendingSecret: null, totpLastStep: String(step) },
      );
    return (r.affected ?? 0) > 0;
  }

  /** Records the time step of an accepted code; false when that step (or a later one) was already used. */
  async useTotpStep(userId: string, step: number): Promise<boolean> {
    const rows = await this.db.manager().query<[unknown[], number]>(
      `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)
       RETURNING id`,
      [userId, step],
    );
    return rows[0].length > 0;
  }

  async replaceRecoveryCodes(userId: string, hashes: readonly Buffer[], tx: Tx): Promise<void> {
    const m = this.db.manager(tx);
    await m.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
    await m.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, [userId, hashes]);
  }

  /** Uses a recovery code once: true when the user had it (it is gone now). */
  async useRecoveryCode(userId: string, hash: Buffer): Promise<boolean> {
    const rows = await this.db
      .manager()
      .query<[unknown[], number]>('DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 RETURNING id', [
        userId,
        hash,
      ]);
    return rows[0].length > 0;
  }

  private credentials(e: UserEntity): UserCredentials | null {
    if (!e.org) {
      return null;
    }
    return {
      user: toUser(e),
      passwordHash: e.passwordHash,
      totpSecret: e.totpSecret,
      totpPendingSecret: e.totpPendingSecret,
      totpLastStep: e.totpLastStep === null ? null : Number(e.totpLastStep),
      orgTrustLevel: e.org.trustLevel as TrustLevel,
      orgIsHub: e.org.isHub,
    };
  }
}
