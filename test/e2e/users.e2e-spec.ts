import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TOTP, URI } from 'otpauth';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { generateApiKey } from '@tocsin/domain';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { eventually } from '../harness/eventually';
import {
  deleteRedisPrefix,
  startTestHub,
  waitConnected,
  type AlertClient,
  type HttpResult,
  type TestHub,
} from '../harness/hub';
import { httpClient } from '../harness/http';
import { REDIS_TEST_URL } from '../harness/pg';
import { freePort, startRole, type RoleProcess } from '../harness/processes';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

let hub: TestHub;
let org: SeededOrg;
let other: SeededOrg;
let n = 0;

const PASSWORD = 'violet glacier tomato 42';

beforeAll(async () => {
  // Sockets' sessions are rechecked every 2 s (30 s by default), so an expiry shows within a test.
  hub = await startTestHub({ env: { TOCSIN_SOCKET_RECHECK_SECONDS: '2' } });
  org = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
  other = await seedOrg(hub, { trustLevel: 3, country: 'BE' });
});

const sockets: AlertClient[] = [];

afterAll(async () => {
  sockets.forEach((c) => c.close());
  await hub?.close();
});

/** A socket.io client on /alerts that authenticates with the session cookie (as a browser sends it), no token. */
function cookieSocket(cookie: string, origin = hub.url): AlertClient {
  const socket = io(`${hub.url}/alerts`, {
    transports: ['websocket'],
    extraHeaders: { cookie, origin },
    reconnection: false,
    forceNew: true,
  });
  const c: AlertClient = { socket, events: [], all: [], errors: [], close: () => socket.close() };
  socket.on('alert', (e: { seq: number; alert: any }) => c.events.push(e));
  socket.on('connect_error', (e: Error) => c.errors.push(e));
  sockets.push(c);
  return c;
}

/** A browser's view of one session: its cookie, CSRF token and the hub's own origin on every request. */
interface Browser {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly body: any;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
}

const email = (label: string) => `${label}.${++n}.${Date.now()}@cert.example`;

async function invite(role: string, address = email(role), key = org.keys.admin, orgId = org.id): Promise<any> {
  const r = await hub.http('POST', `/api/v1/orgs/${orgId}/users`, key, { email: address, role });
  expect(r.status).toBe(201);
  return r.body;
}

async function activeUser(role: string): Promise<{ id: string; email: string }> {
  const u = await invite(role);
  expect((await hub.http('POST', `/api/v1/invites/${u.inviteToken}`, null, { password: PASSWORD })).status).toBe(200);
  return { id: u.id, email: u.email };
}

async function signIn(address: string, password = PASSWORD, totp?: string): Promise<HttpResult> {
  return hub.http('POST', '/api/v1/session', null, { email: address, password, ...(totp ? { totp } : {}) });
}

async function browser(address: string, totp?: string): Promise<Browser> {
  const r = await signIn(address, PASSWORD, totp);
  expect(r.status).toBe(201);
  const setCookie = r.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  expect(cookie).toMatch(/^tocsin_session=[A-Za-z0-9_-]{43}$/);
  const csrfToken = r.body.csrfToken as string;
  return {
    cookie,
    csrfToken,
    body: r.body,
    call: (method, path, body, headers = {}) =>
      hub.http(method, path, null, body, { cookie, origin: hub.url, 'x-csrf-token': csrfToken, ...headers }),
  };
}

describe('the whole way in', () => {
  it('invite → password → enrol TOTP → sign in with a code → read alerts over REST and the socket with the cookie', async () => {
    const address = email('officer');
    const invited = await invite('admin', address);
    expect(
      (await hub.http('POST', `/api/v1/invites/${invited.inviteToken}`, null, { password: PASSWORD })).status,
    ).toBe(200);
    const enrolling = await browser(address);
    expect(enrolling.body.enrolmentOnly).toBe(true);
    const offer = await enrolling.call('POST', '/api/v1/session/totp');
    const totp = URI.parse(offer.body.otpauthUri as string) as TOTP;
    expect((await enrolling.call('POST', '/api/v1/session/totp/confirm', { code: totp.generate() })).status).toBe(200);
    expect((await enrolling.call('DELETE', '/api/v1/session')).status).toBe(204);

    const b = await browser(address, totp.generate({ timestamp: Date.now() + 30_000 }));
    expect(b.body).toMatchObject({ enrolmentOnly: false, user: { id: invited.id, role: 'admin', orgId: org.id } });
    const c = cookieSocket(b.cookie);
    await waitConnected(c);
    const id = (await hub.http('POST', '/api/v1/alerts', org.keys.operator, buildAlert({ title: 'For the officer' })))
      .body.id as string;
    await eventually(() => expect(c.events.map((e) => e.alert.id)).toContain(id));
    const listed = await b.call('GET', '/api/v1/alerts?limit=200');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(id);
    expect((await b.call('GET', `/api/v1/alerts/${id}`)).body.id).toBe(id);
  });
});

