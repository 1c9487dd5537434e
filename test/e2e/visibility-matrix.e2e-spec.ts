import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayReceive, type TlpLabel, type TrustLevel } from '@tocsin/domain';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import { connectAlerts, startTestHub, waitConnected, type AlertClient, type TestHub } from '../harness/hub';

/**
 * The visibility matrix (issue 11 §7): every TLP label × every trust level × every relation to the alert (its
 * submitter, a named recipient, anyone else) × every path an alert or a trace of it can take — live push, replay,
 * constituency hits (live and replayed), REST reads, indicators, both exports, the list, indicator lookup, the
 * links of another alert, coordinated-alert views (REST, live, replayed) and sightings. The expected answer of each
 * cell comes from the policy as the README states it (`WHO_SEES`, written out here, not computed by the hub's code);
 * the one policy function, `mayReceive`, is a row of the same table, so the whole observed table must equal the
 * stated policy on every path and in `mayReceive` alike: a path that bypasses `mayReceive` differs from it, and a
 * broken `mayReceive` differs from the stated policy on every path that goes through it.
 *
 * Viewers: a submitting org at each trust level 1–4 (each sends one alert per TLP label and sees the others'), an org
 * at each trust level 1–4 named on every RED alert, the hub's admin, and a suspended org (trust 0) that published an
 * alert of its own before its suspension. Every alert carries an address in every viewer's constituency (so each
 * viewer may get a hit) and one shared with a GREEN report of another org in another country (so each pair forms a
 * coordinated alert, with the coordination threshold lowered to two organisations).
 */

const PATHS = [
  'mayReceive',
  'live',
  'replay',
  'constituency-hit live',
  'constituency-hit replay',
  'GET /alerts/:id',
  'GET /alerts/:id/indicators',
  'export stix',
  'export misp',
  'GET /alerts (list)',
  'GET /indicators?value=',
  'linkedAlerts of a peer report',
  'GET /coordinated-alerts',
  'coordinated-alert live',
  'coordinated-alert replay',
  'POST /alerts/:id/sightings',
] as const;
type Path = (typeof PATHS)[number];

/** What a REST route answered, when it did not show the alert: a 401 (suspended org) is a refusal, not a 404. */
const REFUSED = 'refused (401)';
/** The submitter's own sighting: it may read its alert, but sightings are a recipient's (403). */
const OWN_SIGHTING = 'forbidden (403)';
/** Paths that are no HTTP call, so a suspended org's refusal shows there as "not received". */
const NOT_HTTP: readonly Path[] = [
  'mayReceive',
  'live',
  'replay',
  'constituency-hit live',
  'constituency-hit replay',
  'coordinated-alert live',
  'coordinated-alert replay',
];

type Cell = boolean | string;

type Relation = 'submitter' | 'named recipient' | 'other';

/**
 * README "Who sees what": for each relation to the alert and each TLP label, the lowest trust level that sees it
 * (null: none). Trust 0 (suspended) sees nothing, not even its own alerts.
 */
const WHO_SEES: Record<Relation, Record<TlpLabel, TrustLevel | null>> = {
  submitter: { CLEAR: 1, GREEN: 1, AMBER: 1, 'AMBER+STRICT': 1, RED: 1 },
  'named recipient': { CLEAR: 1, GREEN: 1, AMBER: 2, 'AMBER+STRICT': 2, RED: 1 },
  other: { CLEAR: 1, GREEN: 1, AMBER: 2, 'AMBER+STRICT': 2, RED: null },
};

interface Viewer {
  readonly label: string;
  readonly id: string;
  /** The trust level it has while the paths are read (0 for the suspended org). */
  readonly trustLevel: TrustLevel;
  readonly key: string;
}

interface MatrixAlert {
  readonly label: string;
  readonly tlp: TlpLabel;
  readonly sourceOrgId: string;
  readonly recipients: readonly string[];
  /** In every viewer's constituency, and carried by this alert only: its lookup counts this alert alone. */
  readonly constituencyIp: string;
  /** Shared with one GREEN report of another org (the peer), so that a coordinated alert forms around the two. */
  readonly sharedIp: string;
  id: string;
  peerId: string;
}

interface Recorder {
  readonly client: AlertClient;
  readonly hits: any[];
  readonly coordinated: any[];
}

const CONSTITUENCY = '45.137.21.0/24';
const TLPS: readonly TlpLabel[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];

