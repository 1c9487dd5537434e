import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '@tocsin/db';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { AlertLinkRepository } from './alert-link.repository';
import { CoordinationModule } from './coordination.module';

let ctx: IntContext;
let links: AlertLinkRepository;
let db: Db;
const orgs: string[] = [];
const HOUR = 3_600_000;

beforeAll(async () => {
  ctx = await createIntContext([CoordinationModule]);
  links = ctx.app.get(AlertLinkRepository);
  db = ctx.app.get(Db);
  for (const [i, country] of ['FR', 'DE', 'NL', 'PL'].entries()) {
    const [row] = await ctx.sql<{ id: string }>(
      `INSERT INTO orgs (name, country, trust_level) VALUES ($1, $2, 3) RETURNING id`,
      [`CERT-Link-${i}`, country],
    );
    orgs.push(row!.id);
  }
});

afterAll(async () => {
  await ctx?.close();
});

interface Ind {
  readonly value: string;
  readonly type?: string;
  readonly warning?: boolean;
  readonly flags?: string[];
}

let counter = 0;

/** An alert of `org` with these canonical indicators, submitted `hoursAgo` hours ago. */
async function alert(
  org: number,
  indicators: readonly (string | Ind)[],
  opts: { status?: string; hoursAgo?: number } = {},
): Promise<string> {
  counter++;
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO alerts (source_org_id, title, severity, tlp, status, source_format, submitted_at)
     VALUES ($1, $2, 'low', 'GREEN', $3, 'native', now() - $4 * interval '1 hour') RETURNING id`,
    [orgs[org], `link ${counter}`, opts.status ?? 'published', opts.hoursAgo ?? 0],
  );
  const id = row!.id;
  for (const [position, raw] of indicators.entries()) {
    const i: Ind = typeof raw === 'string' ? { value: raw } : raw;
    await ctx.sql(
      `INSERT INTO indicators (alert_id, position, type, raw_value, canonical_value, warning_list, warning_reason, flags)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`,
      [
        id,
        position,
        i.type ?? 'ipv4',
        i.value,
        i.warning ? 'test-list' : null,
        i.warning ? 'a test list' : null,
        i.flags ?? (i.warning ? ['warning-listed'] : []),
      ],
    );
  }
  return id;
}

const link = (
  id: string,
  org: number,
  opts: { windowHours?: number; maxAlertsPerKey?: number; maxKeys?: number } = {},
) =>
  db.transaction((tx) =>
    links.link(
      id,
      orgs[org]!,
      new Date(Date.now() - (opts.windowHours ?? 72) * HOUR),
      opts.maxAlertsPerKey ?? 20,
      opts.maxKeys ?? 200,
      tx,
    ),
  );

const linkedIds = async (id: string): Promise<string[]> => (await links.linked(id)).map((l) => l.alertId).sort();

describe(AlertLinkRepository.name, () => {
  it('links alerts of other organisations sharing values, both ways, with what they share', async () => {
    const a = await alert(0, ['5.1.1.1', '5.1.1.2', { type: 'domain', value: 'bad-5.example.org' }]);
    const b0 = await alert(1, ['5.1.1.1']);
    const b = await alert(1, [{ type: 'domain', value: 'bad-5.example.org' }, '5.1.1.2', '5.1.1.9']);
    const mine = await alert(2, ['5.1.1.1', '5.1.1.2']);
    const ownOther = await alert(2, ['5.1.1.1']);
    expect(await link(mine, 2)).toBe(3);
    expect(await linkedIds(mine)).toEqual([a, b, b0].sort());
    // Never to its own organisation's alerts; and the link is there from the other side too.
    expect(await linkedIds(mine)).not.toContain(ownOther);
    expect(await linkedIds(a)).toEqual([mine]);
    const toA = (await links.linked(mine)).find((l) => l.alertId === a)!;
    expect(toA).toMatchObject({ sharedCount: 2, sharedKeys: ['ipv4:5.1.1.1', 'ipv4:5.1.1.2'], country: 'FR' });
  });

  it('compares type and value: the same text as another type does not link', async () => {
    const a = await alert(0, [{ type: 'domain', value: '6.0.0.1.in-addr.example' }]);
    const mine = await alert(1, [{ type: 'url', value: '6.0.0.1.in-addr.example' }]);
    expect(await link(mine, 1)).toBe(0);
    expect(await linkedIds(a)).toEqual([]);
  });

  it('never links through warning-listed values or values flagged false-positive', async () => {
    await alert(0, [
      { value: '7.7.7.1', warning: true },
      { value: '7.7.7.2', flags: ['false-positive'] },
    ]);
    const mine = await alert(1, ['7.7.7.1', '7.7.7.2', { value: '7.7.7.3', warning: true }]);
    await alert(2, [{ value: '7.7.7.3' }]);
    expect(await link(mine, 1)).toBe(0);
  });

  it('leaves out rejected and revoked alerts, and those submitted before the window', async () => {
    await alert(0, ['8.8.4.1'], { status: 'rejected' });
    await alert(0, ['8.8.4.1'], { status: 'revoked' });
    await alert(2, ['8.8.4.1'], { hoursAgo: 80 });
    const held = await alert(3, ['8.8.4.1'], { status: 'pending_review', hoursAgo: 71 });
    const mine = await alert(1, ['8.8.4.1']);
    expect(await link(mine, 1)).toBe(1);
    expect(await linkedIds(mine)).toEqual([held]);
  });

  it('stops counting a value held by more alerts than the limit (in the window), like MISP’s correlation limit', async () => {
    // 9.9.9.1 is held by 4 other alerts, 9.9.9.2 by 1: with a limit of 4 alerts holding a value (this one included),
    // the first no longer links anything.
    const popular = [await alert(0, ['9.9.9.1']), await alert(2, ['9.9.9.1']), await alert(3, ['9.9.9.1'])];
    const rare = await alert(0, ['9.9.9.1', '9.9.9.2']);
    const mine = await alert(1, ['9.9.9.1', '9.9.9.2']);
    expect(await link(mine, 1, { maxAlertsPerKey: 4 })).toBe(1);
    const onlyRare = await links.linked(mine);
    expect(onlyRare.map((l) => [l.alertId, l.sharedKeys])).toEqual([[rare, ['ipv4:9.9.9.2']]]);
    // At the limit exactly (5 holders, limit 5), it counts again.
    expect(await link(mine, 1, { maxAlertsPerKey: 5 })).toBe(4);
    expect(await linkedIds(mine)).toEqual([...popular, rare].sort());
  });

  it('stores at most maxKeys shared values per link, sorted, and counts them all', async () => {
    const values = Array.from({ length: 30 }, (_, i) => `10.20.30.${i + 10}`);
    await alert(0, values);
    const mine = await alert(1, values);
    await link(mine, 1, { maxKeys: 5 });
    const [l] = await links.linked(mine);
    expect(l).toMatchObject({
      sharedCount: 30,
      sharedKeys: [...values]
        .sort()
        .slice(0, 5)
        .map((v) => `ipv4:${v}`),
    });
  });
});