describe('invite, password, sign-in', () => {
  it('invites a reader who sets a password once, signs in and reads alerts over REST with the cookie', async () => {
    const id = (
      await hub.http('POST', '/api/v1/alerts', org.keys.operator, buildAlert({ title: 'For the duty officer' }))
    ).body.id as string;
    await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/alerts/${id}`, org.keys.reader);
      expect(r.body.status).toBe('published');
    });

    const address = email('Duty');
    const invited = await invite('reader', address.toUpperCase());
    expect(invited).toMatchObject({ email: address.toLowerCase(), role: 'reader', status: 'invited', orgId: org.id });
    expect(invited.inviteToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invited.inviteUrl).toBe(`${hub.url}/invite#${invited.inviteToken}`);
    expect(new Date(invited.inviteExpiresAt).getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);
    expect(JSON.stringify(invited)).not.toMatch(/password|secret|hash/i);

    const set = await hub.http('POST', `/api/v1/invites/${invited.inviteToken}`, null, { password: PASSWORD });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: invited.id, status: 'active' });
    expect(JSON.stringify(set.body)).not.toContain(PASSWORD);
    const again = await hub.http('POST', `/api/v1/invites/${invited.inviteToken}`, null, { password: PASSWORD + 'x' });
    expect(again.status).toBe(404);
    expect(again.body.type).toBe('urn:tocsin:problem:invite-not-found');

    const r = await signIn(address);
    expect(r.status).toBe(201);
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/); // plain HTTP on loopback, TOCSIN_SESSION_COOKIE_SECURE=auto
    expect(JSON.stringify(r.body)).not.toContain(setCookie.split(';')[0]!.split('=')[1]!);

    const b = await browser(address);
    const me = await b.call('GET', '/api/v1/session');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      user: { id: invited.id, email: address.toLowerCase(), role: 'reader', orgId: org.id },
      csrfToken: b.csrfToken,
      enrolmentOnly: false,
      secondFactor: false,
    });
    const alerts = await b.call('GET', '/api/v1/alerts?limit=200');
    expect(alerts.status).toBe(200);
    expect(alerts.body.items.map((a: { id: string }) => a.id)).toContain(id);
  });

  it('refuses a short or common password and leaves the invite usable', async () => {
    const u = await invite('reader');
    for (const password of ['short pw', 'qwerty123456', '1QAZ2WSX3EDC']) {
      const r = await hub.http('POST', `/api/v1/invites/${u.inviteToken}`, null, { password });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].pointer).toBe('/password');
    }
    expect((await hub.http('POST', `/api/v1/invites/${u.inviteToken}`, null, { password: PASSWORD })).status).toBe(200);
  });

  it('keeps e-mails unique across the hub, whatever their case (409)', async () => {
    const address = email('unique');
    await invite('reader', address);
    const r = await hub.http('POST', `/api/v1/orgs/${other.id}/users`, other.keys.admin, {
      email: address.toUpperCase(),
      role: 'reader',
    });
    expect(r.status).toBe(409);
    expect(r.body.type).toBe('urn:tocsin:problem:email-taken');
  });

  it('lets only the org’s admins and the hub’s manage its users', async () => {
    const u = await invite('reader');
    expect((await hub.http('GET', `/api/v1/orgs/${org.id}/users`, hub.adminKey)).status).toBe(200);
    const listed = await hub.http('GET', `/api/v1/orgs/${org.id}/users`, org.keys.admin);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(u.id);
    expect((await hub.http('GET', `/api/v1/orgs/${org.id}/users`, org.keys.reader)).status).toBe(403);
    expect((await hub.http('GET', `/api/v1/orgs/${org.id}/users`, other.keys.admin)).status).toBe(404);
    const cross = await hub.http('PATCH', `/api/v1/orgs/${other.id}/users/${u.id}`, other.keys.admin, {
      role: 'admin',
    });
    expect(cross.status).toBe(404);
    expect(cross.body.type).toBe('urn:tocsin:problem:user-not-found');
  });

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    const u = await activeUser('reader');
    const unknown = await signIn(email('nobody'));
    const wrong = await signIn(u.email, 'not the password at all');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const { instance: _a, ...a } = unknown.body;
    const { instance: _b, ...b } = wrong.body;
    expect(a).toEqual(b);
    const invited = await invite('reader');
    const pending = await signIn(invited.email, PASSWORD);
    expect(pending.status).toBe(401);
  });
});

describe('POST /api/v1/orgs/:id/users/:userId/invite', () => {
  it('resets a forgotten password: the old one stands until the new invite is used, which ends the sessions', async () => {
    const u = await activeUser('reader');
    const b = await browser(u.email);
    const r = await hub.http('POST', `/api/v1/orgs/${org.id}/users/${u.id}/invite`, org.keys.admin);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: u.id, status: 'active', inviteUrl: `${hub.url}/invite#${r.body.inviteToken}` });
    expect((await signIn(u.email)).status).toBe(201);
    const fresh = 'a brand new passphrase';
    expect((await hub.http('POST', `/api/v1/invites/${r.body.inviteToken}`, null, { password: fresh })).status).toBe(
      200,
    );
    expect((await b.call('GET', '/api/v1/session')).status).toBe(401);
    expect((await signIn(u.email)).status).toBe(401);
    expect((await signIn(u.email, fresh)).status).toBe(201);
  });

  it('refuses another org’s user (404) and a disabled user (409)', async () => {
    const u = await activeUser('reader');
    expect((await hub.http('POST', `/api/v1/orgs/${other.id}/users/${u.id}/invite`, other.keys.admin)).status).toBe(
      404,
    );
    expect((await hub.http('DELETE', `/api/v1/orgs/${org.id}/users/${u.id}`, org.keys.admin)).status).toBe(200);
    const r = await hub.http('POST', `/api/v1/orgs/${org.id}/users/${u.id}/invite`, org.keys.admin);
    expect(r.status).toBe(409);
    expect(r.body.type).toBe('urn:tocsin:problem:user-disabled');
  });
});