let hub: TestHub;
/** The submitting orgs, at trust 1, 2, 3 and 4: each sends one alert per TLP label, and sees the others'. */
const submitters: SeededOrg[] = [];
/** The orgs named on every RED alert, at trust 1, 2, 3 and 4. */
const named: SeededOrg[] = [];
/** A vetter key of the hub, which approves the trust-1 submitter's alerts (held for review). */
let hubVetterKey: string;
let suspended: SeededOrg;
let peer: SeededOrg;
const viewers: Viewer[] = [];
const alerts: MatrixAlert[] = [];
const clients: AlertClient[] = [];
/** Live sockets, connected before any submission; replay sockets, connected with lastSeq 0 once all is published. */
const live = new Map<string, Recorder>();
const replay = new Map<string, Recorder>();

function record(key: string, lastSeq?: number): Recorder {
  const client = connectAlerts(hub.url, key, lastSeq);
  clients.push(client);
  const r: Recorder = { client, hits: [], coordinated: [] };
  client.socket.on('constituency-hit', (e: any) => r.hits.push(e));
  client.socket.on('coordinated-alert', (e: any) => r.coordinated.push(e));
  client.socket.on('coordinated-alert-updated', (e: any) => r.coordinated.push(e));
  return r;
}

/** Connects, or resolves with the refusal's message (a suspended org's keys are refused in the handshake). */
async function connected(r: Recorder): Promise<string | null> {
  try {
    await waitConnected(r.client);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

async function submit(org: SeededOrg, body: Record<string, unknown>): Promise<string> {
  const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, body);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.id as string;
}

async function published(key: string, id: string): Promise<void> {
  await eventually(async () => {
    const r = await hub.http('GET', `/api/v1/alerts/${id}`, key);
    expect(r.body.status).toBe('published');
  }, 30_000);
}

function matrixAlert(label: string, tlp: TlpLabel, source: SeededOrg, n: number, recipients: string[] = []) {
  const a: MatrixAlert = {
    label,
    tlp,
    sourceOrgId: source.id,
    recipients,
    constituencyIp: `45.137.21.${100 + n}`,
    sharedIp: `91.215.85.${100 + n}`,
    id: '',
    peerId: '',
  };
  alerts.push(a);
  return a;
}

function body(a: MatrixAlert): Record<string, unknown> {
  return buildAlert({
    tlp: a.tlp,
    // Low: a trust-2 submitter publishes it directly (trust 1 always goes to review).
    severity: 'low',
    ...(a.recipients.length > 0 ? { recipients: a.recipients } : {}),
    indicators: [
      { type: 'ipv4', value: a.constituencyIp },
      { type: 'ipv4', value: a.sharedIp },
    ],
  });
}

function relation(v: Viewer, a: MatrixAlert): Relation {
  return a.sourceOrgId === v.id ? 'submitter' : a.recipients.includes(v.id) ? 'named recipient' : 'other';
}

const cellKey = (v: Viewer, a: MatrixAlert, p: Path) =>
  `${v.label} | ${a.label} (viewer: ${relation(v, a)}, trust ${v.trustLevel}) | ${p}`;

function expected(v: Viewer, a: MatrixAlert, p: Path): Cell {
  const lowest = WHO_SEES[relation(v, a)][a.tlp];
  const visible = v.trustLevel > 0 && lowest !== null && v.trustLevel >= lowest;
  if (!visible && v.trustLevel === 0 && !NOT_HTTP.includes(p)) {
    return REFUSED;
  }
  if (p === 'POST /alerts/:id/sightings' && a.sourceOrgId === v.id) {
    return OWN_SIGHTING;
  }
  return visible;
}

/** The problem document of a 404, without its request id: what an unknown id answers on the same route. */
function problem(body: any): unknown {
  const { instance: _instance, ...rest } = body ?? {};
  return rest;
}

beforeAll(async () => {
  hub = await startTestHub({
    env: {
      // Every trust level may be named on a RED alert, so the named relation exists at each level.
      TOCSIN_RED_RECIPIENT_MIN_TRUST: '1',
      // Two reports from two countries make a coordinated alert: each matrix alert and its GREEN peer.
      TOCSIN_COORDINATION_MIN_ORGS: '2',
      // The suspended org's refused calls must not block the test's address.
      TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
    },
  });
  peer = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  // Trust 3 while it submits its own alert; suspended (trust 0) before anything is read.
  suspended = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
  for (const trustLevel of [1, 2, 3, 4] as const) {
    named.push(await seedOrg(hub, { trustLevel, country: 'ES' }));
    submitters.push(await seedOrg(hub, { trustLevel, country: 'FR' }));
  }
  const orgs = await hub.http('GET', '/api/v1/orgs?limit=1000', hub.adminKey);
  const hubOrg = orgs.body.items.find((o: any) => o.isHub);
  const vetter = await hub.http('POST', `/api/v1/orgs/${hubOrg.id}/keys`, hub.adminKey, { role: 'vetter' });
  expect(vetter.status).toBe(201);
  hubVetterKey = vetter.body.key;

  submitters.forEach((o, i) =>
    viewers.push({ label: `submitting org ${i + 1}`, id: o.id, trustLevel: (i + 1) as TrustLevel, key: o.keys.reader }),
  );
  named.forEach((o, i) =>
    viewers.push({ label: `RED-named org ${i + 1}`, id: o.id, trustLevel: (i + 1) as TrustLevel, key: o.keys.reader }),
  );
  viewers.push({ label: 'hub admin', id: hubOrg.id, trustLevel: 4, key: hub.adminKey });
  viewers.push({ label: 'suspended org', id: suspended.id, trustLevel: 0, key: suspended.keys.reader });

  // Everyone's constituency (the submitters' and the suspended org's included) holds every matrix alert's address.
  for (const org of [...submitters, suspended, ...named]) {
    const r = await hub.http('PUT', `/api/v1/orgs/${org.id}/constituency`, org.keys.admin, { cidrs: [CONSTITUENCY] });
    expect(r.status).toBe(200);
  }
  const hubConstituency = await hub.http('PUT', `/api/v1/orgs/${hubOrg.id}/constituency`, hub.adminKey, {
    cidrs: [CONSTITUENCY],
  });
  expect(hubConstituency.status).toBe(200);

  submitters.forEach((org, s) =>
    TLPS.forEach((tlp, i) =>
      matrixAlert(
        `${tlp} of submitting org ${s + 1}`,
        tlp,
        org,
        s * TLPS.length + i,
        tlp === 'RED' ? named.map((o) => o.id) : [],
      ),
    ),
  );
  matrixAlert('GREEN of the suspended org', 'GREEN', suspended, submitters.length * TLPS.length);
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.close());
  await hub?.close();
});

