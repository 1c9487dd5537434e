/** What a key (or a user of that role) may do. Every endpoint and socket event checks one of these actions. */
export const ROLES = ['admin', 'vetter', 'operator', 'reader'] as const;
export type Role = (typeof ROLES)[number];

export type Action =
  | 'org.manage' // create orgs, change them, list every org (hub admins only)
  | 'org.read-own' // see one's own org
  | 'key.manage' // issue and revoke keys (a hub admin for any org; a member admin for its own)
  | 'alert.submit'
  | 'alert.read' // read alerts through REST and receive them over the socket
  | 'constituency.manage' // read and set an org's constituency (a hub admin for any org; a member admin for its own)
  | 'user.manage'; // invite, change, disable users and end their sessions (a hub admin for any org; a member admin for its own)

const GRANTS: Readonly<Record<Role, readonly Action[]>> = {
  admin: ['org.manage', 'org.read-own', 'key.manage', 'alert.read', 'constituency.manage', 'user.manage'],
  vetter: ['org.read-own', 'alert.read'],
  operator: ['org.read-own', 'alert.submit', 'alert.read'],
  reader: ['org.read-own', 'alert.read'],
};

export function roleAllows(role: Role, action: Action): boolean {
  return GRANTS[role].includes(action);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