describe('roles and CSRF with a session', () => {
  it.each([
    ['submit an alert', 'POST', () => '/api/v1/alerts', () => buildAlert()],
    ['issue a key', 'POST', () => `/api/v1/orgs/${org.id}/keys`, () => ({ role: 'reader' })],
    ['list users', 'GET', () => `/api/v1/orgs/${org.id}/users`, () => undefined],
    ['change a trust level', 'PATCH', () => `/api/v1/orgs/${other.id}`, () => ({ trustLevel: 1, reason: 'x' })],
    ['create an org', 'POST', () => '/api/v1/orgs', () => ({ name: `X ${Date.now()}`, country: 'FR', trustLevel: 1 })],
    ['set the constituency', 'PUT', () => `/api/v1/orgs/${org.id}/constituency`, () => ({ countries: ['NL'] })],
    ['read the audit trail', 'GET', () => '/api/v1/audit', () => undefined],
    ['read its org’s audit trail', 'GET', () => `/api/v1/orgs/${org.id}/audit`, () => undefined],
    ['read another org', 'GET', () => `/api/v1/orgs/${other.id}`, () => undefined],
    ['end a user’s sessions', 'DELETE', () => `/api/v1/orgs/${org.id}/users/${org.id}/sessions`, () => undefined],
  ])('refuses a reader user what it refuses a reader key: %s', async (_label, method, path, body) => {
    const viaKey = await hub.http(method, path(), org.keys.reader, body());
    const b = await browser((await activeUser('reader')).email);
    const viaSession = await b.call(method, path(), body());
    expect(viaKey.status).toBeGreaterThanOrEqual(400);
    expect(viaSession.status).toBe(viaKey.status);
    expect(viaSession.body.type).toBe(viaKey.body.type);
  });

  it.each([
    ['read its org', () => `/api/v1/orgs/${org.id}`],
    ['list alerts', () => '/api/v1/alerts'],
    ['list its subscriptions', () => '/api/v1/subscriptions'],
  ])('lets a reader user do what a reader key may: %s', async (_label, path) => {
    const viaKey = await hub.http('GET', path(), org.keys.reader);
    const b = await browser((await activeUser('reader')).email);
    const viaSession = await b.call('GET', path());
    expect(viaKey.status).toBe(200);
    expect(viaSession.status).toBe(200);
  });

  it('lets an operator user submit as an operator key does', async () => {
    const b = await browser((await activeUser('operator')).email);
    const r = await b.call('POST', '/api/v1/alerts', buildAlert({ title: 'Submitted by a person' }));
    expect(r.status).toBe(202);
  });

  it('refuses a state-changing request without the CSRF token or from a foreign origin', async () => {
    const b = await browser((await activeUser('operator')).email);
    const missing = await hub.http('POST', '/api/v1/alerts', null, buildAlert(), { cookie: b.cookie, origin: hub.url });
    expect(missing.status).toBe(403);
    expect(missing.body.type).toBe('urn:tocsin:problem:csrf-refused');
    const wrong = await b.call('POST', '/api/v1/alerts', buildAlert(), { 'x-csrf-token': 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const foreign = await b.call('POST', '/api/v1/alerts', buildAlert(), { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.type).toBe('urn:tocsin:problem:csrf-refused');
    const signOut = await hub.http('DELETE', '/api/v1/session', null, undefined, { cookie: b.cookie });
    expect(signOut.status).toBe(403);
    expect((await b.call('GET', '/api/v1/session')).status).toBe(200);
  });

  it('refuses a sign-in or an invite from a foreign origin (login CSRF)', async () => {
    const u = await activeUser('reader');
    const evil = { origin: 'https://evil.example' };
    const r = await hub.http('POST', '/api/v1/session', null, { email: u.email, password: PASSWORD }, evil);
    expect(r.status).toBe(403);
    expect(r.body.type).toBe('urn:tocsin:problem:csrf-refused');
    expect(r.headers.get('set-cookie')).toBeNull();
    const invited = await invite('reader');
    const accept = await hub.http('POST', `/api/v1/invites/${invited.inviteToken}`, null, { password: PASSWORD }, evil);
    expect(accept.status).toBe(403);
    const own = { origin: hub.url };
    expect((await hub.http('POST', '/api/v1/session', null, { email: u.email, password: PASSWORD }, own)).status).toBe(
      201,
    );
  });

  it('keeps API keys working exactly as before, cookie or not', async () => {
    const b = await browser((await activeUser('reader')).email);
    const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, buildAlert(), { cookie: b.cookie });
    expect(r.status).toBe(202);
  });
});

describe('the authorization matrix, route by route', () => {
  /** A full session of a new user of this role (an admin enrols its second factor first, as it must). */
  async function fullBrowser(role: string): Promise<Browser> {
    const b = await browser((await activeUser(role)).email);
    if (b.body.enrolmentOnly) {
      const offer = await b.call('POST', '/api/v1/session/totp');
      const totp = URI.parse(offer.body.otpauthUri as string) as TOTP;
      expect((await b.call('POST', '/api/v1/session/totp/confirm', { code: totp.generate() })).status).toBe(200);
    }
    return b;
  }

  it.each(['reader', 'operator', 'vetter', 'admin'] as const)(
    'answers a %s user on every route of the API exactly as a key of that role',
    async (role) => {
      const doc = await hub.http('GET', '/api/openapi.json', null);
      expect(doc.status).toBe(200);
      // Every route but the session's own (sign-in, invites, sign-out, second factor), which no key may use.
      const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
        .filter(([path]) => !/^\/api\/v1\/(session|sessions|invites)(\/|$)/.test(path))
        .flatMap(([path, ops]) =>
          Object.keys(ops)
            .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
            .map((m) => ({ method: m.toUpperCase(), path })),
        );
      expect(routes.length).toBeGreaterThan(30);
      const missing = '00000000-0000-4000-8000-00000000abcd';
      const b = await fullBrowser(role);
      const differences: string[] = [];
      for (const { method, path } of routes) {
        // The org's own routes with its id; any other id one that does not exist (404 or a refusal before it).
        const url = path.replace(/^\/api\/v1\/orgs\/\{id\}/, `/api/v1/orgs/${org.id}`).replace(/\{[^}]+\}/g, missing);
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        const viaKey = await hub.http(method, url, org.keys[role], body);
        const viaSession = await b.call(method, url, body);
        if (viaKey.status !== viaSession.status || viaKey.body?.type !== viaSession.body?.type) {
          differences.push(
            `${method} ${path}: key ${viaKey.status} ${viaKey.body?.type ?? ''}, session ${viaSession.status} ${viaSession.body?.type ?? ''}`,
          );
        }
      }
      expect(differences).toEqual([]);
      // The session still stands: nothing above ended it.
      expect((await b.call('GET', '/api/v1/session')).status).toBe(200);
    },
    120_000,
  );
});

describe('signing out', () => {
  it('ends this session only with DELETE /session', async () => {
    const u = await activeUser('reader');
    const one = await browser(u.email);
    const two = await browser(u.email);
    expect((await one.call('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await one.call('GET', '/api/v1/session')).status).toBe(401);
    expect((await two.call('GET', '/api/v1/session')).status).toBe(200);
  });

  it('ends every session of the user with DELETE /sessions, from the next request', async () => {
    const u = await activeUser('reader');
    const one = await browser(u.email);
    const two = await browser(u.email);
    const r = await one.call('DELETE', '/api/v1/sessions');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ended: 2 });
    expect((await one.call('GET', '/api/v1/alerts')).status).toBe(401);
    expect((await two.call('GET', '/api/v1/alerts')).status).toBe(401);
  });

  it('lets an admin end a user’s sessions, and disabling a user ends them and refuses sign-in, cutting their sockets', async () => {
    const u = await activeUser('reader');
    const b = await browser(u.email);
    const bSocket = cookieSocket(b.cookie);
    await waitConnected(bSocket);
    const ended = await hub.http('DELETE', `/api/v1/orgs/${org.id}/users/${u.id}/sessions`, org.keys.admin);
    expect(ended.body).toEqual({ ended: 1 });
    expect((await b.call('GET', '/api/v1/session')).status).toBe(401);
    await eventually(() => expect(bSocket.socket.connected).toBe(false), 20_000);

    const c = await browser(u.email);
    const cSocket = cookieSocket(c.cookie);
    await waitConnected(cSocket);
    const disabled = await hub.http('DELETE', `/api/v1/orgs/${org.id}/users/${u.id}`, org.keys.admin);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: u.id, status: 'disabled' });
    expect((await c.call('GET', '/api/v1/session')).status).toBe(401);
    await eventually(() => expect(cSocket.socket.connected).toBe(false), 20_000);
    expect((await signIn(u.email)).status).toBe(401);
  });

  it('applies a role change from the user’s next request', async () => {
    const u = await activeUser('reader');
    const b = await browser(u.email);
    expect((await b.call('POST', '/api/v1/alerts', buildAlert())).status).toBe(403);
    const r = await hub.http('PATCH', `/api/v1/orgs/${org.id}/users/${u.id}`, org.keys.admin, { role: 'operator' });
    expect(r.body.role).toBe('operator');
    expect((await b.call('POST', '/api/v1/alerts', buildAlert())).status).toBe(202);
  });
});