describe('the TLP × trust × relation × path visibility matrix', () => {
  it('shows each alert on every path, and in mayReceive, exactly to those the stated policy lets see it', async () => {
    const active = viewers.filter((v) => v.trustLevel > 0);
    const suspendedViewer = viewers.find((v) => v.trustLevel === 0)!;

    // Live sockets of every active viewer, before anything is submitted.
    for (const v of active) {
      live.set(v.label, record(v.key));
    }
    for (const v of active) {
      expect(await connected(live.get(v.label)!)).toBeNull();
    }

    // The suspended org's own alert, published while it was trusted; then the suspension.
    const own = alerts.find((a) => a.sourceOrgId === suspended.id)!;
    own.id = await submit(suspended, body(own));
    await published(suspended.keys.reader, own.id);
    const suspend = await hub.http('PATCH', `/api/v1/orgs/${suspended.id}`, hub.adminKey, {
      trustLevel: 0,
      reason: 'visibility matrix: a suspended member',
    });
    expect(suspend.status, JSON.stringify(suspend.body)).toBe(200);
    const suspendedLive = record(suspended.keys.reader);
    live.set(suspendedViewer.label, suspendedLive);
    expect(await connected(suspendedLive)).toBe('unauthorized');

    // One alert per TLP label from each submitter (the trust-1 one's approved by the hub's vetter); then each
    // matrix alert's GREEN peer report, so that each pair makes a coordinated alert.
    for (const org of submitters) {
      for (const a of alerts.filter((x) => x.sourceOrgId === org.id)) {
        a.id = await submit(org, body(a));
      }
    }
    const provisional = submitters[0]!;
    for (const a of alerts.filter((x) => x.sourceOrgId === provisional.id)) {
      await eventually(async () => {
        const r = await hub.http('GET', `/api/v1/alerts/${a.id}`, provisional.keys.reader);
        expect(r.body.status).toBe('pending_review');
      }, 30_000);
      const review = await hub.http('POST', `/api/v1/alerts/${a.id}/review`, hubVetterKey, {
        decision: 'approve',
        reason: 'visibility matrix',
      });
      expect(review.status, JSON.stringify(review.body)).toBe(200);
    }
    const keyOf = new Map([...submitters, suspended].map((o) => [o.id, o.keys.reader]));
    for (const a of alerts) {
      await published(a.sourceOrgId === suspended.id ? hub.adminKey : keyOf.get(a.sourceOrgId)!, a.id);
    }
    for (const a of alerts) {
      a.peerId = await submit(peer, buildAlert({ tlp: 'GREEN', indicators: [{ type: 'ipv4', value: a.sharedIp }] }));
    }
    for (const a of alerts) {
      await published(peer.keys.reader, a.peerId);
    }
    // Every pair has its coordinated alert before the sentinel is published. Watched by trust-4 viewers (the hub
    // for the non-RED pairs, the trust-4 named recipient for the RED ones), not by those whose cells are in doubt.
    const watchers = [
      { key: hub.adminKey, watches: (a: MatrixAlert) => a.tlp !== 'RED' },
      { key: named[3]!.keys.reader, watches: (a: MatrixAlert) => a.tlp === 'RED' },
    ];
    await eventually(async () => {
      for (const w of watchers) {
        const r = await hub.http('GET', '/api/v1/coordinated-alerts?limit=200', w.key);
        const reported = r.body.items.flatMap((c: any) => c.reports.map((x: { alertId: string }) => x.alertId));
        expect(reported).toEqual(expect.arrayContaining(alerts.filter(w.watches).map((a) => a.id)));
      }
    }, 30_000);
    // A CLEAR sentinel everyone sees: once a socket has it, it has every earlier event (one gateway, seq order).
    const sentinel = await submit(
      submitters[2]!,
      buildAlert({ tlp: 'CLEAR', indicators: [{ type: 'ipv4', value: '193.42.33.199' }] }),
    );
    await published(submitters[2]!.keys.reader, sentinel);
    const hasSentinel = (r: Recorder) => expect(r.client.events.map((e) => e.alert.id)).toContain(sentinel);
    await eventually(() => active.forEach((v) => hasSentinel(live.get(v.label)!)), 30_000);

    // Replay of everything, on new sockets.
    for (const v of viewers) {
      replay.set(v.label, record(v.key, 0));
    }
    for (const v of active) {
      expect(await connected(replay.get(v.label)!)).toBeNull();
    }
    expect(await connected(replay.get(suspendedViewer.label)!)).toBe('unauthorized');
    await eventually(() => active.forEach((v) => hasSentinel(replay.get(v.label)!)), 30_000);

    const actual: Record<string, Cell> = {};
    const want: Record<string, Cell> = {};
    for (const v of viewers) {
      const missingId = randomUUID();
      /** What each route answers this viewer for an id that does not exist (asked once per route). */
      const missingAnswers = new Map<string, Promise<{ status: number; body: any }>>();
      const missing = (method: string, path: string, payload?: unknown) => {
        const k = `${method} ${path}`;
        if (!missingAnswers.has(k)) {
          missingAnswers.set(k, hub.http(method, path, v.key, payload));
        }
        return missingAnswers.get(k)!;
      };
      /** A REST answer as a cell: shown, hidden exactly as a missing id is, refused, or what else it was. */
      const rest = async (method: string, path: (id: string) => string, id: string, payload?: unknown) => {
        const r = await hub.http(method, path(id), v.key, payload);
        if (r.status === 200) {
          return true;
        }
        if (r.status === 401) {
          return REFUSED;
        }
        if (r.status === 403) {
          return OWN_SIGHTING;
        }
        if (r.status === 404) {
          const unknown = await missing(method, path(missingId), payload);
          return unknown.status === 404 && JSON.stringify(problem(r.body)) === JSON.stringify(problem(unknown.body))
            ? false
            : `a 404 unlike an unknown id's: ${JSON.stringify(r.body)}`;
        }
        return `status ${r.status}`;
      };
      const list = await hub.http('GET', '/api/v1/alerts?limit=200', v.key);
      const coordinated = await hub.http('GET', '/api/v1/coordinated-alerts?limit=200', v.key);
      const inViews = (views: any[], id: string) =>
        views.some((c) => c.reports.some((r: { alertId: string }) => r.alertId === id));
      const l = live.get(v.label)!;
      const rp = replay.get(v.label)!;

      // One viewer at a time, its alerts side by side (each alert's paths in turn).
      await Promise.all(
        alerts.map(async (a) => {
          const cells: Record<Path, Cell> = {
            mayReceive: mayReceive(a, { id: v.id, trustLevel: v.trustLevel }),
            live: l.client.events.some((e) => e.alert.id === a.id),
            replay: rp.client.events.some((e) => e.alert.id === a.id),
            'constituency-hit live': l.hits.some((h) => h.alertId === a.id),
            'constituency-hit replay': rp.hits.some((h) => h.alertId === a.id),
            'GET /alerts/:id': await rest('GET', (id) => `/api/v1/alerts/${id}`, a.id),
            'GET /alerts/:id/indicators': await rest('GET', (id) => `/api/v1/alerts/${id}/indicators`, a.id),
            'export stix': await rest('GET', (id) => `/api/v1/alerts/${id}/export?format=stix`, a.id),
            'export misp': await rest('GET', (id) => `/api/v1/alerts/${id}/export?format=misp`, a.id),
            'GET /alerts (list)':
              list.status === 200
                ? list.body.items.some((x: { id: string }) => x.id === a.id)
                : list.status === 401
                  ? REFUSED
                  : `status ${list.status}`,
            'GET /indicators?value=': await lookup(v, a),
            'linkedAlerts of a peer report': await linked(v, a),
            'GET /coordinated-alerts':
              coordinated.status === 200
                ? inViews(coordinated.body.items, a.id)
                : coordinated.status === 401
                  ? REFUSED
                  : `status ${coordinated.status}`,
            'coordinated-alert live': inViews(
              l.coordinated.map((e) => e.coordinatedAlert),
              a.id,
            ),
            'coordinated-alert replay': inViews(
              rp.coordinated.map((e) => e.coordinatedAlert),
              a.id,
            ),
            // Last: a sighting changes the alert's confidence, nothing of its audience.
            'POST /alerts/:id/sightings': await rest('POST', (id) => `/api/v1/alerts/${id}/sightings`, a.id, {
              type: 'sighting',
            }),
          };
          for (const p of PATHS) {
            actual[cellKey(v, a, p)] = cells[p];
            want[cellKey(v, a, p)] = expected(v, a, p);
          }
        }),
      );
    }
    expect(actual).toEqual(want);
    // The matrix is not trivially one-sided: both outcomes occur on every path.
    for (const p of PATHS) {
      const values = new Set(
        Object.entries(want)
          .filter(([k]) => k.endsWith(`| ${p}`))
          .map(([, c]) => c),
      );
      expect(values.has(false) || values.has(REFUSED), p).toBe(true);
      expect(values.has(true), p).toBe(true);
    }
    // About 20 s on a quiet machine; room for a busy one.
  }, 180_000);
});

