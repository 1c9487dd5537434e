import { describe, it, expect } from 'vitest';
import { decideOrgAccess, mayPerform, type AccessDecision, type Actor } from './actor';
import { ROLES, type Action, type Role } from './roles';
import { TRUST_LEVELS, type TrustLevel } from './trust';

const HUB_ORG = 'org-hub';
const OWN_ORG = 'org-own';
const OTHER_ORG = 'org-other';
const ACTIONS: readonly Action[] = [
  'org.manage',
  'org.read-own',
  'key.manage',
  'alert.submit',
  'alert.read',
  'constituency.manage',
];

function actor(overrides: Partial<Actor> = {}): Actor {
  return { keyId: 'key-1', orgId: OWN_ORG, role: 'admin', orgIsHub: false, trustLevel: 2, ...overrides };
}

function hubActor(overrides: Partial<Actor> = {}): Actor {
  return actor({ orgId: HUB_ORG, orgIsHub: true, trustLevel: 4, ...overrides });
}

describe(decideOrgAccess.name, () => {
  it.each<[string, Actor, string, Action, AccessDecision]>([
    ['a hub admin manages another org', hubActor(), OTHER_ORG, 'org.manage', 'allow'],
    ['a hub admin manages the keys of another org', hubActor(), OTHER_ORG, 'key.manage', 'allow'],
    ['a hub admin reads another org', hubActor(), OTHER_ORG, 'org.read-own', 'allow'],
    ['a hub admin may not submit alerts', hubActor(), HUB_ORG, 'alert.submit', 'forbidden'],
    ['a member admin manages its own keys', actor(), OWN_ORG, 'key.manage', 'allow'],
    ["a member admin cannot see another org's keys", actor(), OTHER_ORG, 'key.manage', 'not-found'],
    ['a member admin reads its own org', actor(), OWN_ORG, 'org.read-own', 'allow'],
    ['a member admin cannot see another org', actor(), OTHER_ORG, 'org.read-own', 'not-found'],
    ['a member admin may not manage its own org', actor(), OWN_ORG, 'org.manage', 'forbidden'],
    ['a member admin may not manage another org', actor(), OTHER_ORG, 'org.manage', 'forbidden'],
    ['a vetter may not manage keys', actor({ role: 'vetter' }), OWN_ORG, 'key.manage', 'forbidden'],
    ['an operator may not manage keys', actor({ role: 'operator' }), OWN_ORG, 'key.manage', 'forbidden'],
    ['a reader may not manage keys', actor({ role: 'reader' }), OWN_ORG, 'key.manage', 'forbidden'],
    ['a reader may not manage orgs', actor({ role: 'reader' }), OWN_ORG, 'org.manage', 'forbidden'],
    [
      "a reader gets forbidden, not not-found, for another org's keys",
      actor({ role: 'reader' }),
      OTHER_ORG,
      'key.manage',
      'forbidden',
    ],
    ['a hub reader may not manage orgs', hubActor({ role: 'reader' }), OTHER_ORG, 'org.manage', 'forbidden'],
    ['a hub reader cannot see another org', hubActor({ role: 'reader' }), OTHER_ORG, 'org.read-own', 'not-found'],
    ['an operator submits for its own org', actor({ role: 'operator' }), OWN_ORG, 'alert.submit', 'allow'],
    ['a suspended admin may not manage its keys', actor({ trustLevel: 0 }), OWN_ORG, 'key.manage', 'forbidden'],
    ['a suspended admin may not read its own org', actor({ trustLevel: 0 }), OWN_ORG, 'org.read-own', 'forbidden'],
    [
      'a suspended reader may not read alerts',
      actor({ role: 'reader', trustLevel: 0 }),
      OWN_ORG,
      'alert.read',
      'forbidden',
    ],
    ['a hub admin is never treated as suspended', hubActor({ trustLevel: 0 }), OTHER_ORG, 'org.manage', 'allow'],
  ])('answers %s: %s', (_case, who, target, action, expected) => {
    expect(decideOrgAccess(who, target, action)).toBe(expected);
  });

  /** [decision on the actor's own org, decision on another org], written out from the policy. */
  type Pair = readonly [AccessDecision, AccessDecision];
  const A = 'allow';
  const F = 'forbidden';
  const N = 'not-found';
  const MEMBER: Record<Role, Record<Action, Pair>> = {
    admin: {
      'org.manage': [F, F],
      'org.read-own': [A, N],
      'key.manage': [A, N],
      'alert.submit': [F, F],
      'alert.read': [A, N],
      'constituency.manage': [A, N],
      'user.manage': [A, N],
    },
    vetter: {
      'org.manage': [F, F],
      'org.read-own': [A, N],
      'key.manage': [F, F],
      'alert.submit': [F, F],
      'alert.read': [A, N],
      'constituency.manage': [F, F],
      'user.manage': [F, F],
    },
    operator: {
      'org.manage': [F, F],
      'org.read-own': [A, N],
      'key.manage': [F, F],
      'alert.submit': [A, N],
      'alert.read': [A, N],
      'constituency.manage': [F, F],
      'user.manage': [F, F],
    },
    reader: {
      'org.manage': [F, F],
      'org.read-own': [A, N],
      'key.manage': [F, F],
      'alert.submit': [F, F],
      'alert.read': [A, N],
      'constituency.manage': [F, F],
      'user.manage': [F, F],
    },
  };
  const HUB: Record<Role, Record<Action, Pair>> = {
    ...MEMBER,
    admin: {
      'org.manage': [A, A],
      'org.read-own': [A, A],
      'key.manage': [A, A],
      'alert.submit': [F, F],
      'alert.read': [A, A],
      'constituency.manage': [A, A],
      'user.manage': [A, A],
    },
  };

  const rows: [string, TrustLevel, Role, Action, 'own' | 'other', AccessDecision][] = [];
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      for (const trust of TRUST_LEVELS) {
        const [own, other] = MEMBER[role][action];
        rows.push(['member', trust, role, action, 'own', trust === 0 ? F : own]);
        rows.push(['member', trust, role, action, 'other', trust === 0 ? F : other]);
        const [hubOwn, hubOther] = HUB[role][action];
        rows.push(['hub', trust, role, action, 'own', hubOwn]);
        rows.push(['hub', trust, role, action, 'other', hubOther]);
      }
    }
  }

  it('has a full matrix: hub/member × trust 0..4 × role × action × own/other org', () => {
    expect(rows).toHaveLength(2 * 5 * 4 * 6 * 2);
  });

  it.each(rows)(
    'for a %s at trust %i, %s doing %s on its %s org: %s',
    (kind, trust, role, action, target, expected) => {
      const who = kind === 'hub' ? hubActor({ role, trustLevel: trust }) : actor({ role, trustLevel: trust });
      const targetOrgId = target === 'own' ? who.orgId : OTHER_ORG;
      expect(decideOrgAccess(who, targetOrgId, action)).toBe(expected);
    },
  );
});

