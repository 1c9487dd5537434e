import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALERT_STATUSES,
  mayPerform,
  TLP_LABELS,
  type Actor,
  type AlertStatus,
  type Role,
  type TlpLabel,
  type TrustLevel,
} from '@tocsin/domain';
import { createIntContext, type IntContext } from '../../../test/harness/int-module';
import type { AlertRecord } from './alert.repository';
import { AlertsModule } from './alerts.module';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { mayView, reviewerMinTrust } from './get-alert.use-case';
import { ListAlertsUseCase } from './list-alerts.use-case';
import { LookupIndicatorUseCase } from './lookup-indicator.use-case';

let ctx: IntContext;
let list: ListAlertsUseCase;
let lookup: LookupIndicatorUseCase;

beforeAll(async () => {
  ctx = await createIntContext([AlertsModule]);
  list = ctx.app.get(ListAlertsUseCase);
  lookup = ctx.app.get(LookupIndicatorUseCase);
});

afterAll(async () => {
  await ctx?.close();
});

async function org(name: string, country: string, trust = 3, isHub = false): Promise<string> {
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO orgs (name, country, trust_level, is_hub) VALUES ($1, $2, $3, $4) RETURNING id`,
    [name, country, trust, isHub],
  );
  return row!.id;
}

interface Seed {
  readonly org: string;
  readonly title?: string;
  readonly description?: string | null;
  readonly status?: AlertStatus;
  readonly tlp?: TlpLabel;
  readonly severity?: string;
  readonly recipients?: readonly string[];
  readonly classification?: readonly [string, string];
  /** SQL expression for submitted_at. */
  readonly at?: string;
  readonly firstSeen?: string | null;
  readonly lastSeen?: string | null;
  /** [type, canonical value, warning-listed?] */
  readonly indicators?: readonly (readonly [string, string, boolean?])[];
}

async function alert(s: Seed): Promise<string> {
  const [row] = await ctx.sql<{ id: string }>(
    `INSERT INTO alerts (source_org_id, title, description, severity, tlp, status, source_format, recipients,
                         classification_taxonomy, classification_type, first_seen, last_seen, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'native', $7, $8, $9, $10, $11, ${s.at ?? 'now()'}) RETURNING id`,
    [
      s.org,
      s.title ?? 'an alert',
      s.description ?? null,
      s.severity ?? 'medium',
      s.tlp ?? 'GREEN',
      s.status ?? 'published',
      s.recipients ?? [],
      s.classification?.[0] ?? null,
      s.classification?.[1] ?? null,
      s.firstSeen ?? null,
      s.lastSeen ?? null,
    ],
  );
  for (const [position, [type, value, warned]] of (s.indicators ?? []).entries()) {
    await ctx.sql(
      `INSERT INTO indicators (alert_id, position, type, raw_value, canonical_value, warning_list, warning_reason)
       VALUES ($1, $2, $3, $4, $4, $5, $6)`,
      [row!.id, position, type, value, warned ? 'test-list' : null, warned ? 'a test list' : null],
    );
  }
  return row!.id;
}

const actor = (orgId: string, trustLevel: TrustLevel, role: Role = 'reader', orgIsHub = false): Actor => ({
  keyId: 'k',
  orgId,
  role,
  orgIsHub,
  trustLevel,
});

/** Every page of the list, following nextCursor. */
async function listAll(a: Actor, query: Record<string, unknown>, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const r = await list.execute(a, query, limit, cursor);
    expect(r.items.length).toBeLessThanOrEqual(limit);
    ids.push(...r.items.map((i) => i.id));
    if (r.nextCursor === null) {
      return ids;
    }
    cursor = r.nextCursor;
  }
  throw new Error('paging did not end');
}

async function lookupAll(a: Actor, value: string, limit: number, type?: string) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let first: Awaited<ReturnType<LookupIndicatorUseCase['execute']>> | null = null;
  for (let page = 0; page < 1000; page++) {
    const r = await lookup.execute(a, { value, type, limit, cursor });
    first ??= r;
    ids.push(...r.items.map((i) => i.alertId));
    if (r.nextCursor === null) {
      return { ids, first };
    }
    cursor = r.nextCursor;
  }
  throw new Error('paging did not end');
}

describe('alert list and indicator lookup: two orgs × TLP × status × trust × relation', () => {
  // Alerts of two members (and the hub), in every status and TLP label, naming the other member as recipient
  // or nobody; all carry 198.51.100.7 (warning-listed in half of them), all submitted in 2020.
  const WINDOW = { since: '2020-01-01T00:00:00Z', until: '2020-02-01T00:00:00Z' };
  const VALUE = '198.51.100.7';
  let x: string;
  let y: string;
  let hub: string;
  const seeded: (Pick<AlertRecord, 'sourceOrgId' | 'status' | 'tlp' | 'recipients'> & { id: string })[] = [];

  beforeAll(async () => {
    x = await org('Matrix CERT X', 'FR', 2);
    y = await org('Matrix CERT Y', 'DE', 3);
    hub = await org('Matrix Hub', 'EU', 4, true);
    let n = 0;
    for (const [source, other] of [
      [x, y],
      [y, x],
      [hub, x],
    ] as const) {
      for (const status of ALERT_STATUSES) {
        for (const tlp of TLP_LABELS) {
          for (const recipients of [[], [other]]) {
            n++;
            const id = await alert({
              org: source,
              status,
              tlp,
              recipients,
              title: `matrix ${n}`,
              // Some share a submission time, to the microsecond: paging breaks the tie by id.
              at: `'2020-01-01T00:00:00Z'::timestamptz + ${Math.floor(n / 3)} * interval '1 microsecond'`,
              indicators: [['ipv4', VALUE, n % 2 === 0]],
            });
            seeded.push({ id, sourceOrgId: source, status, tlp, recipients });
          }
        }
      }
    }
  });

  const viewers = (): [string, Actor][] => {
    const out: [string, Actor][] = [];
    for (const [name, orgId] of [
      ['X', x],
      ['Y', y],
    ] as const) {
      for (const trust of [0, 1, 2, 3, 4] as TrustLevel[]) {
        for (const role of ['reader', 'vetter'] as Role[]) {
          out.push([`${name} trust ${trust} ${role}`, actor(orgId, trust, role)]);
        }
      }
    }
    for (const role of ['reader', 'vetter', 'admin'] as Role[]) {
      out.push([`hub ${role}`, actor(hub, 4, role, true)]);
    }
    return out;
  };

  it('lists, pages and looks up exactly what GET /api/v1/alerts/:id shows each caller, and counts nothing else', async () => {
    let compared = 0;
    for (const [name, a] of viewers()) {
      if (!mayPerform(a, 'alert.read')) {
        // A suspended member reads nothing by id either: the list and lookup refuse it, and say nothing.
        await expect(list.execute(a, WINDOW, 200, null), name).rejects.toMatchObject({ status: 403 });
        await expect(
          lookup.execute(a, { value: VALUE, type: undefined, limit: 50, cursor: null }),
        ).rejects.toMatchObject({ status: 403 });
        continue;
      }
      const expected = seeded
        .filter((s) => mayView(a, s as AlertRecord, reviewerMinTrust(ctx.app.get<AppConfig>(APP_CONFIG))))
        .map((s) => s.id);
      // Newest first: the seeds were inserted oldest first (ties broken by id, descending).
      const listed = await listAll(a, WINDOW, 200);
      expect(new Set(listed), name).toEqual(new Set(expected));
      expect(listed.length, name).toBe(expected.length);
      // Pages of 7 give every visible alert exactly once, in the same order as one big page.
      expect(await listAll(a, WINDOW, 7), name).toEqual(listed);

      const found = await lookupAll(a, '198[.]51[.]100[.]7', 5);
      expect(found.ids, name).toEqual(listed);
      expect(found.first?.alertCount, name).toBe(expected.length);
      expect(found.first?.value).toBe(VALUE);
      compared++;
    }
    expect(compared).toBe(2 * 4 * 2 + 3);
  });

  it('never shows a RED alert to a member it does not name, whatever its trust', async () => {
    const red = seeded.filter((s) => s.tlp === 'RED' && s.sourceOrgId === x && s.recipients.length === 0);
    const listed = new Set(await listAll(actor(y, 4, 'vetter'), WINDOW, 200));
    expect(red.length).toBeGreaterThan(0);
    expect(red.filter((s) => listed.has(s.id))).toEqual([]);
  });
});

describe('alert list paging under concurrent inserts', () => {
  it('returns every alert present when paging began exactly once, while new alerts keep arriving', async () => {
    const p = await org('Paging CERT', 'NL', 3);
    const viewer = actor(await org('Paging reader', 'NL', 1), 1);
    const before: string[] = [];
    for (let i = 0; i < 40; i++) {
      // Ten share one instant; the rest are a microsecond apart (a millisecond cursor would skip or repeat them).
      const at =
        i < 10 ? `'2021-03-01T00:00:00Z'` : `'2021-03-01T00:00:00Z'::timestamptz + ${i} * interval '1 microsecond'`;
      before.push(await alert({ org: p, title: `paging ${i}`, at: `(${at})::timestamptz` }));
    }
    const query = { since: '2021-01-01T00:00:00Z' };
    const seen: string[] = [];
    let cursor: string | null = null;
    const inserted: string[] = [];
    for (let page = 0; page < 100; page++) {
      const r = await list.execute(viewer, query, 3, cursor);
      seen.push(...r.items.map((i) => i.id));
      // Others submit while the caller pages.
      inserted.push(await alert({ org: p, title: `arriving ${page}` }));
      if (r.nextCursor === null) {
        break;
      }
      cursor = r.nextCursor;
    }
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen.filter((id) => before.includes(id)).sort()).toEqual([...before].sort());
    // Those submitted meanwhile are newer than the first page: the caller finds them on its next first page.
    expect(inserted.length).toBeGreaterThan(10);
    expect(inserted.filter((id) => seen.includes(id))).toEqual([]);
  });

  it('refuses a cursor it did not issue, naming ?cursor', async () => {
    const viewer = actor(await org('Cursor reader', 'NL', 1), 1);
    await expect(list.execute(viewer, {}, 3, '2021-03-01T00:00:00.000Z_x')).rejects.toMatchObject({
      status: 400,
      errors: [{ pointer: '?cursor' }],
    });
  });
});

describe('alert list filters and free text', () => {
  let fr: string;
  let de: string;
  const ids: Record<string, string> = {};
  const viewer = (): Actor => actor(fr, 4, 'reader');
  const WINDOW = { since: '2022-01-01T00:00:00Z', until: '2022-02-01T00:00:00Z' };

  beforeAll(async () => {
    fr = await org('Filter CERT FR', 'FR', 4);
    de = await org('Filter CERT DE', 'DE', 3);
    ids.emotet = await alert({
      org: de,
      title: 'Emotet loader spreading via invoices',
      description: 'Second stage drops ransomware.',
      severity: 'high',
      tlp: 'AMBER',
      classification: ['malicious-code', 'malware-distribution'],
      at: `'2022-01-10T00:00:00Z'`,
    });
    ids.phish = await alert({
      org: fr,
      title: 'Bank phishing wave',
      description: null,
      severity: 'low',
      tlp: 'CLEAR',
      classification: ['fraud', 'phishing'],
      at: `'2022-01-12T00:00:00Z'`,
    });
    ids.c2 = await alert({
      org: de,
      title: 'C2 servers of a botnet',
      description: 'Controllers seen on port 8080.',
      severity: 'critical',
      tlp: 'GREEN',
      classification: ['malicious-code', 'c2-server'],
      at: `'2022-01-14T00:00:00Z'`,
    });
    ids.queued = await alert({
      org: fr,
      title: 'Still normalizing',
      status: 'queued',
      severity: 'medium',
      tlp: 'RED',
      at: `'2022-01-16T00:00:00Z'`,
    });
    ids.revoked = await alert({
      org: fr,
      title: 'Withdrawn emotet report',
      status: 'revoked',
      severity: 'high',
      tlp: 'GREEN',
      at: `'2022-01-18T00:00:00Z'`,
    });
  });

  const ids_ = (...names: string[]) => names.map((n) => ids[n]);

  it.each([
    [{}, ['revoked', 'queued', 'c2', 'phish', 'emotet']],
    [{ status: 'published' }, ['c2', 'phish', 'emotet']],
    [{ status: 'queued,revoked' }, ['revoked', 'queued']],
    [{ severity: 'high' }, ['revoked', 'emotet']],
    [{ minSeverity: 'high' }, ['revoked', 'c2', 'emotet']],
    [{ tlp: 'AMBER,RED' }, ['queued', 'emotet']],
    [{ tlp: 'CLEAR' }, ['phish']],
    [{ classification: 'malicious-code' }, ['c2', 'emotet']],
    [{ classification: 'malicious-code/c2-server,fraud' }, ['c2', 'phish']],
    [{ sourceCountry: 'de' }, ['c2', 'emotet']],
    [{ since: '2022-01-12T00:00:00Z', until: '2022-01-16T00:00:00Z' }, ['c2', 'phish']],
    [{ q: 'emotet' }, ['revoked', 'emotet']],
    [{ q: 'Ransomware' }, ['emotet']],
    [{ q: '"loader spreading"' }, ['emotet']],
    [{ q: 'emotet -withdrawn' }, ['emotet']],
    [{ q: 'botnet or phishing' }, ['c2', 'phish']],
    [{ q: 'nothing-like-this' }, []],
    [{ q: 'emotet', status: 'published', severity: 'high', sourceCountry: 'DE' }, ['emotet']],
  ])('narrows by %j', async (filter, expected) => {
    const q = { ...WINDOW, ...filter };
    const until = 'until' in filter ? filter.until : WINDOW.until;
    expect(await listAll(viewer(), { ...q, until }, 2)).toEqual(ids_(...expected));
  });

  it('names the query parameter of a bad filter', async () => {
    await expect(list.execute(viewer(), { severity: 'urgent' }, 10, null)).rejects.toMatchObject({
      status: 400,
      code: 'invalid-query',
      errors: [{ pointer: '?severity' }],
    });
    await expect(list.execute(viewer(), { classification: 'malicious-code/phishing' }, 10, null)).rejects.toMatchObject(
      { status: 400, errors: [{ pointer: '?classification' }] },
    );
  });
});

describe(LookupIndicatorUseCase.name, () => {
  let a: string;
  let b: string;

  beforeAll(async () => {
    a = await org('Lookup CERT A', 'FR', 3);
    b = await org('Lookup CERT B', 'DE', 3);
  });

  it('finds the stored canonical URL from its defanged form, with first and last seen over visible alerts only', async () => {
    const url = 'http://evil.example/x';
    const older = await alert({
      org: a,
      title: 'older',
      at: `'2023-01-05T00:00:00Z'`,
      firstSeen: '2023-01-01T00:00:00Z',
      lastSeen: '2023-01-04T00:00:00Z',
      indicators: [
        ['ipv4', '203.0.113.9'],
        ['url', url],
      ],
    });
    const newer = await alert({
      org: b,
      title: 'newer',
      at: `'2023-02-01T00:00:00Z'`,
      indicators: [['url', url, true]],
    });
    // A RED alert of B naming nobody: A must not see it, count it, or have its dates move first or last seen.
    await alert({
      org: b,
      title: 'hidden',
      tlp: 'RED',
      at: `'2023-03-01T00:00:00Z'`,
      firstSeen: '2022-06-01T00:00:00Z',
      indicators: [['url', url]],
    });
    const r = await lookup.execute(actor(a, 3), {
      value: 'hxxp://evil[.]example/x',
      type: undefined,
      limit: 50,
      cursor: null,
    });
    expect(r).toMatchObject({
      type: 'url',
      value: url,
      alertCount: 2,
      firstSeen: '2023-01-01T00:00:00.000Z',
      lastSeen: '2023-02-01T00:00:00.000Z',
      nextCursor: null,
    });
    expect(r.items.map((i) => [i.alertId, i.position, i.warning?.list ?? null])).toEqual([
      [newer, 0, 'test-list'],
      [older, 1, null],
    ]);
    expect(r.items[1]).toMatchObject({
      reportedAt: '2023-01-05T00:00:00.000Z',
      firstSeen: '2023-01-01T00:00:00.000Z',
      lastSeen: '2023-01-04T00:00:00.000Z',
    });
    // The RED alert's submitter sees all three.
    expect((await lookup.execute(actor(b, 3), { value: url, type: 'url', limit: 1, cursor: null })).alertCount).toBe(3);
  });

  it('answers an empty list, not an error, for a value no visible alert carries', async () => {
    const r = await lookup.execute(actor(a, 3), { value: '192.0.2.200', type: 'ipv4', limit: 10, cursor: null });
    expect(r).toEqual({
      type: 'ipv4',
      value: '192.0.2.200',
      alertCount: 0,
      firstSeen: null,
      lastSeen: null,
      items: [],
      nextCursor: null,
    });
  });

  it.each([
    [{ value: 'not an indicator' }, '?value', 'could not infer'],
    [{ value: '999.1.1.1', type: 'ipv4' }, '?value', 'ipv4'],
    [{ value: '' }, '?value', 'required'],
    [{ value: undefined }, '?value', 'required'],
    [{ value: ['a', 'b'] }, '?value', 'required'],
    [{ value: '192.0.2.1', type: 'ip' }, '?type', 'one of'],
  ])('refuses %j, naming the query parameter and why', async (q, pointer, detail) => {
    await expect(
      lookup.execute(actor(a, 3), { value: q.value, type: (q as { type?: string }).type, limit: 10, cursor: null }),
    ).rejects.toMatchObject({ status: 400, errors: [{ pointer, detail: expect.stringContaining(detail) }] });
  });
});
