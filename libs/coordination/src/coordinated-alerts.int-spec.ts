import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, CoordinatedSnapshot, SnapshotPart } from '@tocsin/domain';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { CoordinatedAlertsUseCase } from './coordinated-alerts.use-case';
import { snapshotToJson } from './coordinated-snapshot';
import { CoordinationModule } from './coordination.module';

let ctx: IntContext;
let useCase: CoordinatedAlertsUseCase;

const VIEWER = '00000000-0000-4000-8000-00000000000a';
const NAMED = '00000000-0000-4000-8000-00000000000b';
const actor = (orgId: string, role: Actor['role'] = 'reader'): Actor => ({
  keyId: '00000000-0000-4000-8000-0000000000ff',
  orgId,
  role,
  orgIsHub: false,
  trustLevel: 3,
});

beforeAll(async () => {
  ctx = await createIntContext([CoordinationModule]);
  useCase = ctx.app.get(CoordinatedAlertsUseCase);
});

afterAll(async () => {
  await ctx?.close();
});

const part = (n: number, country: string, tlp: SnapshotPart['tlp'], hour: number): SnapshotPart => ({
  alertId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  orgId: `org-${n}`,
  sourceOrgId: `org-${n}`,
  country,
  trustLevel: 3,
  tlp,
  recipients: tlp === 'RED' ? [NAMED] : [],
  reportedAt: new Date(Date.UTC(2026, 10, 28, hour)),
  indicatorKeys: ['ipv4:45.137.21.9'],
  cves: [],
  joinedVersion: 1,
});

/** A stored coordinated alert of three reports, the third RED when `red`, last reported at `hour`. */
async function stored(hour: number, red: boolean): Promise<string> {
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO coordinated_alerts (status, version, first_report, last_report, snapshot)
     VALUES ('active', 1, $1, $1, '{}') RETURNING id`,
    [new Date(Date.UTC(2026, 10, 28, hour))],
  );
  const id = row!.id;
  const base = hour * 10;
  const snapshot: CoordinatedSnapshot = {
    id,
    version: 1,
    status: 'active',
    previousStatus: 'active',
    parts: [
      part(base + 1, 'FR', 'GREEN', hour),
      part(base + 2, 'DE', 'GREEN', hour),
      part(base + 3, 'NL', red ? 'RED' : 'GREEN', hour),
    ],
  };
  await ctx.sql(`UPDATE coordinated_alerts SET snapshot = $2 WHERE id = $1`, [
    id,
    JSON.stringify(snapshotToJson(snapshot)),
  ]);
  return id;
}

describe(CoordinatedAlertsUseCase.name, () => {
  it('pages each caller’s own list newest first, skipping what it may not see without a trace in the cursor', async () => {
    // Newest first: 5 (hidden from VIEWER), 4, 3 (hidden), 2, 1.
    const ids: Record<number, string> = {};
    for (const [hour, red] of [
      [1, false],
      [2, false],
      [3, true],
      [4, false],
      [5, true],
    ] as const) {
      ids[hour] = await stored(hour, red);
    }
    const first = await useCase.list(actor(VIEWER), { status: null, limit: 2, cursor: null });
    expect(first.items.map((v) => v.id)).toEqual([ids[4], ids[2]]);
    expect(first.nextCursor).not.toBeNull();
    expect(first.nextCursor).toContain(ids[2]);
    const second = await useCase.list(actor(VIEWER), { status: null, limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[1] })], nextCursor: null });

    // The named recipient of the RED reports sees all five, and the RED ones whole.
    const named = await useCase.list(actor(NAMED), { status: 'active', limit: 10, cursor: null });
    expect(named.items.map((v) => v.id)).toEqual([ids[5], ids[4], ids[3], ids[2], ids[1]]);
    expect(named.items[0]).toMatchObject({ tlp: 'RED', orgCount: 3, countries: ['DE', 'FR', 'NL'] });
    expect(named.nextCursor).toBeNull();
  });

  it.each([
    [{ status: 'open' }, '?status'],
    [{ cursor: 'not-a-cursor' }, '?cursor'],
  ])('refuses %j, naming the parameter', async (bad, pointer) => {
    await expect(useCase.list(actor(VIEWER), { status: null, limit: 10, cursor: null, ...bad })).rejects.toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ pointer })],
    });
  });
});
