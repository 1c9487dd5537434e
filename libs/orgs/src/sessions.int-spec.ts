import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@tocsin/domain';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { InviteUserUseCase } from './manage-users.use-case';
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

/** A reader who set a password at T0, signed in at T0: the session's cookie token. */
async function signedInAt(): Promise<string> {
  const email = `reader${++n}@cert-x.example`;
  const { inviteToken } = await ctx.app
    .get(InviteUserUseCase)
    .execute(hubAdmin(hubId), orgId, { email, role: 'reader' }, T0);
  await ctx.app.get(AcceptInviteUseCase).execute(inviteToken, { password: PASSWORD }, T0);
  return (await ctx.app.get(SignInUseCase).execute({ email, password: PASSWORD }, T0)).token;
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

  it('answers null for a token that is not one it issued', async () => {
    const auth = ctx.app.get(AuthenticateSessionUseCase);
    expect(await auth.execute('A'.repeat(43), at(1))).toBeNull();
    expect(await auth.execute('short', at(1))).toBeNull();
    expect(await auth.execute(undefined, at(1))).toBeNull();
  });
});
