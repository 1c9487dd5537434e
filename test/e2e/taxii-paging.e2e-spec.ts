import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_COLLECTION_ID, INBOX_COLLECTION_ID } from '@tocsin/taxii';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { startTestHub, submitAlerts, type TestHub } from '../harness/hub';
import type { HttpResult } from '../harness/http';

/**
 * TAXII 2.1 paging at scale (issue 14's conformance point): two clients page more than 10,000 objects with
 * `limit=1000` while half of them are still being published, one following `next` (then polling by the last
 * `X-TAXII-Date-Added-Last`), one by `added_after` alone. Neither misses nor repeats an object, both end with exactly
 * what one pass over the settled collection serves, and no object of a RED alert that does not name the reader
 * appears in any page, manifest or count.
 */

const TAXII = 'application/taxii+json;version=2.1';
/** With its report and its sender's identity, an alert of 48 indicators is 50 objects. */
const INDICATORS = 48;
const OBJECTS_PER_ALERT = INDICATORS + 2;
/** Published before the clients start, and while they page. */
const BEFORE = 100;
const DURING = 125;
/** Every RED_EVERY-th alert is RED and names an organisation other than the reader. */
const RED_EVERY = 10;

let hub: TestHub;
let sender: SeededOrg;
let reader: SeededOrg;
let named: SeededOrg;

const basic = (key: string) => `Basic ${Buffer.from(`opencti:${key}`).toString('base64')}`;
const taxii = (path: string, key: string): Promise<HttpResult> =>
  hub.http('GET', path, null, undefined, { accept: TAXII, authorization: basic(key) });
const objects = (collection: string, query: string) => `/taxii2/api/collections/${collection}/objects/?${query}`;

function bodies(from: number, count: number) {
  return Array.from({ length: count }, (_, j) => {
    const i = from + j;
    const red = i % RED_EVERY === RED_EVERY - 1;
    return {
      key: sender.keys.operator,
      body: buildAlert({
        title: `paging ${i}`,
        tlp: red ? 'RED' : i % 3 === 0 ? 'AMBER' : 'GREEN',
        ...(red ? { recipients: [named.id] } : {}),
        indicators: Array.from({ length: INDICATORS }, (_, k) => ({
          type: 'ipv4',
          value: `45.${(i >> 8) & 255}.${i & 255}.${k + 1}`,
        })),
      }),
    };
  });
}

async function waitPublished(ids: readonly string[]): Promise<void> {
  await eventually(async () => {
    for (const id of ids) {
      const r = await hub.http('GET', `/api/v1/alerts/${id}`, sender.keys.reader);
      expect(r.body.status).toBe('published');
    }
  }, 120_000);
}

const key = (o: { id: string; modified?: string }) => `${o.id}@${o.modified ?? ''}`;

beforeAll(async () => {
  hub = await startTestHub({ env: { TOCSIN_RATE_LIMIT_READS_PER_MINUTE: '0' } });
  sender = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  reader = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  named = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
}, 60_000);

afterAll(async () => {
  await hub?.close();
});

