import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { startTestHub, type TestHub } from '../harness/hub';

// POST /api/v1/alerts/preview: the submission's own reading (importer, composition, recipients, normalization), with
// nothing stored, and the same answers as POST /api/v1/alerts for a role, a body or a limit it refuses.

let hub: TestHub;
let org: SeededOrg;
let trusted: SeededOrg;
let member: SeededOrg;

beforeAll(async () => {
  hub = await startTestHub({ env: { TOCSIN_MAX_BODY_BYTES: String(2 * 1024 * 1024) } });
  org = await seedOrg(hub, { trustLevel: 3 });
  trusted = await seedOrg(hub, { trustLevel: 3, country: 'LU' });
  member = await seedOrg(hub, { trustLevel: 2, country: 'EE' });
});

afterAll(async () => {
  await hub?.close();
});

const CSV = { 'content-type': 'text/csv' };

/** A CSV of `n` lines: a header, then addresses, with bad values on the lines of `bad` (1-based line numbers). */
function csv(n: number, bad: Record<number, string> = {}): string {
  const lines = ['type,value'];
  for (let line = 2; line <= n; line++) {
    const i = line - 2;
    lines.push(bad[line] ?? `ipv4,198.${Math.floor(i / 65536) % 256}.${Math.floor(i / 256) % 256}.${i % 256}`);
  }
  return `${lines.join('\n')}\n`;
}

async function ownAlertCount(): Promise<number> {
  const r = await hub.http('GET', '/api/v1/alerts?limit=200', org.keys.operator);
  expect(r.status).toBe(200);
  return (r.body.items as unknown[]).length;
}

