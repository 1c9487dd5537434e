import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { VetAlertUseCase } from './vet-alert.use-case';
import { VettingModule } from './vetting.module';

let ctx: IntContext;

beforeAll(async () => {
  ctx = await createIntContext([VettingModule]);
});

afterAll(async () => {
  await ctx?.close();
});

/** `n` normalized alerts, each of its own trust-3 organisation, all holding `value`. */
async function normalizedAlerts(n: number, value: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const [org] = await ctx.sql<{ id: string }>(
      `INSERT INTO orgs (name, country, trust_level) VALUES ($1, 'FR', 3) RETURNING id`,
      [`CERT-Vet-${value}-${i}`],
    );
    const [a] = await ctx.sql<{ id: string }>(
      `INSERT INTO alerts (source_org_id, title, severity, tlp, status, source_format)
       VALUES ($1, 'vet', 'low', 'GREEN', 'normalized', 'native') RETURNING id`,
      [org!.id],
    );
    await ctx.sql(
      `INSERT INTO indicators (alert_id, position, type, raw_value, canonical_value) VALUES ($1, 0, 'ipv4', $2, $2)`,
      [a!.id, value],
    );
    ids.push(a!.id);
  }
  return ids;
}

describe(VetAlertUseCase.name, () => {
  it('vets many reports of one value at once without deadlock, linking every pair exactly once each way', async () => {
    const vet = ctx.app.get(VetAlertUseCase);
    const ids = await normalizedAlerts(12, '31.41.59.26');
    const outcomes = await Promise.all(ids.map((alertId) => vet.execute({ alertId, requestId: null })));
    expect(outcomes).toEqual(ids.map(() => 'publish'));
    const links = await ctx.sql<{ n: string }>(
      `SELECT count(*) AS n FROM alert_links WHERE alert_id = ANY($1::uuid[]) AND linked_alert_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(Number(links[0]!.n)).toBe(ids.length * (ids.length - 1));
  });
});
