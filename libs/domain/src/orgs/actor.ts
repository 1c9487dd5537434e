import { roleAllows, type Action, type Role } from './roles';
import type { TrustLevel } from './trust';

/**
 * Who is calling, as authenticated for this request or socket: an API key, or a signed-in user with the same rights
 * as a key of its role. `keyId` names the credential that acts: the key's id, or for a user the user's id (then
 * `userId` holds it too), so records that name a key name the person.
 */
export interface Actor {
  readonly keyId: string;
  readonly userId?: string;
  readonly orgId: string;
  readonly role: Role;
  readonly orgIsHub: boolean;
  readonly trustLevel: TrustLevel;
}

export type AccessDecision = 'allow' | 'forbidden' | 'not-found';

/**
 * May this actor act on that organisation? Hub admins manage every org; a member's admin manages its own
 * org's keys. An org the caller may not see answers not-found, so ids cannot be probed.
 */
export function decideOrgAccess(actor: Actor, targetOrgId: string, action: Action): AccessDecision {
  if (actor.trustLevel === 0 && !actor.orgIsHub) {
    return 'forbidden';
  }
  if (!roleAllows(actor.role, action) && !(action === 'org.read-own' && roleAllows(actor.role, 'org.manage'))) {
    return 'forbidden';
  }
  if (actor.orgIsHub && actor.role === 'admin') {
    return 'allow';
  }
  if (action === 'org.manage') {
    return 'forbidden';
  }
  return targetOrgId === actor.orgId ? 'allow' : 'not-found';
}

export function mayPerform(actor: Actor, action: Action): boolean {
  if (actor.trustLevel === 0 && !actor.orgIsHub) {
    return false;
  }
  return roleAllows(actor.role, action);
}

/** Who acted, as the audit trail records it: the key for a key, the user (and no key) for a session. */
export function auditActor(actor: Actor): {
  actorOrgId: string;
  actorKeyId: string | null;
  actorUserId: string | null;
} {
  return actor.userId === undefined
    ? { actorOrgId: actor.orgId, actorKeyId: actor.keyId, actorUserId: null }
    : { actorOrgId: actor.orgId, actorKeyId: null, actorUserId: actor.userId };
}
