import { describe, it, expect } from 'vitest';
import { isRole, roleAllows, ROLES, type Action, type Role } from './roles';

const ACTIONS: readonly Action[] = [
  'org.manage',
  'org.read-own',
  'key.manage',
  'alert.submit',
  'alert.read',
  'constituency.manage',
  'user.manage',
];

/** The grants as the product documents them, written out by hand. */
const GRANTED: Record<Role, readonly Action[]> = {
  admin: ['org.manage', 'org.read-own', 'key.manage', 'alert.read', 'constituency.manage', 'user.manage'],
  vetter: ['org.read-own', 'alert.read'],
  operator: ['org.read-own', 'alert.submit', 'alert.read'],
  reader: ['org.read-own', 'alert.read'],
};

describe(roleAllows.name, () => {
  const matrix = ROLES.flatMap((role) =>
    ACTIONS.map((action) => [role, action, GRANTED[role].includes(action)] as const),
  );

  it('covers every role and every action', () => {
    expect(matrix).toHaveLength(4 * 7);
  });

  it.each(matrix)('lets %s perform %s: %s', (role, action, expected) => {
    expect(roleAllows(role, action)).toBe(expected);
  });

  it.each(['vetter', 'operator', 'reader'] as const)('never lets %s manage orgs or keys', (role) => {
    expect(roleAllows(role, 'org.manage')).toBe(false);
    expect(roleAllows(role, 'key.manage')).toBe(false);
  });

  it('lets only the operator submit alerts', () => {
    expect(ROLES.filter((r) => roleAllows(r, 'alert.submit'))).toEqual(['operator']);
  });
});

describe(isRole.name, () => {
  it.each(ROLES)('accepts %s', (role) => {
    expect(isRole(role)).toBe(true);
  });

  it.each([['Admin'], ['ADMIN'], [' admin'], ['root'], [''], [null], [undefined], [0], [{}], [['admin']]])(
    'rejects %j',
    (value) => {
      expect(isRole(value)).toBe(false);
    },
  );
});