describe('session expiry', () => {
  /** Moves a user's sessions in time as if hours had passed (the hub reads only the stored times). */
  async function age(userId: string, set: string): Promise<void> {
    const pg = new Client({ connectionString: hub.db.url });
    await pg.connect();
    try {
      await pg.query(`UPDATE sessions SET ${set} WHERE user_id = $1`, [userId]);
    } finally {
      await pg.end();
    }
  }

  it.each([
    ['absolute', "expires_at = now() - interval '1 second'"],
    ['idle', "last_seen_at = now() - interval '31 minutes'"],
  ])(
    'refuses a session past its %s expiry on its next request, and cuts its socket at the next recheck',
    async (_kind, set) => {
      const u = await activeUser('reader');
      const b = await browser(u.email);
      const c = cookieSocket(b.cookie);
      await waitConnected(c);
      expect((await b.call('GET', '/api/v1/alerts')).status).toBe(200);
      await age(u.id, set);
      const r = await b.call('GET', '/api/v1/alerts');
      expect(r.status).toBe(401);
      await eventually(() => expect(c.socket.connected).toBe(false), 20_000);
      // A new socket with the ended session is refused at the handshake.
      const again = cookieSocket(b.cookie);
      await expect(waitConnected(again)).rejects.toThrow();
    },
  );
});

