// What the web console's browser tests share: enrolling a user with TOTP over the API, signing in through the
// console's form, publishing an alert over REST and finding a feed row. Waits are on selectors, never on time.
import { URI, type TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildAlert } from '../factories/alerts';
import type { SeededOrg } from '../factories/orgs';
import { eventually } from './eventually';
import type { TestHub } from './hub';

export const CONSOLE_PASSWORD = 'violet glacier tomato 42';

export type ConsoleRole = 'reader' | 'operator' | 'vetter' | 'admin';

export interface ConsoleUser {
  readonly email: string;
  readonly role: ConsoleRole;
  readonly totp: TOTP;
  /** The ten recovery codes its enrolment answered. */
  readonly recoveryCodes: readonly string[];
}

/** A user of an organisation: invited, password set, TOTP enrolled (over the API, as in users.e2e). */
export async function enrolUser(hub: TestHub, org: SeededOrg, role: ConsoleRole): Promise<ConsoleUser> {
  const email = `${role}.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@cert.example`;
  const invited = await hub.http('POST', `/api/v1/orgs/${org.id}/users`, org.keys.admin, { email, role });
  expect(invited.status).toBe(201);
  const accepted = await hub.http('POST', `/api/v1/invites/${invited.body.inviteToken}`, null, {
    password: CONSOLE_PASSWORD,
  });
  expect(accepted.status).toBe(200);
  const signedIn = await hub.http('POST', '/api/v1/session', null, { email, password: CONSOLE_PASSWORD });
  expect(signedIn.status).toBe(201);
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  const headers = { cookie, origin: hub.url, 'x-csrf-token': signedIn.body.csrfToken as string };
  const offer = await hub.http('POST', '/api/v1/session/totp', null, undefined, headers);
  expect(offer.status).toBe(200);
  const totp = URI.parse(offer.body.otpauthUri as string) as TOTP;
  const confirmed = await hub.http('POST', '/api/v1/session/totp/confirm', null, { code: totp.generate() }, headers);
  expect(confirmed.status).toBe(200);
  expect((await hub.http('DELETE', '/api/v1/session', null, undefined, headers)).status).toBe(204);
  return { email, role, totp, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/**
 * Signs a user in through the console's form (password, then the code the hub asks for). A TOTP step is accepted
 * once, so the code is the next step's: sign each user in once per test file.
 */
export async function signInAs(hub: TestHub, page: Page, user: ConsoleUser): Promise<void> {
  await page.goto(`${hub.url}/`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(CONSOLE_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authentication code').fill(user.totp.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${user.email} (${user.role})`).waitFor();
}

/** Submits an alert with an operator key and waits until it is published; returns its id and seq. */
export async function publishAlert(
  hub: TestHub,
  sender: SeededOrg,
  title: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; seq: number }> {
  const r = await hub.http(
    'POST',
    '/api/v1/alerts',
    sender.keys.operator,
    buildAlert({
      title,
      indicators: [
        { type: 'ipv4', value: '198.51.100.23' },
        { type: 'domain', value: 'C2.Example.NET.' },
      ],
      ...overrides,
    }),
  );
  expect(r.status).toBe(202);
  const id = r.body.id as string;
  return eventually(async () => {
    const a = await hub.http('GET', `/api/v1/alerts/${id}`, sender.keys.operator);
    expect(a.body.status).toBe('published');
    return { id, seq: a.body.seq as number };
  });
}

/** The live feed's row of an alert, found by its title link. */
export function feedRow(page: Page, title: string) {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}
