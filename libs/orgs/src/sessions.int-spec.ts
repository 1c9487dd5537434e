import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecretToken, type Actor } from '@tocsin/domain';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { InviteUserUseCase } from './manage-users.use-case';
import { OrgDirectory } from './org-directory';
import { OrgsModule } from './orgs.module';
import { AcceptInviteUseCase, AuthenticateSessionUseCase, SignInUseCase } from './sessions.use-case';

let ctx: IntContext;
let orgId: string;
let hubId: string;
const hubAdmin = (hubId: string): Actor => ({
  keyId: '00000000-0000-4000-8000-0000000000ff',
  orgId: hubId,
  role: 'admin',
  orgIsHub: true,
  trustLevel: 4,
});
const PASSWORD = 'lantern harbour pebble';
const T0 = new Date('2026-12-04T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
let n = 0;

beforeAll(async () => {
  ctx = await createIntContext([OrgsModule]);
  const [hub] = await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, sector, trust_level, is_hub) VALUES ('Hub', NULL, NULL, 4, true) RETURNING id`,
  );
  const [member] = await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, sector, trust_level, is_hub) VALUES ('CERT-X', 'FR', NULL, 3, false) RETURNING id`,
  );
  orgId = member!.id;
  hubId = hub!.id;
});

afterAll(async () => {
  await ctx?.close();
});

/** A reader who set a password and signed in at `when` (T0): the session's cookie token. */
async function signedInAt(when = T0): Promise<string> {
  const email = `reader${++n}@cert-x.example`;
  const { inviteToken } = await ctx.app
    .get(InviteUserUseCase)
    .execute(hubAdmin(hubId), orgId, { email, role: 'reader' }, when);
  await ctx.app.get(AcceptInviteUseCase).execute(inviteToken, { password: PASSWORD }, when);
  return (await ctx.app.get(SignInUseCase).execute({ email, password: PASSWORD }, when)).token;
}

describe(AuthenticateSessionUseCase.name, () => {
  it('ends a session idle for TOCSIN_SESSION_IDLE_MINUTES (30) and deletes it', async () => {
    const token = await signedInAt();
    const auth = ctx.app.get(AuthenticateSessionUseCase);
    expect((await auth.execute(token, at(29)))?.user.role).toBe('reader');
    expect(await auth.execute(token, at(29 + 30))).toBeNull();
    // Deleted when found idle: not live again even at a time it would have been.
    expect(await auth.execute(token, at(29 + 1))).toBeNull();
  });

  it('keeps a used session alive until TOCSIN_SESSION_ABSOLUTE_HOURS (12), however active', async () => {
    const token = await signedInAt();
    const auth = ctx.app.get(AuthenticateSessionUseCase);
    for (let m = 20; m < 12 * 60; m += 20) {
      expect(await auth.execute(token, at(m))).not.toBeNull();
    }
    expect(await auth.execute(token, at(12 * 60))).toBeNull();
  });

  it('deletes, at any user’s sign-in, the ended sessions of users who never came back, and keeps live ones', async () => {
    const rowOf = async (token: string) =>
      (await ctx.sql('SELECT id FROM sessions WHERE token_hash = $1', [hashSecretToken(token)])).length;
    // Far later than every other session of this file, so those are ended too: none may be left but the live ones.
    const later = (minutes: number) => at(100 * 24 * 60 + minutes);
    const gone = await signedInAt(later(0));
    const live = await signedInAt(later(20));
    expect(await rowOf(gone)).toBe(1);
    // At 45 minutes the first (never used) is idle; the second (signed in at 20) is not. A third user signs in.
    const third = await signedInAt(later(45));
    expect(await rowOf(gone)).toBe(0);
    expect(await rowOf(live)).toBe(1);
    expect(await rowOf(third)).toBe(1);
    const ended = await ctx.sql(
      `SELECT count(*)::int AS n FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $1::timestamptz - interval '30 minutes'`,
      [later(45)],
    );
    expect(ended).toEqual([{ n: 0 }]);
  });

  it('answers null for a token that is not one it issued', async () => {
    const auth = ctx.app.get(AuthenticateSessionUseCase);
    expect(await auth.execute('A'.repeat(43), at(1))).toBeNull();
    expect(await auth.execute('short', at(1))).toBeNull();
    expect(await auth.execute(undefined, at(1))).toBeNull();
  });
});

describe(`${OrgDirectory.name}.validKeys (the gateway's recheck of open sockets)`, () => {
  it('keeps a live session’s socket, and drops it once its user needs a second factor it lacks or is disabled', async () => {
    const token = await signedInAt(new Date());
    const [row] = await ctx.sql<{ id: string; user_id: string }>(
      'SELECT id, user_id FROM sessions WHERE token_hash = $1',
      [hashSecretToken(token)],
    );
    const directory = ctx.app.get(OrgDirectory);
    expect(await directory.validKeys([row!.id])).toEqual(new Set([row!.id]));
    await ctx.sql(`UPDATE users SET role = 'admin' WHERE id = $1`, [row!.user_id]);
    expect(await directory.validKeys([row!.id])).toEqual(new Set());
    await ctx.sql(`UPDATE users SET role = 'reader', disabled_at = now() WHERE id = $1`, [row!.user_id]);
    expect(await directory.validKeys([row!.id])).toEqual(new Set());
    await ctx.sql(`UPDATE users SET disabled_at = NULL WHERE id = $1`, [row!.user_id]);
    expect(await directory.validKeys([row!.id])).toEqual(new Set([row!.id]));
  });

  it('drops a socket whose session went idle', async () => {
    const token = await signedInAt(new Date(Date.now() - 31 * 60_000));
    const [row] = await ctx.sql<{ id: string }>('SELECT id FROM sessions WHERE token_hash = $1', [
      hashSecretToken(token),
    ]);
    expect(await ctx.app.get(OrgDirectory).validKeys([row!.id])).toEqual(new Set());
  });
});