describe('paging over 10,000 objects while alerts keep arriving', () => {
  it('misses and repeats nothing by next or by added_after, and shows no RED object to an org it does not name', async () => {
    await waitPublished(await submitAlerts(hub, bodies(0, BEFORE), 4));

    const path = objects(ALL_COLLECTION_ID, 'limit=1000');
    const byNext: string[] = [];
    const byAddedAfter: string[] = [];
    let next: string | null = null;
    let lastSeen: string | null = null;
    let addedAfter: string | null = null;
    let pages = 0;
    const step = async () => {
      const q1 = next ? `&next=${next}` : lastSeen ? `&added_after=${lastSeen}` : '';
      const r1 = await taxii(`${path}${q1}`, reader.keys.reader);
      expect(r1.status, JSON.stringify(r1.body).slice(0, 300)).toBe(200);
      byNext.push(...((r1.body.objects ?? []) as { id: string }[]).map(key));
      lastSeen = r1.headers.get('x-taxii-date-added-last') ?? lastSeen;
      next = r1.body.more ? (r1.body.next as string) : null;
      const r2 = await taxii(`${path}${addedAfter ? `&added_after=${addedAfter}` : ''}`, reader.keys.reader);
      expect(r2.status).toBe(200);
      byAddedAfter.push(...((r2.body.objects ?? []) as { id: string }[]).map(key));
      addedAfter = r2.headers.get('x-taxii-date-added-last') ?? addedAfter;
      pages += 2;
      const quiet = (r1.body.objects ?? []).length === 0 && (r2.body.objects ?? []).length === 0;
      if (quiet) {
        await new Promise((r) => setTimeout(r, 50));
      }
      return { nextMore: r1.body.more === true, addedMore: r2.body.more === true };
    };

    let publishing = true;
    const publisher = submitAlerts(hub, bodies(BEFORE, DURING), 4)
      .then(waitPublished)
      .finally(() => {
        publishing = false;
      });
    let stepsWhilePublishing = 0;
    while (publishing) {
      await step();
      stepsWhilePublishing += 1;
    }
    await publisher;
    for (let i = 0; i < 200; i++) {
      const { nextMore, addedMore } = await step();
      if (!nextMore && !addedMore) {
        break;
      }
    }
    await step();

    // One pass over the settled collection, following next: what both clients must have seen, in the same order.
    const settled: string[] = [];
    const reports: { id: string; name: string }[] = [];
    let cursor: string | null = null;
    do {
      const r = await taxii(`${path}${cursor ? `&next=${cursor}` : ''}`, reader.keys.reader);
      expect(r.status).toBe(200);
      for (const o of (r.body.objects ?? []) as { id: string; type: string; name: string; modified?: string }[]) {
        settled.push(key(o));
        if (o.type === 'report') {
          reports.push(o);
        }
      }
      cursor = r.body.more ? (r.body.next as string) : null;
    } while (cursor);

    const total = BEFORE + DURING;
    const red = Array.from({ length: total }, (_, i) => i).filter((i) => i % RED_EVERY === RED_EVERY - 1);
    expect(settled.length).toBe((total - red.length) * OBJECTS_PER_ALERT);
    expect(settled.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(settled).size).toBe(settled.length);
    expect(byNext).toEqual(settled);
    expect(byAddedAfter).toEqual(settled);
    expect(pages).toBeGreaterThan(20);
    expect(stepsWhilePublishing).toBeGreaterThan(1);
    const redTitles = new Set(red.map((i) => `paging ${i}`));
    expect(reports.filter((r) => redTitles.has(r.name))).toEqual([]);

    // The RED alerts' objects, as their sender sees them: in no manifest of the reader, and counted nowhere.
    const own: string[] = [];
    cursor = null;
    do {
      const r = await taxii(
        `${objects(INBOX_COLLECTION_ID, 'limit=1000&match[type]=report')}${cursor ? `&next=${cursor}` : ''}`,
        sender.keys.reader,
      );
      for (const o of (r.body.objects ?? []) as { id: string; name: string }[]) {
        if (redTitles.has(o.name)) {
          own.push(o.id);
        }
      }
      cursor = r.body.more ? (r.body.next as string) : null;
    } while (cursor);
    expect(own).toHaveLength(red.length);
    const manifestIds: string[] = [];
    cursor = null;
    do {
      const r = await taxii(
        `/taxii2/api/collections/${ALL_COLLECTION_ID}/manifest/?limit=1000${cursor ? `&next=${cursor}` : ''}`,
        reader.keys.reader,
      );
      expect(r.status).toBe(200);
      manifestIds.push(...((r.body.objects ?? []) as { id: string }[]).map((o) => o.id));
      cursor = r.body.more ? (r.body.next as string) : null;
    } while (cursor);
    expect(manifestIds).toHaveLength(settled.length);
    expect(manifestIds.filter((id) => own.includes(id))).toEqual([]);
    for (const id of own.slice(0, 3)) {
      expect(
        (await taxii(`/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/${id}/`, reader.keys.reader)).status,
      ).toBe(404);
    }
    // The named organisation does see them.
    const forNamed = await taxii(objects(ALL_COLLECTION_ID, `match[id]=${own[0]}`), named.keys.reader);
    expect(forNamed.body.objects).toEqual([expect.objectContaining({ id: own[0], type: 'report' })]);
  }, 600_000);
});
