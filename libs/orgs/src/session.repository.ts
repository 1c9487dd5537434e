import { Injectable } from '@nestjs/common';
import { Db, SessionEntity, type Tx } from '@tocsin/db';
import type { Role, TrustLevel } from '@tocsin/domain';

/** A session with what authentication needs of its user and the user's organisation, in one query. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly enrolmentOnly: boolean;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly email: string;
  readonly orgId: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly hasSecondFactor: boolean;
  readonly orgTrustLevel: TrustLevel;
  readonly orgIsHub: boolean;
}

/** A session that ended: past its absolute expiry, or idle longer than the idle limit ($2 now, $3 idle ms). */
const ENDED = `expires_at <= $2::timestamptz OR last_seen_at <= $2::timestamptz - make_interval(secs => $3::double precision / 1000)`;

/** How many ended sessions of other users one sign-in deletes at most. */
export const ENDED_SESSIONS_BATCH = 100;

@Injectable()
export class SessionRepository {
  constructor(private readonly db: Db) {}

  async insert(
    s: { userId: string; tokenHash: Buffer; csrfToken: string; enrolmentOnly: boolean; now: Date; expiresAt: Date },
    tx?: Tx,
  ): Promise<string> {
    const m = this.db.manager(tx);
    const saved = await m.save(
      SessionEntity,
      m.create(SessionEntity, {
        userId: s.userId,
        tokenHash: s.tokenHash,
        csrfToken: s.csrfToken,
        enrolmentOnly: s.enrolmentOnly,
        lastSeenAt: s.now,
        expiresAt: s.expiresAt,
      }),
    );
    return saved.id;
  }

  async findForAuth(tokenHash: Buffer): Promise<SessionRecord | null> {
    const rows = await this.db.manager().query<
      {
        id: string;
        user_id: string;
        csrf_token: string;
        enrolment_only: boolean;
        last_seen_at: Date;
        expires_at: Date;
        email: string;
        org_id: string;
        role: Role;
        disabled_at: Date | null;
        has_totp: boolean;
        trust_level: number;
        is_hub: boolean;
      }[]
    >(
      `SELECT s.id, s.user_id, s.csrf_token, s.enrolment_only, s.last_seen_at, s.expires_at,
              u.email, u.org_id, u.role, u.disabled_at, u.totp_secret IS NOT NULL AS has_totp, o.trust_level, o.is_hub
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id
       WHERE s.token_hash = $1`,
      [tokenHash],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          userId: r.user_id,
          csrfToken: r.csrf_token,
          enrolmentOnly: r.enrolment_only,
          lastSeenAt: r.last_seen_at,
          expiresAt: r.expires_at,
          email: r.email,
          orgId: r.org_id,
          role: r.role,
          disabled: r.disabled_at !== null,
          hasSecondFactor: r.has_totp,
          orgTrustLevel: r.trust_level as TrustLevel,
          orgIsHub: r.is_hub,
        }
      : null;
  }

  /** Marks the session used now (written at most every few seconds per session, not on every request). */
  async touch(id: string, now: Date): Promise<void> {
    await this.db
      .manager()
      .query(
        `UPDATE sessions SET last_seen_at = $2::timestamptz WHERE id = $1 AND last_seen_at < $2::timestamptz - interval '5 seconds'`,
        [id, now],
      );
  }

  async makeFull(id: string, tx: Tx): Promise<void> {
    await this.db.manager(tx).update(SessionEntity, { id }, { enrolmentOnly: false });
  }

  async delete(id: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).delete(SessionEntity, { id });
  }

  /** Ends every session of the user but `keep`; answers the ids of those it ended. */
  async deleteOthers(userId: string, keep: string, tx: Tx): Promise<string[]> {
    const rows = await this.db
      .manager(tx)
      .query<[{ id: string }[], number]>('DELETE FROM sessions WHERE user_id = $1 AND id <> $2 RETURNING id', [
        userId,
        keep,
      ]);
    return rows[0].map((r) => r.id);
  }

  /** Ends every session of the user; answers how many there were. */
  async deleteForUser(userId: string, tx?: Tx): Promise<number> {
    const r = await this.db.manager(tx).delete(SessionEntity, { userId });
    return r.affected ?? 0;
  }

  /**
   * Of these session ids, those still live for a socket (not expired, not idle, full, user enabled, org not
   * suspended, no second factor missing that the user's role requires); each is marked used now: an open socket is
   * activity.
   */
  async stillLive(
    ids: readonly string[],
    now: Date,
    idleMs: number,
    secondFactorRoles: readonly Role[],
  ): Promise<Set<string>> {
    if (ids.length === 0) {
      return new Set();
    }
    const rows = await this.db.manager().query<[{ id: string }[], number]>(
      `UPDATE sessions s SET last_seen_at = $2::timestamptz
       FROM users u, orgs o
       WHERE s.id = ANY($1::uuid[]) AND u.id = s.user_id AND o.id = u.org_id
         AND s.expires_at > $2::timestamptz AND s.last_seen_at > $2::timestamptz - make_interval(secs => $3::double precision / 1000)
         AND NOT s.enrolment_only AND u.disabled_at IS NULL AND (o.trust_level > 0 OR o.is_hub)
         AND NOT (u.totp_secret IS NULL AND u.role = ANY($4::text[]))
       RETURNING s.id`,
      [ids, now, idleMs, secondFactorRoles],
    );
    return new Set(rows[0].map((r) => r.id));
  }

  /**
   * Deletes the user's sessions that ended (expired or idle) and up to `batch` ended sessions of any user: called at
   * each sign-in, so rows of users who never sign in again do not pile up either (each sign-in clears more than one
   * session can add). Rows another transaction holds are skipped.
   */
  async deleteEnded(userId: string, now: Date, idleMs: number, tx?: Tx, batch = ENDED_SESSIONS_BATCH): Promise<void> {
    await this.db.manager(tx).query(
      `DELETE FROM sessions WHERE (user_id = $1 AND (${ENDED})) OR id IN (
         SELECT id FROM sessions WHERE ${ENDED} ORDER BY expires_at LIMIT $4 FOR UPDATE SKIP LOCKED)`,
      [userId, now, idleMs, batch],
    );
  }
}