describe(mayPerform.name, () => {
  const GRANTED: Record<Role, readonly Action[]> = {
    admin: ['org.manage', 'org.read-own', 'key.manage', 'alert.read', 'constituency.manage'],
    vetter: ['org.read-own', 'alert.read'],
    operator: ['org.read-own', 'alert.submit', 'alert.read'],
    reader: ['org.read-own', 'alert.read'],
  };

  const active = ROLES.flatMap((role) =>
    ACTIONS.flatMap((action) =>
      ([1, 2, 3, 4] as const).map((trust) => [role, action, trust, GRANTED[role].includes(action)] as const),
    ),
  );

  it.each(active)('lets an active member %s perform %s at trust %i: %s', (role, action, trust, expected) => {
    expect(mayPerform(actor({ role, trustLevel: trust }), action)).toBe(expected);
  });

  it.each(ROLES.flatMap((role) => ACTIONS.map((action) => [role, action] as const)))(
    'never lets a suspended member %s perform %s',
    (role, action) => {
      expect(mayPerform(actor({ role, trustLevel: 0 }), action)).toBe(false);
    },
  );

  it.each(ROLES.flatMap((role) => ACTIONS.map((action) => [role, action, GRANTED[role].includes(action)] as const)))(
    'lets a hub %s at trust 0 perform %s by role alone: %s',
    (role, action, expected) => {
      expect(mayPerform(hubActor({ role, trustLevel: 0 }), action)).toBe(expected);
    },
  );
});
