import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

const fixture = (p: string) => readFileSync(resolve(__dirname, '../fixtures', p), 'utf8');

interface PushedIndicator {
  readonly type: string;
  readonly value: string;
  readonly flags: readonly string[];
  readonly warning?: { readonly list: string; readonly reason: string } | null;
}

let hub: TestHub;
let sender: SeededOrg;
let receiver: SeededOrg;
let client: AlertClient;

beforeAll(async () => {
  hub = await startTestHub();
  sender = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  receiver = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  client = connectAlerts(hub.url, receiver.keys.reader);
  await waitConnected(client);
});

afterAll(async () => {
  client?.close();
  await hub?.close();
});

async function submit(body: string, contentType: string): Promise<string> {
  const r = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, body, { 'content-type': contentType });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.id as string;
}

async function received(id: string): Promise<any> {
  return eventually(() => {
    const e = client.events.find((x) => x.alert.id === id);
    if (!e) {
      throw new Error(`alert ${id} not received yet`);
    }
    return e.alert;
  }, 30_000);
}

describe('warning lists and suffixes on real input', () => {
  it('leaves the free-mail senders of a phishing report unflagged and flags gmail.com as a domain', async () => {
    const id = await submit(fixture('misp/phishing-freemail-senders.misp.json'), 'application/misp+json');
    const alert = await received(id);
    const indicators = alert.indicators as PushedIndicator[];
    const senders = indicators.filter((i) => i.type === 'email');
    expect(senders).toHaveLength(29);
    expect(senders.filter((i) => i.flags.includes('warning-listed'))).toEqual([]);
    expect(indicators.filter((i) => i.flags.includes('warning-listed')).map((i) => `${i.type}:${i.value}`)).toEqual([
      'domain:gmail.com',
    ]);
    expect(alert.warningCount).toBe(1);
  });

  it('answers the 29 senders actionable on every path: REST, the socket, STIX indicators and MISP to_ids', async () => {
    // The report: REST said actionable, MISP to_ids false, and STIX left 28 of the 29 senders out.
    const id = await submit(fixture('misp/phishing-freemail-senders.misp.json'), 'application/misp+json');
    const pushed = ((await received(id)).indicators as (PushedIndicator & { actionable: boolean })[]).filter(
      (i) => i.type === 'email',
    );
    const senders = pushed.map((i) => i.value).sort();
    expect(senders).toHaveLength(29);
    expect(pushed.filter((i) => !i.actionable)).toEqual([]);

    const rest = await hub.http('GET', `/api/v1/alerts/${id}/indicators?limit=1000`, receiver.keys.reader);
    expect(rest.status).toBe(200);
    const restEmails = (rest.body.items as any[]).filter((i) => i.type === 'email');
    expect(
      restEmails
        .filter((i) => i.actionable)
        .map((i) => i.canonicalValue as string)
        .sort(),
    ).toEqual(senders);

    const stix = await hub.http('GET', `/api/v1/alerts/${id}/export?format=stix`, receiver.keys.reader);
    expect(stix.status).toBe(200);
    const patterns = (stix.body.objects as { type: string; pattern?: string }[])
      .filter((o) => o.type === 'indicator' && o.pattern?.startsWith('[email-addr:value = '))
      .map((o) => /= '(.*)'\]$/.exec(o.pattern!)![1]!)
      .sort();
    expect(patterns).toEqual(senders);

    const misp = await hub.http('GET', `/api/v1/alerts/${id}/export?format=misp`, receiver.keys.reader);
    expect(misp.status).toBe(200);
    const attributes = (misp.body.Event.Attribute as { type: string; value: string; to_ids: boolean }[]).filter(
      (a) => a.type === 'email-src',
    );
    expect(
      attributes
        .filter((a) => a.to_ids)
        .map((a) => a.value)
        .sort(),
    ).toEqual(senders);
  });

  it('keeps names under a suffix the public suffix list lacks, flagged unknown-suffix, and still refuses a single label', async () => {
    const id = await submit(
      JSON.stringify(
        buildAlert({
          indicators: [
            { type: 'domain', value: 'C2.Evil.BIT' },
            { type: 'url', value: 'hxxp://c2[.]evil[.]bit/gate.php' },
            { type: 'email', value: 'ops@mail.evil.bit' },
            { type: 'domain', value: 'printer.local' },
            { type: 'domain', value: 'localhost' },
          ],
        }),
      ),
      'application/json',
    );
    const alert = await received(id);
    const byValue = new Map((alert.indicators as PushedIndicator[]).map((i) => [`${i.type}:${i.value}`, i]));
    expect([...byValue.keys()].sort()).toEqual([
      'domain:c2.evil.bit',
      'domain:printer.local',
      'email:ops@mail.evil.bit',
      'url:http://c2.evil.bit/gate.php',
    ]);
    expect(byValue.get('domain:c2.evil.bit')?.flags).toEqual(['unknown-suffix']);
    expect(byValue.get('url:http://c2.evil.bit/gate.php')?.flags).toEqual(['refanged', 'unknown-suffix']);
    expect(byValue.get('email:ops@mail.evil.bit')?.flags).toEqual(['unknown-suffix']);
    // a special-use name is kept too, and the reserved-names warning list says it must not be acted on
    expect([...(byValue.get('domain:printer.local')?.flags ?? [])].sort()).toEqual([
      'unknown-suffix',
      'warning-listed',
    ]);
    expect(alert).toMatchObject({ indicatorCount: 4, warningCount: 1 });
    const seen = await hub.http('GET', `/api/v1/alerts/${id}`, receiver.keys.reader);
    expect(seen.body).toMatchObject({ indicatorCount: 4, rejectedCount: 1, warningCount: 1 });

    const page = await hub.http('GET', `/api/v1/alerts/${id}/indicators`, receiver.keys.reader);
    expect(page.status).toBe(200);
    const rejected = (page.body.items as any[]).filter((i) => i.rejection !== null);
    expect(rejected).toEqual([
      expect.objectContaining({ rawValue: 'localhost', rejection: 'not under a known public suffix' }),
    ]);
  });
});
