import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor, TlpLabel, TrustLevel } from '@tocsin/domain';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { ConstituencyRouter } from './constituency-router';
import { ConstituencyRepository } from './constituency.repository';
import { GetConstituencyUseCase, SetConstituencyUseCase } from './constituency.use-case';
import { DeliveryModule } from './delivery.module';
import type { LogEntry } from '@tocsin/db';

let ctx: IntContext;
let router: ConstituencyRouter;
let setConstituency: SetConstituencyUseCase;
const org: Record<'submitter' | 'member' | 'provisional' | 'named' | 'plain', { id: string; trust: TrustLevel }> =
  {} as never;

const admin = (orgId: string): Actor => ({
  keyId: randomUUID(),
  orgId,
  role: 'admin',
  orgIsHub: false,
  trustLevel: 3,
});

let seq = 1_000;
function entry(tlp: TlpLabel, payload: Record<string, unknown> = {}, recipients: string[] = []): LogEntry {
  seq += 1;
  return {
    seq,
    event: 'alert',
    alertId: randomUUID(),
    coordinatedAlertId: null,
    tlp,
    sourceOrgId: org.submitter.id,
    recipients,
    payload: {
      countries: [],
      indicators: [{ type: 'ipv4', value: '91.203.5.17', flags: [] }],
      indicatorChunks: { size: 5000, count: 1 },
      ...payload,
    },
    publishedAt: new Date(),
    sourceOrgName: null,
  };
}

const subscribers = () => Object.values(org).map((o) => ({ orgId: o.id, trustLevel: o.trust }));
const nameOf = (id: string) => Object.entries(org).find(([, o]) => o.id === id)?.[0];

beforeAll(async () => {
  ctx = await createIntContext([DeliveryModule]);
  router = ctx.app.get(ConstituencyRouter);
  setConstituency = ctx.app.get(SetConstituencyUseCase);
  const trusts = { submitter: 3, member: 2, provisional: 1, named: 3, plain: 3 } as const;
  for (const [name, trust] of Object.entries(trusts)) {
    const [row] = await ctx.sql<{ id: string }>(
      `INSERT INTO orgs (name, country, trust_level) VALUES ($1, 'FR', $2) RETURNING id`,
      [`CERT-${name}-${randomUUID().slice(0, 6)}`, trust],
    );
    org[name as keyof typeof org] = { id: row!.id, trust };
  }
  // Everyone but `plain` (which sets none) holds the same network.
  for (const name of ['submitter', 'member', 'provisional', 'named'] as const) {
    await setConstituency.execute(admin(org[name].id), org[name].id, { cidrs: ['91.203.5.0/24'] });
  }
});

afterAll(async () => {
  await ctx?.close();
});