/** `GET /api/v1/indicators?value=` of the address only this alert carries: counted and listed, or neither. */
async function lookup(v: Viewer, a: MatrixAlert): Promise<Cell> {
  const r = await hub.http('GET', `/api/v1/indicators?value=${a.constituencyIp}`, v.key);
  if (r.status === 401) {
    return REFUSED;
  }
  if (r.status !== 200) {
    return `status ${r.status}`;
  }
  const ids = r.body.items.map((x: { alertId: string }) => x.alertId);
  if (r.body.alertCount === 1 && ids.length === 1 && ids[0] === a.id) {
    return true;
  }
  if (r.body.alertCount === 0 && ids.length === 0 && r.body.firstSeen === null && r.body.lastSeen === null) {
    return false;
  }
  return `alertCount ${r.body.alertCount}, ${ids.length} items, firstSeen ${r.body.firstSeen}`;
}

/** The GREEN peer report sharing a value with this alert lists it among its `linkedAlerts`, or does not. */
async function linked(v: Viewer, a: MatrixAlert): Promise<Cell> {
  const r = await hub.http('GET', `/api/v1/alerts/${a.peerId}`, v.key);
  if (r.status === 401) {
    return REFUSED;
  }
  if (r.status !== 200) {
    return `the peer report answered ${r.status}`;
  }
  return r.body.linkedAlerts.some((l: { alertId: string }) => l.alertId === a.id);
}