describe('second factor', () => {
  it('gives an admin without TOTP an enrolment-only session, full once a code is confirmed', async () => {
    const u = await activeUser('admin');
    const b = await browser(u.email);
    expect(b.body.enrolmentOnly).toBe(true);
    const refused = await b.call('GET', `/api/v1/orgs/${org.id}/users`);
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('urn:tocsin:problem:second-factor-enrolment-required');

    const offer = await b.call('POST', '/api/v1/session/totp');
    expect(offer.status).toBe(200);
    const totp = URI.parse(offer.body.otpauthUri) as TOTP;
    expect(totp).toBeInstanceOf(TOTP);
    expect(totp).toMatchObject({ algorithm: 'SHA1', digits: 6, period: 30 });

    expect((await b.call('POST', '/api/v1/session/totp/confirm', { code: '000000' })).status).toBe(400);
    const confirmed = await b.call('POST', '/api/v1/session/totp/confirm', { code: totp.generate() });
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await b.call('GET', `/api/v1/orgs/${org.id}/users`)).status).toBe(200);
    // Replacing it asks for a code of it first (see "replacing one's own second factor"); confirming needs an offer.
    const again = await b.call('POST', '/api/v1/session/totp');
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual([{ pointer: '/code', detail: expect.stringContaining('is required') }]);
    expect((await b.call('POST', '/api/v1/session/totp/confirm', { code: totp.generate() })).status).toBe(409);

    const noCode = await signIn(u.email);
    expect(noCode.status).toBe(401);
    expect(noCode.body.type).toBe('urn:tocsin:problem:second-factor-required');
    expect((await signIn(u.email, PASSWORD, '123456')).status).toBe(401);
    // The code confirmed above was used: the next time step's code (one step of drift is accepted) signs in.
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const full = await browser(u.email, next);
    expect(full.body.enrolmentOnly).toBe(false);
    expect((await signIn(u.email, PASSWORD, next)).status).toBe(401);

    const recovery = String(codes[0]);
    expect(recovery).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect((await signIn(u.email, PASSWORD, recovery.toUpperCase())).status).toBe(201);
    expect((await signIn(u.email, PASSWORD, recovery)).status).toBe(401);
  });

  it('holds a reader made admin to enrolment from its next request, and again once an admin removes its factor', async () => {
    const u = await activeUser('reader');
    const b = await browser(u.email);
    expect((await b.call('GET', `/api/v1/orgs/${org.id}`)).status).toBe(200);
    await hub.http('PATCH', `/api/v1/orgs/${org.id}/users/${u.id}`, org.keys.admin, { role: 'admin' });
    const held = await b.call('GET', `/api/v1/orgs/${org.id}`);
    expect(held.status).toBe(403);
    expect(held.body.type).toBe('urn:tocsin:problem:second-factor-enrolment-required');
    const totp = URI.parse((await b.call('POST', '/api/v1/session/totp')).body.otpauthUri as string) as TOTP;
    expect((await b.call('POST', '/api/v1/session/totp/confirm', { code: totp.generate() })).status).toBe(200);
    expect((await b.call('GET', `/api/v1/orgs/${org.id}`)).status).toBe(200);

    const removed = await hub.http('DELETE', `/api/v1/orgs/${org.id}/users/${u.id}/totp`, org.keys.admin);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: u.id, secondFactor: false });
    expect((await b.call('GET', `/api/v1/orgs/${org.id}`)).status).toBe(403);
    // No code is asked for any more; the new session may only enrol.
    const again = await browser(u.email);
    expect(again.body.enrolmentOnly).toBe(true);
  });

  it('does not require a second factor of a reader (default TOCSIN_TOTP_REQUIRED_ROLES=admin)', async () => {
    const b = await browser((await activeUser('reader')).email);
    expect(b.body.enrolmentOnly).toBe(false);
  });
});

