// The administration pages' HTTP calls (organisations, trust, audit, users, keys, subscriptions, constituency).
// Every one goes through the hub's API and its policy: the console decides nothing the API does not.
import type {
  AuditPage,
  ConstituencyInput,
  ConstituencyView,
  CreatedKey,
  InvitedUserView,
  KeySummary,
  OrgView,
  OrgsPage,
  Role,
  SubscriptionInput,
  SubscriptionView,
  UserView,
} from '@tocsin/client';
import { call } from './api';

export type {
  AuditPage,
  ConstituencyInput,
  ConstituencyView,
  CreatedKey,
  InvitedUserView,
  KeySummary,
  OrgView,
  Role,
  SubscriptionInput,
  SubscriptionView,
  UserView,
};

const org = (id: string): string => `/orgs/${encodeURIComponent(id)}`;

/** A hub admin gets every organisation, any other admin its own only (the API decides). */
export function listOrgs(): Promise<OrgsPage> {
  return call('GET', '/orgs?limit=1000');
}

export function getOrg(id: string): Promise<OrgView> {
  return call('GET', org(id));
}

/** `PATCH /api/v1/orgs/:id` `{trustLevel, reason}`: the hub's admins only, recorded in the audit trail. */
export function changeTrust(id: string, trustLevel: number, reason: string): Promise<OrgView> {
  return call('PATCH', org(id), { trustLevel, reason });
}

/** One organisation's audit trail, newest first. */
export function orgAudit(id: string, limit = 50): Promise<AuditPage> {
  return call('GET', `${org(id)}/audit?limit=${limit}`);
}

export function listUsers(orgId: string): Promise<{ items: UserView[] }> {
  return call('GET', `${org(orgId)}/users`);
}

export function inviteUser(orgId: string, email: string, role: Role): Promise<InvitedUserView> {
  return call('POST', `${org(orgId)}/users`, { email, role });
}

export function changeUserRole(orgId: string, userId: string, role: Role): Promise<UserView> {
  return call('PATCH', `${org(orgId)}/users/${encodeURIComponent(userId)}`, { role });
}

export function disableUser(orgId: string, userId: string): Promise<UserView> {
  return call('DELETE', `${org(orgId)}/users/${encodeURIComponent(userId)}`);
}

/** Enables a disabled user again (`PATCH {disabled: false}`). */
export function enableUser(orgId: string, userId: string): Promise<UserView> {
  return call('PATCH', `${org(orgId)}/users/${encodeURIComponent(userId)}`, { disabled: false });
}

/** A new invite link for an existing user (a password reset): shown once. */
export function reinviteUser(orgId: string, userId: string): Promise<InvitedUserView> {
  return call('POST', `${org(orgId)}/users/${encodeURIComponent(userId)}/invite`);
}

/** Removes a user's second factor and recovery codes (a lost phone). */
export function removeSecondFactor(orgId: string, userId: string): Promise<UserView> {
  return call('DELETE', `${org(orgId)}/users/${encodeURIComponent(userId)}/totp`);
}

export function endUserSessions(orgId: string, userId: string): Promise<{ ended: number }> {
  return call('DELETE', `${org(orgId)}/users/${encodeURIComponent(userId)}/sessions`);
}

export function listKeys(orgId: string): Promise<{ items: KeySummary[] }> {
  return call('GET', `${org(orgId)}/keys`);
}

export function createKey(orgId: string, role: Role, label: string): Promise<CreatedKey> {
  return call('POST', `${org(orgId)}/keys`, label.trim() === '' ? { role } : { role, label: label.trim() });
}

export function revokeKey(orgId: string, keyId: string): Promise<KeySummary> {
  return call('DELETE', `${org(orgId)}/keys/${encodeURIComponent(keyId)}`);
}

export function listSubscriptions(): Promise<{ items: SubscriptionView[] }> {
  return call('GET', '/subscriptions');
}

export function createSubscription(body: SubscriptionInput): Promise<SubscriptionView> {
  return call('POST', '/subscriptions', body);
}

export function deleteSubscription(id: string): Promise<void> {
  return call('DELETE', `/subscriptions/${encodeURIComponent(id)}`);
}

export function getConstituency(orgId: string): Promise<ConstituencyView> {
  return call('GET', `${org(orgId)}/constituency`);
}

export function setConstituency(orgId: string, body: ConstituencyInput): Promise<ConstituencyView> {
  return call('PUT', `${org(orgId)}/constituency`, body);
}
