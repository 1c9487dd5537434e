import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@tocsin/domain';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { DeliveryEngine, type SocketPort } from './delivery-engine';
import { DeliveryModule } from './delivery.module';
import { SubscriptionsUseCase } from './subscriptions.use-case';

let ctx: IntContext;
let subscriptions: SubscriptionsUseCase;
let engine: DeliveryEngine;

const ORG = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const actor = (orgId: string): Actor => ({
  keyId: '00000000-0000-4000-8000-0000000000ff',
  orgId,
  role: 'reader',
  orgIsHub: false,
  trustLevel: 3,
});

/** A socket the engine can hold: it records what it is sent and never falls behind. */
function port(id: string, orgId: string): SocketPort & { sent: { name: string; body: object }[] } {
  const sent: { name: string; body: object }[] = [];
  return {
    id,
    orgId,
    keyId: '00000000-0000-4000-8000-0000000000ff',
    connected: true,
    sent,
    emit: (name, body) => void sent.push({ name, body }),
    disconnect: () => undefined,
    backlog: () => 0,
    drained: () => Promise.resolve(),
  };
}

beforeAll(async () => {
  ctx = await createIntContext([DeliveryModule]);
  subscriptions = ctx.app.get(SubscriptionsUseCase);
  engine = ctx.app.get(DeliveryEngine);
  // Three entries in the publish log: a new subscription's cursor starts at its head.
  await ctx.sql(
    `INSERT INTO publish_log (seq, event, alert_id, tlp, source_org_id, recipients, payload)
     SELECT g, 'alert', gen_random_uuid(), 'GREEN', $1, '{}', '{}' FROM generate_series(1, 3) g`,
    [OTHER],
  );
});

afterAll(async () => {
  await ctx?.close();
});

describe(SubscriptionsUseCase.name, () => {
  it('starts a new subscription’s cursor at the publish log’s head, and scopes it to its organisation', async () => {
    const s = await subscriptions.create(actor(ORG), { name: 'all' });
    expect(s.ackedSeq).toBe(3);
    await expect(subscriptions.get(actor(OTHER), s.id)).rejects.toMatchObject({ code: 'subscription-not-found' });
    await expect(subscriptions.update(actor(OTHER), s.id, { name: 'x' })).rejects.toMatchObject({
      code: 'subscription-not-found',
    });
    await expect(subscriptions.remove(actor(OTHER), s.id)).rejects.toMatchObject({ code: 'subscription-not-found' });
    expect((await subscriptions.get(actor(ORG), s.id)).name).toBe('all');
  });
});

describe(DeliveryEngine.name, () => {
  it('resolves a handshake’s subscriptions only within the organisation, resuming after the lowest ack', async () => {
    const a = await subscriptions.create(actor(ORG), {});
    const b = await subscriptions.create(actor(ORG), {});
    await ctx.sql(`UPDATE subscriptions SET acked_seq = 1 WHERE id = $1`, [a.id]);
    expect(await engine.prepare({ orgId: OTHER, trustLevel: 3 }, [a.id], null)).toBe('not-found');
    expect(await engine.prepare({ orgId: ORG, trustLevel: 3 }, [a.id, b.id], null)).toMatchObject({
      startAfter: 1,
      subscriptions: [{ id: a.id }, { id: b.id }],
    });
    expect(await engine.prepare({ orgId: ORG, trustLevel: 3 }, [b.id], 2)).toMatchObject({ startAfter: 2 });
    expect(await engine.prepare({ orgId: ORG, trustLevel: 3 }, [], null)).toMatchObject({ startAfter: null });
  });

  it('stores acks in one write per batch, never moving a cursor back', async () => {
    const s = await subscriptions.create(actor(ORG), {});
    const p1 = port('p1', ORG);
    const p2 = port('p2', ORG);
    for (const p of [p1, p2]) {
      engine.attach(p, { trustLevel: 3, subscriptions: [{ id: s.id, filter: {} }], startAfter: 3 });
    }
    const answers = await Promise.all([
      engine.ack('p1', { seq: 3 }),
      engine.ack('p2', { seq: 2 }),
      engine.ack('p2', { subscription: s.id, seq: 1 }),
    ]);
    expect(answers.every((x) => x.ok)).toBe(true);
    expect((await subscriptions.get(actor(ORG), s.id)).ackedSeq).toBe(3);
    expect(await engine.ack('p1', { seq: 0 })).toMatchObject({ ok: true });
    expect((await subscriptions.get(actor(ORG), s.id)).ackedSeq).toBe(3);
    expect(await engine.ack('p1', { seq: 4 })).toMatchObject({ ok: false });
    expect(await engine.ack('p1', { seq: 1.5 })).toMatchObject({ ok: false });
    expect(await engine.ack('nobody', { seq: 1 })).toMatchObject({ ok: false, error: 'not-connected' });
    engine.detach('p1');
    engine.detach('p2');
  });
});
