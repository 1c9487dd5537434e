import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '@tocsin/db';
import type { Actor, IdempotencyClaim } from '@tocsin/domain';
import { Conflict, Unprocessable } from '@tocsin/platform';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { AlertsModule } from './alerts.module';
import { IdempotencyRepository, IdempotentReplay } from './idempotency.repository';
import { SubmitAlertUseCase } from './submit-alert.use-case';

let ctx: IntContext;
let submit: SubmitAlertUseCase;
let keys: IdempotencyRepository;
let db: Db;
let actor: Actor;

beforeAll(async () => {
  ctx = await createIntContext([AlertsModule]);
  submit = ctx.app.get(SubmitAlertUseCase);
  keys = ctx.app.get(IdempotencyRepository);
  db = ctx.app.get(Db);
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level) VALUES ('CERT-Idem', 'FR', 3) RETURNING id`,
  );
  actor = { keyId: randomUUID(), orgId: row!.id, role: 'operator', orgIsHub: false, trustLevel: 3 };
});

afterAll(async () => {
  await ctx?.close();
});

const claim = (key: string, fingerprint = 'a'.repeat(64)): IdempotencyClaim => ({ key, fingerprint });
const input = (title: string, idempotency: IdempotencyClaim) => ({
  body: {
    kind: 'json' as const,
    value: { title, tlp: 'GREEN', indicators: [{ type: 'ipv4', value: '192.0.2.8' }] },
  },
  contentType: 'application/json',
  query: {},
  idempotency,
});

async function count(title: string): Promise<number> {
  const [row] = await ctx.sql<{ n: string }>('SELECT count(*) AS n FROM alerts WHERE title = $1', [title]);
  return Number(row?.n);
}

describe(SubmitAlertUseCase.name, () => {
  it('records the answer with the alert; a keyed retry reaching the transaction replays it and creates nothing', async () => {
    const first = await submit.execute(actor, input('Idem once', claim('k1')), null);
    const rows = await ctx.sql<{ response: unknown }>('SELECT response FROM idempotency_keys WHERE key = $1', ['k1']);
    expect(rows[0]?.response).toEqual(first);
    const retry = submit.execute(actor, input('Idem once', claim('k1')), null);
    await expect(retry).rejects.toBeInstanceOf(IdempotentReplay);
    await expect(retry).rejects.toMatchObject({ answer: first });
    expect(await count('Idem once')).toBe(1);
  });

  it('refuses the same key with another fingerprint (422) and creates nothing', async () => {
    await submit.execute(actor, input('Idem first body', claim('k2')), null);
    await expect(
      submit.execute(actor, input('Idem second body', claim('k2', 'b'.repeat(64))), null),
    ).rejects.toBeInstanceOf(Unprocessable);
    expect(await count('Idem second body')).toBe(0);
  });

  it('answers 409 while another transaction holds the key, and writes nothing', async () => {
    await db.transaction(async (tx) => {
      await keys.claim(tx, actor.orgId, claim('k3'));
      await expect(submit.execute(actor, input('Idem in flight', claim('k3')), null)).rejects.toBeInstanceOf(Conflict);
    });
    expect(await count('Idem in flight')).toBe(0);
  });
});

describe(IdempotencyRepository.name, () => {
  it('deletes a bounded batch of expired records when it records one', async () => {
    await ctx.sql(
      `INSERT INTO idempotency_keys (org_id, key, fingerprint, response, expires_at)
       SELECT $1, 'old-' || i, 'f', '{}'::json, now() - interval '1 hour' FROM generate_series(1, 150) i`,
      [actor.orgId],
    );
    await db.transaction((tx) => keys.record(tx, actor.orgId, claim('k4'), { id: 'x' }));
    const [left] = await ctx.sql<{ n: string }>(`SELECT count(*) AS n FROM idempotency_keys WHERE key LIKE 'old-%'`);
    expect(Number(left?.n)).toBe(50);
    expect(await keys.replayable(actor.orgId, claim('k4'))).toEqual({ answer: { id: 'x' } });
  });

  it('does not replay an expired record', async () => {
    await db.transaction((tx) => keys.record(tx, actor.orgId, claim('k5'), { id: 'y' }));
    await ctx.sql(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'k5'`);
    expect(await keys.replayable(actor.orgId, claim('k5'))).toBeNull();
    await db.transaction((tx) => keys.record(tx, actor.orgId, claim('k5', 'c'.repeat(64)), { id: 'z' }));
    expect(await keys.replayable(actor.orgId, claim('k5', 'c'.repeat(64)))).toEqual({ answer: { id: 'z' } });
  });
});
