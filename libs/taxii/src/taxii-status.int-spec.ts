import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@tocsin/domain';
import { Forbidden, NotFound, TooLarge, Unprocessable } from '@tocsin/platform';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import { TaxiiModule } from './taxii.module';
import { TaxiiStatusRepository } from './taxii-status.repository';
import { DeleteTaxiiObjectUseCase, EnvelopeSubmissionUseCase, GetTaxiiStatusUseCase } from './taxii-write.providers';

let ctx: IntContext;
let submit: EnvelopeSubmissionUseCase;
let getStatus: GetTaxiiStatusUseCase;
let del: DeleteTaxiiObjectUseCase;
let repo: TaxiiStatusRepository;
let sender: Actor;
let other: Actor;

async function org(name: string): Promise<string> {
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level) VALUES ($1, 'FR', 3) RETURNING id`,
    [name],
  );
  return row!.id;
}

beforeAll(async () => {
  ctx = await createIntContext([TaxiiModule]);
  submit = ctx.app.get(EnvelopeSubmissionUseCase);
  getStatus = ctx.app.get(GetTaxiiStatusUseCase);
  del = ctx.app.get(DeleteTaxiiObjectUseCase);
  repo = ctx.app.get(TaxiiStatusRepository);
  const actor = (orgId: string): Actor => ({
    keyId: randomUUID(),
    orgId,
    role: 'operator',
    orgIsHub: false,
    trustLevel: 3,
  });
  sender = actor(await org('CERT-Taxii-Sender'));
  other = actor(await org('CERT-Taxii-Other'));
});

afterAll(async () => {
  await ctx?.close();
});

const indicator = (pattern: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2026-12-01T00:00:00.000Z',
  modified: '2026-12-02T00:00:00.000Z',
  name: 'C2',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-12-01T00:00:00Z',
});

async function alertStatus(id: string): Promise<string | undefined> {
  const [row] = await ctx.sql<{ status: string }>('SELECT status FROM alerts WHERE id = $1', [id]);
  return row?.status;
}

async function alertOf(statusId: string): Promise<string> {
  const [row] = await ctx.sql<{ alert_id: string }>('SELECT alert_id FROM taxii_statuses WHERE id = $1', [statusId]);
  return row!.alert_id;
}

describe(EnvelopeSubmissionUseCase.name, () => {
  it('commits the alert and the status together; the status is pending until the alert is published', async () => {
    const good = indicator("[ipv4-addr:value = '198.51.100.7']");
    const answer = await submit.execute(sender, { objects: [good] }, null);
    expect(answer).toMatchObject({ status: 'pending', total_count: 1, pending_count: 1, success_count: 0 });
    expect(answer.pendings).toEqual([{ id: good.id, version: good.modified }]);
    const alertId = await alertOf(answer.id);
    expect(await alertStatus(alertId)).toBe('queued');

    await ctx.sql(`UPDATE alerts SET status = 'published' WHERE id = $1`, [alertId]);
    expect(await getStatus.execute(sender, answer.id)).toMatchObject({
      status: 'complete',
      success_count: 1,
      successes: [{ id: good.id, version: good.modified }],
      pending_count: 0,
    });
  });

  it('refuses the objects the importer refuses, with its reason, and submits the rest', async () => {
    const good = indicator("[domain-name:value = 'c2.example.net']");
    const bad = indicator("[ipv4-addr:value = '198.51.100.8'");
    const answer = await submit.execute(sender, { objects: [bad, good] }, null);
    expect(answer).toMatchObject({ total_count: 2, failure_count: 1, pending_count: 1 });
    expect(answer.failures[0]).toMatchObject({ id: bad.id, version: bad.modified });
    expect(answer.failures[0]!.message).toMatch(/^\/pattern: .*offset/);
    const [row] = await ctx.sql<{ n: number }>('SELECT indicator_count AS n FROM alerts WHERE id = $1', [
      await alertOf(answer.id),
    ]);
    expect(row!.n).toBe(1);
  });

  it('fails every object, creating no alert, when the pipeline refuses them together', async () => {
    const red = {
      ...indicator("[ipv4-addr:value = '198.51.100.9']"),
      object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'],
    };
    const answer = await submit.execute(sender, { objects: [red] }, null);
    expect(answer).toMatchObject({ status: 'complete', failure_count: 1, pending_count: 0 });
    expect(answer.failures[0]!.message).toContain('refused together');
    expect(await alertOf(answer.id)).toBeNull();
  });

  it.each([
    ['not an envelope', 'x', Unprocessable],
    ['an object without a STIX id', { objects: [{ type: 'indicator' }] }, Unprocessable],
    ['too many objects', { objects: Array.from({ length: 10_001 }, () => indicator('[x:y = 1]')) }, TooLarge],
  ])('refuses %s whole, storing nothing', async (_name, body, error) => {
    const before = await ctx.sql<{ n: string }>('SELECT count(*) AS n FROM taxii_statuses');
    await expect(submit.execute(sender, body, null)).rejects.toBeInstanceOf(error);
    expect(await ctx.sql('SELECT count(*) AS n FROM taxii_statuses')).toEqual(before);
  });

  it('refuses a key that may not submit (403)', async () => {
    await expect(
      submit.execute({ ...sender, role: 'reader' }, { objects: [indicator('[x:y = 1]')] }, null),
    ).rejects.toBeInstanceOf(Forbidden);
  });
});

describe(TaxiiStatusRepository.name, () => {
  it('finds a status only for the org that sent it, and not once expired', async () => {
    const answer = await submit.execute(sender, { objects: [indicator("[ipv4-addr:value = '198.51.100.10']")] }, null);
    expect(await repo.findOwn(sender.orgId, answer.id)).toMatchObject({ id: answer.id });
    expect(await repo.findOwn(other.orgId, answer.id)).toBeNull();
    await expect(getStatus.execute(other, answer.id)).rejects.toBeInstanceOf(NotFound);
    expect(await repo.findOwn(sender.orgId, 'not-a-uuid')).toBeNull();

    await ctx.sql(`UPDATE taxii_statuses SET expires_at = now() - interval '1 second' WHERE id = $1`, [answer.id]);
    expect(await repo.findOwn(sender.orgId, answer.id)).toBeNull();
  });

  it('deletes expired statuses as new ones are stored', async () => {
    const old = await submit.execute(sender, { objects: [indicator("[ipv4-addr:value = '198.51.100.11']")] }, null);
    await ctx.sql(`UPDATE taxii_statuses SET expires_at = now() - interval '1 day' WHERE id = $1`, [old.id]);
    await submit.execute(sender, { objects: [indicator("[ipv4-addr:value = '198.51.100.12']")] }, null);
    expect(await ctx.sql('SELECT id FROM taxii_statuses WHERE id = $1', [old.id])).toEqual([]);
  });

  it('finds the alerts an org’s accepted object went into, never a refused one or another org’s', async () => {
    const good = indicator("[ipv4-addr:value = '198.51.100.13']");
    const bad = indicator("[ipv4-addr:value = '198.51.100.14'");
    const answer = await submit.execute(sender, { objects: [good, bad] }, null);
    const alertId = await alertOf(answer.id);
    expect(await repo.alertsHolding(sender.orgId, good.id)).toEqual([{ alertId, version: good.modified }]);
    expect(await repo.alertsHolding(sender.orgId, bad.id)).toEqual([]);
    expect(await repo.alertsHolding(other.orgId, good.id)).toEqual([]);
  });
});

describe(DeleteTaxiiObjectUseCase.name, () => {
  it('revokes the alert the object went into, then answers 404 for it', async () => {
    const good = indicator("[ipv4-addr:value = '198.51.100.15']");
    const answer = await submit.execute(sender, { objects: [good] }, null);
    await expect(del.execute(other, good.id, {})).rejects.toBeInstanceOf(NotFound);
    await expect(del.execute({ ...sender, role: 'reader' }, good.id, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(del.execute(sender, good.id, { version: ['2020-01-01T00:00:00.000Z'] })).rejects.toBeInstanceOf(
      NotFound,
    );
    await del.execute(sender, good.id, { version: [good.modified] });
    expect(await alertStatus(await alertOf(answer.id))).toBe('revoked');
    await expect(del.execute(sender, good.id, {})).rejects.toBeInstanceOf(NotFound);
  });
});