describe('POST /api/v1/alerts/preview', () => {
  it('reads the rest of a document, refuses each bad record with its line and reason, and stores nothing', async () => {
    const before = await ownAlertCount();
    const body = csv(10, { 4: 'ipv4,999.1.2.3', 7: 'ipv4,localhost', 9: 'colour,blue' });
    const r = await hub.http(
      'POST',
      '/api/v1/alerts/preview?title=Scan%20wave&tlp=green',
      org.keys.operator,
      body,
      CSV,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      format: 'csv',
      alerts: [{ title: 'Scan wave', tlp: 'GREEN', tlpDefaulted: false, severity: 'medium' }],
      read: 8,
      accepted: 6,
      rejected: 2,
      refusedTotal: 3,
    });
    const refused = r.body.refused as { line: number; detail: string; value?: string }[];
    expect(refused.map((x) => x.line).sort((a, b) => a - b)).toEqual([4, 7, 9]);
    expect(refused.find((x) => x.line === 4)).toMatchObject({ value: '999.1.2.3', detail: expect.any(String) });
    expect(refused.find((x) => x.line === 9)?.detail).toMatch(/colour|type/i);
    expect(r.body.indicators[0]).toMatchObject({ type: 'ipv4', canonicalValue: '198.0.0.0', source: 'line 2' });
    expect(await ownAlertCount()).toBe(before);
  });

  it('previews a 10,000-line CSV: every line counted, the first indicators listed', async () => {
    const r = await hub.http(
      'POST',
      '/api/v1/alerts/preview?title=Big%20list',
      org.keys.operator,
      csv(10_000, { 5000: 'ipv4,1.2.3' }),
      CSV,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ read: 9_999, accepted: 9_998, rejected: 1, refusedTotal: 1 });
    expect(r.body.indicators).toHaveLength(100);
    expect(r.body.refused).toEqual([
      { pointer: '/line/5000', line: 5000, value: '1.2.3', detail: expect.any(String) as unknown },
    ]);
  });

  it('previews native JSON: each rejected indicator at its pointer, the alert as composed', async () => {
    const body = buildAlert({
      title: 'Native preview',
      tlp: 'AMBER',
      severity: 'high',
      indicators: [
        { type: 'ipv4', value: '203.0.113.9' },
        { type: 'domain', value: 'localhost' },
        { value: 'hxxp://bad[.]example[.]com/x' },
      ],
    });
    const r = await hub.http('POST', '/api/v1/alerts/preview', org.keys.operator, body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      format: 'native',
      alerts: [{ title: 'Native preview', tlp: 'AMBER', severity: 'high' }],
      read: 3,
      accepted: 2,
      rejected: 1,
    });
    expect(r.body.refused).toEqual([
      { pointer: '/indicators/1', value: 'localhost', detail: expect.any(String) as unknown },
    ]);
    expect(r.body.indicators[1]).toMatchObject({ type: 'url', canonicalValue: 'http://bad.example.com/x' });
  });

  it('previews several MISP events as the submission reads them, a refused event listed at its pointer', async () => {
    const event = (info: string, value: string) => ({
      Event: { info, threat_level_id: '2', Attribute: [{ type: 'ip-dst', value, to_ids: true }] },
    });
    const body = { response: [event('first', '203.0.113.10'), { Event: { Attribute: 'x' } }, event('third', '1.2.3')] };
    const r = await hub.http('POST', '/api/v1/alerts/preview', org.keys.operator, JSON.stringify(body), {
      'content-type': 'application/misp+json',
    });
    expect(r.status).toBe(200);
    expect(r.body.alerts.map((a: { title: string; event: string }) => [a.title, a.event])).toEqual([
      ['first', '/response/0'],
      ['third', '/response/2'],
    ]);
    expect(r.body).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
    const pointers = (r.body.refused as { pointer: string }[]).map((x) => x.pointer);
    expect(pointers.some((p) => p.startsWith('/response/1'))).toBe(true);
    expect(pointers.some((p) => p.startsWith('/response/2/'))).toBe(true);
  });

  it('answers what the submission answers for a document it refuses whole', async () => {
    const path = (p: string) => `/api/v1/alerts${p}?title=x`;
    for (const body of ['type,value\n', '{"title": "x", "indicators": 5}']) {
      const type = body.startsWith('{') ? { 'content-type': 'application/json' } : CSV;
      const preview = await hub.http('POST', path('/preview'), org.keys.operator, body, type);
      const submit = await hub.http('POST', path(''), org.keys.operator, body, type);
      expect(preview.status).toBe(400);
      expect([preview.status, preview.body.type, preview.body.errors]).toEqual([
        submit.status,
        submit.body.type,
        submit.body.errors,
      ]);
    }
  });

  it('refuses a reader with the status and problem of a submission', async () => {
    const body = buildAlert({ title: 'from a reader' });
    const preview = await hub.http('POST', '/api/v1/alerts/preview', org.keys.reader, body);
    const submit = await hub.http('POST', '/api/v1/alerts', org.keys.reader, body);
    expect(preview.status).toBe(403);
    expect([preview.status, preview.body.type]).toEqual([submit.status, submit.body.type]);
  });

  it('applies the body limit of a submission (413)', async () => {
    const big = `type,value\n${'ipv4,192.0.2.1\n'.repeat(200_000)}`;
    const preview = await hub.http('POST', '/api/v1/alerts/preview?title=x', org.keys.operator, big, CSV);
    expect(preview.status).toBe(413);
    expect(preview.body.type).toBe('urn:tocsin:problem:too-large');
  });

  it('checks RED recipients as the submission does, without saying why one is refused', async () => {
    const q = (ids: string[]) => `/api/v1/alerts/preview?title=x&tlp=RED&recipients=${ids.join(',')}`;
    const ok = await hub.http('POST', q([trusted.id]), org.keys.operator, 'ipv4,192.0.2.1\n', CSV);
    expect(ok.status).toBe(200);
    expect(ok.body.alerts[0]).toMatchObject({ tlp: 'RED', recipients: [trusted.id] });
    const low = await hub.http('POST', q([member.id]), org.keys.operator, 'ipv4,192.0.2.1\n', CSV);
    const unknown = await hub.http(
      'POST',
      q(['00000000-0000-4000-8000-000000000000']),
      org.keys.operator,
      'ipv4,192.0.2.1\n',
      CSV,
    );
    expect(low.status).toBe(400);
    expect(low.body.errors).toEqual(unknown.body.errors);
  });
});

describe('GET /api/v1/recipients', () => {
  it('lists to an operator the organisations it may name on a RED alert: id, name and country only', async () => {
    const r = await hub.http('GET', '/api/v1/recipients', org.keys.operator);
    expect(r.status).toBe(200);
    const items = r.body.items as { id: string; name: string; country: string | null }[];
    const ids = items.map((i) => i.id);
    expect(ids).toContain(trusted.id);
    expect(ids).not.toContain(member.id); // trust 2: below TOCSIN_RED_RECIPIENT_MIN_TRUST
    expect(ids).not.toContain(org.id); // its own org
    expect(Object.keys(items.find((i) => i.id === trusted.id) ?? {}).sort()).toEqual(['country', 'id', 'name']);
  });

  it('refuses a reader as a submission does (403)', async () => {
    const r = await hub.http('GET', '/api/v1/recipients', org.keys.reader);
    expect(r.status).toBe(403);
  });
});
