import { Injectable } from '@nestjs/common';
import { Db, type Tx } from '@tocsin/db';
import { IDEMPOTENCY_KEY_TTL_HOURS, type IdempotencyClaim } from '@tocsin/domain';
import { Conflict, Unprocessable } from '@tocsin/platform';

/**
 * Thrown inside a submission's transaction when its key already holds a first answer with the same fingerprint:
 * the transaction rolls back (nothing is created) and the edge answers `answer` again.
 */
export class IdempotentReplay extends Error {
  constructor(readonly answer: unknown) {
    super('idempotent replay');
  }
}

/** Recorded answers expired longer ago than this are deleted, a bounded batch per recorded submission. */
const PURGE_BATCH = 100;

/** The first answers to submissions sent with an `Idempotency-Key`, per organisation and key (24 h). */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /**
   * The first answer recorded for this organisation and key, if its fingerprint matches; null when none is
   * recorded (or it expired); 422 when the key was used for another submission.
   */
  async replayable(orgId: string, claim: IdempotencyClaim, tx?: Tx): Promise<{ answer: unknown } | null> {
    const rows = await this.db
      .manager(tx)
      .query<{ fingerprint: string; response: unknown }[]>(
        'SELECT fingerprint, response FROM idempotency_keys WHERE org_id = $1 AND key = $2 AND expires_at > now()',
        [orgId, claim.key],
      );
    const prior = rows[0];
    if (!prior) {
      return null;
    }
    if (prior.fingerprint !== claim.fingerprint) {
      throw new Unprocessable(
        'idempotency-key-reused',
        `this Idempotency-Key was used for another submission in the last ${IDEMPOTENCY_KEY_TTL_HOURS} h; use a new key`,
      );
    }
    return { answer: prior.response };
  }

  /**
   * First step of a keyed submission's transaction: takes the key for this transaction (409 while another
   * request with it is being committed), then throws IdempotentReplay if its answer is recorded meanwhile.
   */
  async claim(tx: Tx, orgId: string, claim: IdempotencyClaim | null | undefined): Promise<void> {
    if (!claim) {
      return;
    }
    const [row] = await this.db
      .manager(tx)
      .query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked', [
        `idempotency:${orgId}:${claim.key}`,
      ]);
    if (!row?.locked) {
      throw inFlight();
    }
    const prior = await this.replayable(orgId, claim, tx);
    if (prior) {
      throw new IdempotentReplay(prior.answer);
    }
  }

  /** Last step of a keyed submission's transaction: records its answer, and deletes a batch of expired ones. */
  async record(tx: Tx, orgId: string, claim: IdempotencyClaim | null | undefined, answer: unknown): Promise<void> {
    if (!claim) {
      return;
    }
    const m = this.db.manager(tx);
    await m.query(
      `DELETE FROM idempotency_keys WHERE ctid IN (
         SELECT ctid FROM idempotency_keys WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      [PURGE_BATCH],
    );
    const inserted = await m.query<unknown[]>(
      `INSERT INTO idempotency_keys (org_id, key, fingerprint, response, expires_at)
       VALUES ($1, $2, $3, $4::json, now() + make_interval(hours => $5))
       ON CONFLICT (org_id, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, response = EXCLUDED.response,
             created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
       RETURNING 1`,
      [orgId, claim.key, claim.fingerprint, JSON.stringify(answer), IDEMPOTENCY_KEY_TTL_HOURS],
    );
    if (inserted.length === 0) {
      throw inFlight();
    }
  }
}

function inFlight(): Conflict {
  return new Conflict(
    'idempotency-key-in-flight',
    'a request with this Idempotency-Key is still being processed; retry it later',
  );
}
