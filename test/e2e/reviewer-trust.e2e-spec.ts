import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';

/**
 * TOCSIN_REVIEWER_MIN_TRUST moves who reviews, and every path that shows a pending alert follows it alike: the
 * review queue, the review itself, GET by id (and its indicators and export), and the list and search.
 */

let hub: TestHub;
let submitter: SeededOrg;
let trust3: SeededOrg;
let trust2: SeededOrg;

beforeAll(async () => {
  hub = await startTestHub({ env: { TOCSIN_REVIEWER_MIN_TRUST: '3' } });
  submitter = await seedOrg(hub, { trustLevel: 1, country: 'PT' });
  trust3 = await seedOrg(hub, { trustLevel: 3, country: 'BE' });
  trust2 = await seedOrg(hub, { trustLevel: 2, country: 'ES' });
});

afterAll(async () => {
  await hub?.close();
});

async function pendingAlert(title: string): Promise<string> {
  const r = await hub.http('POST', '/api/v1/alerts', submitter.keys.operator, buildAlert({ tlp: 'AMBER', title }));
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const id = r.body.id as string;
  await eventually(async () => {
    const a = await hub.http('GET', `/api/v1/alerts/${id}`, submitter.keys.reader);
    expect(a.body.status).toBe('pending_review');
  }, 30_000);
  return id;
}

const ids = (body: { items: { id: string }[] }): string[] => body.items.map((x) => x.id);

describe('reviewers from trust 3 (TOCSIN_REVIEWER_MIN_TRUST=3)', () => {
  it('lets a trust-3 vetter find, read and review a pending alert on every path', async () => {
    const id = await pendingAlert('Held loader report');
    const key = trust3.keys.vetter;
    const queue = await hub.http('GET', '/api/v1/alerts?status=pending_review&limit=1000', key);
    expect(queue.status).toBe(200);
    expect(ids(queue.body)).toContain(id);
    const read = await hub.http('GET', `/api/v1/alerts/${id}`, key);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('pending_review');
    expect((await hub.http('GET', `/api/v1/alerts/${id}/indicators`, key)).status).toBe(200);
    expect((await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, key)).status).toBe(200);
    // The list and search (SQL-derived visibility) agree with GET by id.
    const listed = await hub.http('GET', '/api/v1/alerts?status=pending_review&tlp=AMBER&limit=200', key);
    expect(listed.status).toBe(200);
    expect(ids(listed.body)).toContain(id);
    const searched = await hub.http('GET', '/api/v1/alerts?status=pending_review&q=loader&limit=200', key);
    expect(searched.status).toBe(200);
    expect(ids(searched.body)).toContain(id);
    const reviewed = await hub.http('POST', `/api/v1/alerts/${id}/review`, key, {
      decision: 'approve',
      reason: 'seen it too',
    });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
  });

  it('shows a trust-2 vetter the pending alert on no path, and refuses its review', async () => {
    const id = await pendingAlert('Held loader report');
    const key = trust2.keys.vetter;
    expect((await hub.http('GET', '/api/v1/alerts?status=pending_review&limit=1000', key)).status).toBe(403);
    expect((await hub.http('GET', `/api/v1/alerts/${id}`, key)).status).toBe(404);
    expect((await hub.http('GET', `/api/v1/alerts/${id}/indicators`, key)).status).toBe(404);
    expect((await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, key)).status).toBe(404);
    const listed = await hub.http('GET', '/api/v1/alerts?status=pending_review&tlp=AMBER&limit=200', key);
    expect(listed.status).toBe(200);
    expect(ids(listed.body)).not.toContain(id);
    const searched = await hub.http('GET', '/api/v1/alerts?q=loader&limit=200', key);
    expect(ids(searched.body)).not.toContain(id);
    const review = await hub.http('POST', `/api/v1/alerts/${id}/review`, key, { decision: 'approve', reason: 'x' });
    expect(review.status).toBe(403);
  });
});