describe("replacing one's own second factor", () => {
  /** An admin with a TOTP factor: its enrolling session (now full), the factor and its recovery codes. */
  async function enrolled(h: TestHub = hub, o: SeededOrg = org) {
    const address = email('replacer');
    const u = await h.http('POST', `/api/v1/orgs/${o.id}/users`, o.keys.admin, { email: address, role: 'admin' });
    expect((await h.http('POST', `/api/v1/invites/${u.body.inviteToken}`, null, { password: PASSWORD })).status).toBe(
      200,
    );
    const opened = await h.http('POST', '/api/v1/session', null, { email: address, password: PASSWORD });
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0]!;
    const call = (method: string, path: string, body?: unknown) =>
      h.http(method, path, null, body, { cookie, origin: h.url, 'x-csrf-token': opened.body.csrfToken as string });
    const totp = URI.parse((await call('POST', '/api/v1/session/totp')).body.otpauthUri as string) as TOTP;
    const confirmed = await call('POST', '/api/v1/session/totp/confirm', { code: totp.generate() });
    expect(confirmed.status).toBe(200);
    return { id: u.body.id as string, email: address, call, totp, codes: confirmed.body.recoveryCodes as string[] };
  }

  it('asks a code of the current factor, swaps it only at confirmation, and ends the user’s other sessions', async () => {
    const u = await enrolled();
    const other = await browser(u.email, u.totp.generate({ timestamp: Date.now() + 30_000 }));

    const wrong = await u.call('POST', '/api/v1/session/totp', { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ pointer: '/code', detail: expect.stringContaining('is not a current code') }]);
    expect((await u.call('POST', '/api/v1/session/totp', { code: 12 })).status).toBe(400);

    // Both time steps the drift allows are used up by now: a recovery code proves the factor (and is used up).
    const offer = await u.call('POST', '/api/v1/session/totp', { code: u.codes[0] });
    expect(offer.status).toBe(200);
    expect(offer.body.replacing).toBe(true);
    const next = URI.parse(offer.body.otpauthUri as string) as TOTP;
    expect(next.secret.base32).not.toBe(u.totp.secret.base32);
    // Until confirmed, the old factor holds: its recovery codes still sign in, the used one no more.
    expect((await signIn(u.email, PASSWORD, u.codes[0])).status).toBe(401);
    expect((await signIn(u.email, PASSWORD, u.codes[1])).status).toBe(201);
    expect((await u.call('POST', '/api/v1/session/totp/confirm', { code: '000000' })).status).toBe(400);

    const swapped = await u.call('POST', '/api/v1/session/totp/confirm', { code: next.generate() });
    expect(swapped.status).toBe(200);
    const codes = swapped.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(codes.filter((c) => u.codes.includes(c))).toEqual([]);

    // This session goes on; the others (the browser, the recovery-code sign-in) are ended.
    expect((await u.call('GET', '/api/v1/session')).status).toBe(200);
    expect((await other.call('GET', '/api/v1/session')).status).toBe(401);
    // The old factor and its recovery codes are gone; the new ones sign in.
    expect((await signIn(u.email, PASSWORD, u.totp.generate({ timestamp: Date.now() + 30_000 }))).status).toBe(401);
    expect((await signIn(u.email, PASSWORD, u.codes[2])).status).toBe(401);
    expect((await signIn(u.email, PASSWORD, codes[0])).status).toBe(201);
    expect((await signIn(u.email, PASSWORD, next.generate({ timestamp: Date.now() + 30_000 }))).status).toBe(201);

    const audit = await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/orgs/${org.id}/audit?limit=100`, org.keys.admin);
      const e = (r.body.items as { action: string; actorUserId: string; newValue: any }[]).find(
        (x) => x.action === 'user.second-factor-replaced' && x.newValue.userId === u.id,
      );
      expect(e).toBeDefined();
      return e!;
    });
    expect(audit).toMatchObject({ actorUserId: u.id, newValue: { secondFactor: true, sessionsEnded: 2 } });
  });

  it('counts a wrong code as a failed sign-in of the account, so a stolen session cannot try codes at will', async () => {
    const limited = await startTestHub({
      env: { TOCSIN_SIGN_IN_FAILURES_PER_ACCOUNT: '3', TOCSIN_SIGN_IN_FAILURES_PER_ADDRESS: '100' },
    });
    try {
      const o = await seedOrg(limited, { trustLevel: 3 });
      const u = await enrolled(limited, o);
      for (const code of ['000000', '111111', 'aaaaa-aaaaa']) {
        expect((await u.call('POST', '/api/v1/session/totp', { code })).status).toBe(400);
      }
      // Locked: even a right recovery code is refused now, as a sign-in with the right password would be.
      const locked = await u.call('POST', '/api/v1/session/totp', { code: u.codes[0] });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(
        (await limited.http('POST', '/api/v1/session', null, { email: u.email, password: PASSWORD, totp: u.codes[0] }))
          .status,
      ).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('failed sign-in limits, across two api processes', () => {
  const env = {
    TOCSIN_SIGN_IN_FAILURES_PER_ACCOUNT: '3',
    TOCSIN_SIGN_IN_FAILURES_PER_ADDRESS: '6',
    TOCSIN_SIGN_IN_WINDOW_MINUTES: '60',
  };
  let a: TestHub;
  let b: TestHub;

  beforeAll(async () => {
    a = await startTestHub({ env });
    b = await startTestHub({ env, roles: ['api'], db: a.db, prefix: a.prefix, adminKey: a.adminKey });
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const attempt = (hub: TestHub, address: string, password: string) =>
    hub.http('POST', '/api/v1/session', null, { email: address, password });

  it('locks an account out after its failures, the same for an unknown e-mail, then the address', async () => {
    const o = await seedOrg(a, { trustLevel: 3 });
    const address = email('locked');
    const u = await a.http('POST', `/api/v1/orgs/${o.id}/users`, o.keys.admin, { email: address, role: 'reader' });
    expect((await a.http('POST', `/api/v1/invites/${u.body.inviteToken}`, null, { password: PASSWORD })).status).toBe(
      200,
    );
    const unknown = email('ghost');
    for (const [i, hub] of [a, b, a].entries()) {
      expect((await attempt(hub, address, `wrong password ${i}`)).status).toBe(401);
      expect((await attempt(hub === a ? b : a, unknown, `wrong password ${i}`)).status).toBe(401);
    }
    // Both accounts are locked on both processes, the right password included; the answers do not differ.
    const known = await attempt(b, address, PASSWORD);
    const ghost = await attempt(a, unknown, PASSWORD);
    expect(known.status).toBe(429);
    expect(ghost.status).toBe(429);
    expect(Number(known.headers.get('retry-after'))).toBeGreaterThan(0);
    const { instance: _k, ...k } = known.body;
    const { instance: _g, ...g } = ghost.body;
    expect(k).toEqual(g);
    // Six failures came from this address: another account is refused from it too.
    expect((await attempt(b, email('fresh'), PASSWORD)).status).toBe(429);
  });
});

describe('socket.io with the session cookie', () => {
  it('receives alerts with the cookie, and is cut when the user signs out everywhere', async () => {
    const b = await browser((await activeUser('reader')).email);
    const c = cookieSocket(b.cookie);
    await waitConnected(c);
    const id = (await hub.http('POST', '/api/v1/alerts', org.keys.operator, buildAlert({ title: 'Over the socket' })))
      .body.id as string;
    await eventually(() => expect(c.events.map((e) => e.alert.id)).toContain(id));
    const cut = new Promise<string>((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
    expect((await b.call('DELETE', '/api/v1/sessions')).status).toBe(200);
    expect(await cut).toBe('io server disconnect');
    const again = cookieSocket(b.cookie);
    await expect(waitConnected(again)).rejects.toThrow('unauthorized');
  });

  it('is cut when its own session signs out, not when another session of the user does', async () => {
    const u = await activeUser('reader');
    const one = await browser(u.email);
    const two = await browser(u.email);
    const c = cookieSocket(one.cookie);
    await waitConnected(c);
    expect((await two.call('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await one.call('GET', '/api/v1/session')).status).toBe(200);
    expect(c.socket.connected).toBe(true);
    const cut = new Promise<string>((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
    expect((await one.call('DELETE', '/api/v1/session')).status).toBe(204);
    expect(await cut).toBe('io server disconnect');
  });

  it('refuses a foreign origin and an enrolment-only session in the handshake', async () => {
    const b = await browser((await activeUser('reader')).email);
    await expect(waitConnected(cookieSocket(b.cookie, 'https://evil.example'))).rejects.toThrow('csrf-refused');
    const admin = await browser((await activeUser('admin')).email);
    expect(admin.body.enrolmentOnly).toBe(true);
    await expect(waitConnected(cookieSocket(admin.cookie))).rejects.toThrow('second-factor-enrolment-required');
  });
});

describe('GET /api/v1/orgs/:id/audit', () => {
  it('records invites, passwords, sign-ins, failures, second factors, role changes and disabling, for the org’s admins', async () => {
    const o = await seedOrg(hub, { trustLevel: 3 });
    const address = email('audited');
    const invited = await invite('admin', address, o.keys.admin, o.id);
    expect(
      (await hub.http('POST', `/api/v1/invites/${invited.inviteToken}`, null, { password: PASSWORD })).status,
    ).toBe(200);
    expect((await signIn(address, 'a wrong password here')).status).toBe(401);
    const b = await browser(address);
    const totp = URI.parse((await b.call('POST', '/api/v1/session/totp')).body.otpauthUri as string) as TOTP;
    expect((await b.call('POST', '/api/v1/session/totp/confirm', { code: totp.generate() })).status).toBe(200);
    const colleague = await b.call('POST', `/api/v1/orgs/${o.id}/users`, { email: email('colleague'), role: 'reader' });
    expect(colleague.status).toBe(201);
    expect(
      (await hub.http('PATCH', `/api/v1/orgs/${o.id}/users/${invited.id}`, o.keys.admin, { role: 'vetter' })).status,
    ).toBe(200);
    expect((await b.call('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await hub.http('DELETE', `/api/v1/orgs/${o.id}/users/${invited.id}`, o.keys.admin)).status).toBe(200);

    const entries = await eventually(async () => {
      const r = await hub.http('GET', `/api/v1/orgs/${o.id}/audit?limit=50`, o.keys.admin);
      expect(r.status).toBe(200);
      expect(r.body.items.map((e: { action: string }) => e.action)).toContain('user.sign-in-failed');
      return r.body.items as {
        action: string;
        actorKeyId: string | null;
        actorUserId: string | null;
        newValue: Record<string, unknown>;
      }[];
    });
    // The failed sign-in is written after its answer (so it takes no longer than an unknown e-mail's): not ordered.
    const actions = entries.map((e) => e.action).reverse();
    expect(actions.filter((a) => a === 'user.sign-in-failed')).toHaveLength(1);
    expect(actions.filter((a) => a !== 'user.sign-in-failed')).toEqual([
      'user.invited',
      'user.password-set',
      'user.signed-in',
      'user.second-factor-enrolled',
      'user.invited',
      'user.changed',
      'user.signed-out',
      'user.disabled',
    ]);
    const by = Object.fromEntries(entries.map((e) => [`${e.action} ${String(e.newValue.userId)}`, e]));
    // Done with a key: the key. Done with a session, or by the user about itself: the user, and no key.
    expect(by[`user.invited ${invited.id}`]).toMatchObject({
      actorKeyId: o.keyIds.admin,
      actorUserId: null,
      newValue: { userId: invited.id, role: 'admin' },
    });
    expect(by[`user.invited ${colleague.body.id}`]).toMatchObject({ actorKeyId: null, actorUserId: invited.id });
    expect(by[`user.signed-in ${invited.id}`]).toMatchObject({
      actorKeyId: null,
      actorUserId: invited.id,
      newValue: { enrolmentOnly: true },
    });
    expect(by[`user.sign-in-failed ${invited.id}`]?.newValue).toEqual({ userId: invited.id, why: 'password' });
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
    expect(JSON.stringify(entries)).not.toContain(invited.inviteToken);

    expect((await hub.http('GET', `/api/v1/orgs/${o.id}/audit`, hub.adminKey)).status).toBe(200);
    expect((await hub.http('GET', `/api/v1/orgs/${o.id}/audit`, o.keys.reader)).status).toBe(403);
    expect((await hub.http('GET', `/api/v1/orgs/${o.id}/audit`, org.keys.admin)).status).toBe(404);
  });
});

describe('the log of a hub process at trace level', () => {
  let db: TestDatabase;
  let proc: RoleProcess;
  let log = '';
  const prefix = `u${randomBytes(5).toString('hex')}`;
  const adminKey = generateApiKey((n) => randomBytes(n)).key;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    proc = startRole('hub', {
      DATABASE_URL: db.url,
      REDIS_URL: REDIS_TEST_URL,
      TOCSIN_REDIS_PREFIX: prefix,
      TOCSIN_BOOTSTRAP_ADMIN_KEY: adminKey,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
      TOCSIN_DB_POOL_SIZE: '4',
    });
    // Every line, not only the tail the harness keeps.
    proc.child.stdout?.on('data', (b: Buffer) => (log += b.toString()));
    proc.child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    await eventually(async () => expect((await fetch(`${proc.url}/api/v1/health`)).status).toBe(200), 60_000);
  }, 90_000);

  afterAll(async () => {
    await proc?.stop();
    await db?.drop();
    await deleteRedisPrefix(REDIS_TEST_URL, prefix).catch(() => undefined);
  });

  it('holds no password, invite token, session token, CSRF token, TOTP secret or recovery code', async () => {
    const h = { url: proc.url, adminKey, http: httpClient(proc.url) };
    const o = await seedOrg(h, { trustLevel: 3 });
    const secrets: string[] = [PASSWORD, 'a wrong password here'];
    const address = email('logged');
    const invited = await h.http('POST', `/api/v1/orgs/${o.id}/users`, o.keys.admin, { email: address, role: 'admin' });
    secrets.push(invited.body.inviteToken as string);
    expect(
      (await h.http('POST', `/api/v1/invites/${invited.body.inviteToken}`, null, { password: PASSWORD })).status,
    ).toBe(200);
    expect((await h.http('POST', '/api/v1/session', null, { email: address, password: secrets[1] })).status).toBe(401);
    const signedIn = await h.http('POST', '/api/v1/session', null, { email: address, password: PASSWORD });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = signedIn.body.csrfToken as string;
    secrets.push(cookie.split('=')[1]!, csrf);
    const headers = { cookie, origin: proc.url, 'x-csrf-token': csrf };
    const offer = await h.http('POST', '/api/v1/session/totp', null, undefined, headers);
    const totp = URI.parse(offer.body.otpauthUri as string) as TOTP;
    secrets.push(totp.secret.base32);
    const confirmed = await h.http('POST', '/api/v1/session/totp/confirm', null, { code: totp.generate() }, headers);
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recoveryCodes as string[];
    secrets.push(...codes);
    const again = await h.http('POST', '/api/v1/session', null, { email: address, password: PASSWORD, totp: codes[0] });
    expect(again.status).toBe(201);
    secrets.push((again.headers.get('set-cookie') ?? '').split(';')[0]!.split('=')[1]!);
    const socket = io(`${proc.url}/alerts`, {
      transports: ['websocket'],
      extraHeaders: { cookie, origin: proc.url },
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.close();
    expect((await h.http('DELETE', '/api/v1/sessions', null, undefined, headers)).status).toBe(200);

    // The session's row id (named in the audit trail, not a secret) is not logged either.
    const audit = await h.http('GET', `/api/v1/orgs/${o.id}/audit?limit=50`, o.keys.admin);
    const sessionIds = (audit.body.items as { action: string; newValue: { sessionId?: string } }[])
      .filter((e) => e.action === 'user.signed-in')
      .map((e) => String(e.newValue.sessionId));
    expect(sessionIds).toHaveLength(2);
    secrets.push(...sessionIds);
    await eventually(() => expect(log).toContain('signed out everywhere'));
    expect(log).toContain('/api/v1/invites/[redacted]');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(11);
      expect(log).not.toContain(secret);
    }
  });
});