describe(ConstituencyRouter.name, () => {
  it.each<[TlpLabel, string[]]>([
    ['CLEAR', ['member', 'named', 'provisional', 'submitter']],
    ['GREEN', ['member', 'named', 'provisional', 'submitter']],
    ['AMBER', ['member', 'named', 'submitter']],
    ['AMBER+STRICT', ['member', 'named', 'submitter']],
    ['RED', ['named', 'submitter']],
  ])('routes a %s alert’s hit to exactly %j (TLP and trust first)', async (tlp, expected) => {
    const e = entry(tlp, {}, [org.named.id]);
    const hits = await router.hitsFor(e, subscribers(), new Date());
    expect([...hits.keys()].map(nameOf).sort()).toEqual(expected);
    for (const hit of hits.values()) {
      expect(hit).toEqual({
        seq: e.seq,
        alertId: e.alertId,
        countries: [],
        matchCount: 1,
        indicators: [{ type: 'ipv4', value: '91.203.5.17', matched: { kind: 'cidr', value: '91.203.5.0/24' } }],
      });
    }
    // Replay's page form decides the same, subscriber by subscriber.
    for (const s of subscribers()) {
      const page = await router.hitsForSubscriber([e], s, new Date());
      expect(page.get(e.seq) ?? null).toEqual(hits.get(s.orgId) ?? null);
    }
  });

  it('gives no hit on an alert past its validUntil, nor on a suspended org', async () => {
    const expired = entry('GREEN', { validUntil: new Date(Date.now() - 60_000).toISOString() });
    expect((await router.hitsFor(expired, subscribers(), new Date())).size).toBe(0);
    const live = entry('GREEN');
    const suspended = await router.hitsFor(live, [{ orgId: org.member.id, trustLevel: 0 }], new Date());
    expect(suspended.size).toBe(0);
  });

  it('follows a change of constituency from the next entry on, and forgets an emptied one', async () => {
    const domain = entry('GREEN', { indicators: [{ type: 'domain', value: 'www.h7-int.example', flags: [] }] });
    const s = [{ orgId: org.member.id, trustLevel: org.member.trust }];
    expect((await router.hitsFor(domain, s, new Date())).size).toBe(0);
    await setConstituency.execute(admin(org.member.id), org.member.id, { domains: ['h7-int.example'] });
    const hits = await router.hitsFor(domain, s, new Date());
    expect(hits.get(org.member.id)?.indicators[0]?.matched).toEqual({ kind: 'domain', value: 'h7-int.example' });
    await setConstituency.execute(admin(org.member.id), org.member.id, {});
    expect((await router.hitsFor(domain, s, new Date())).size).toBe(0);
    const view = await ctx.app.get(GetConstituencyUseCase).execute(admin(org.member.id), org.member.id);
    expect(view).toMatchObject({ version: 3, cidrs: [], domains: [] });
  });

  it('reads and indexes an org’s constituency once per change, not once per alert routed', async () => {
    const [row] = await ctx.sql<{ id: string }>(
      `INSERT INTO orgs (name, country, trust_level) VALUES ($1, 'FR', 3) RETURNING id`,
      [`CERT-once-${randomUUID().slice(0, 6)}`],
    );
    const id = row!.id;
    const s = [{ orgId: id, trustLevel: 3 as const }];
    const reads = vi.spyOn(ctx.app.get(ConstituencyRepository), 'findForOrg');
    const readsFor = () => reads.mock.calls.filter(([orgId]) => orgId === id).length;
    /** Routes entries one by one (as the tail does) and answers how many hit and how often the constituency was read. */
    const route = async (n: number) => {
      const before = readsFor();
      let hits = 0;
      for (let i = 0; i < n; i++) {
        hits += (await router.hitsFor(entry('GREEN'), s, new Date())).size;
      }
      return { hits, reads: readsFor() - before };
    };
    try {
      await setConstituency.execute(admin(id), id, { cidrs: ['91.203.5.0/24'] });
      expect(await route(20)).toEqual({ hits: 20, reads: 1 });
      expect(await route(20)).toEqual({ hits: 20, reads: 0 });
      // Replay's page form shares the same index.
      const before = readsFor();
      expect((await router.hitsForSubscriber([entry('GREEN'), entry('GREEN')], s[0]!, new Date())).size).toBe(2);
      expect(readsFor()).toBe(before);
      await setConstituency.execute(admin(id), id, { cidrs: ['91.203.0.0/16'] });
      expect(await route(20)).toEqual({ hits: 20, reads: 1 });
      await setConstituency.execute(admin(id), id, { domains: ['h7-once.example'] });
      expect(await route(5)).toEqual({ hits: 0, reads: 1 });
    } finally {
      reads.mockRestore();
    }
  });

  it('matches on the alert’s targeted countries alone', async () => {
    await setConstituency.execute(admin(org.plain.id), org.plain.id, { countries: ['PT'] });
    const e = entry('GREEN', { countries: ['ES', 'PT'] });
    const hits = await router.hitsFor(e, [{ orgId: org.plain.id, trustLevel: 3 }], new Date());
    expect(hits.get(org.plain.id)).toMatchObject({ countries: ['PT'], indicators: [], matchCount: 0 });
  });
});
