import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { AlertFeed } from './alert-feed';
import { DeliveryModule } from './delivery.module';
import { PublishAlertUseCase } from './publish-alert.use-case';

let ctx: IntContext;
let orgId: string;

beforeAll(async () => {
  ctx = await createIntContext([DeliveryModule]);
  [{ id: orgId }] = (await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level) VALUES ('CERT-Int', 'FR', 3) RETURNING id`,
  )) as [{ id: string }];
});

afterAll(async () => {
  await ctx?.close();
});

async function approvedAlerts(n: number, tlp = 'GREEN'): Promise<string[]> {
  const rows = await ctx.sql<{ id: string }>(
    `INSERT INTO alerts (source_org_id, title, severity, tlp, status, approved, source_format)
     SELECT $1, 'int ' || g, 'low', $3, 'normalized', true, 'native' FROM generate_series(1, $2) g RETURNING id`,
    [orgId, n, tlp],
  );
  return rows.map((r) => r.id);
}

describe(PublishAlertUseCase.name, () => {
  it('gives concurrent publications contiguous seqs whose commit order is their seq order', async () => {
    const publish = ctx.app.get(PublishAlertUseCase);
    const feed = ctx.app.get(AlertFeed);
    const ids = await approvedAlerts(60);
    const start = await feed.head();

    // A reader tails the log while 60 publications race: it must never skip a seq (a later seq visible
    // before an earlier one commits would be skipped for ever).
    const seen: number[] = [];
    let done = false;
    const reader = (async () => {
      let after = start;
      while (!done || after < start + ids.length) {
        for (const e of await feed.tail(after, 100)) {
          seen.push(e.seq);
          after = e.seq;
        }
      }
    })();
    const outcomes = await Promise.all(ids.map((alertId) => publish.execute({ alertId, requestId: null })));
    done = true;
    await reader;

    expect(outcomes.every((o) => o === 'published')).toBe(true);
    expect(seen).toEqual(Array.from({ length: ids.length }, (_, i) => start + i + 1));
    const rows = await ctx.sql<{ published_seq: string }>(
      `SELECT published_seq FROM alerts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(new Set(rows.map((r) => r.published_seq)).size).toBe(ids.length);
  });

  it('is idempotent: a redelivered publish job appends nothing', async () => {
    const publish = ctx.app.get(PublishAlertUseCase);
    const [id] = await approvedAlerts(1);
    expect(await publish.execute({ alertId: id!, requestId: null })).toBe('published');
    expect(await publish.execute({ alertId: id!, requestId: null })).toBe('skipped');
    const rows = await ctx.sql(`SELECT seq FROM publish_log WHERE alert_id = $1`, [id]);
    expect(rows).toHaveLength(1);
  });

  it('refuses to publish an alert that vetting has not approved', async () => {
    const publish = ctx.app.get(PublishAlertUseCase);
    const [{ id }] = (await ctx.sql<{ id: string }>(
      `INSERT INTO alerts (source_org_id, title, severity, tlp, status, approved, source_format)
       VALUES ($1, 'held', 'high', 'AMBER', 'pending_review', false, 'native') RETURNING id`,
      [orgId],
    )) as [{ id: string }];
    expect(await publish.execute({ alertId: id, requestId: null })).toBe('skipped');
    expect(await ctx.sql(`SELECT 1 FROM publish_log WHERE alert_id = $1`, [id])).toHaveLength(0);
  });

  it('replays to an org only what the policy lets it see', async () => {
    const feed = ctx.app.get(AlertFeed);
    const publish = ctx.app.get(PublishAlertUseCase);
    const before = await feed.head();
    const [amber] = await approvedAlerts(1, 'AMBER');
    const [green] = await approvedAlerts(1, 'GREEN');
    await publish.execute({ alertId: amber!, requestId: null });
    await publish.execute({ alertId: green!, requestId: null });
    const head = await feed.head();
    const provisional = await feed.replayPage(
      { orgId: '00000000-0000-4000-8000-000000000001', trustLevel: 1 },
      before,
      head,
      10,
    );
    expect(provisional.events.map((e) => e.entry.alertId)).toEqual([green]);
    const member = await feed.replayPage(
      { orgId: '00000000-0000-4000-8000-000000000001', trustLevel: 2 },
      before,
      head,
      10,
    );
    expect(member.events.map((e) => e.entry.alertId)).toEqual([amber, green]);
    const suspended = await feed.replayPage({ orgId: orgId, trustLevel: 0 }, before, head, 10);
    expect(suspended.events).toEqual([]);
  });
});
