import type { HttpHub } from '../harness/http';

export interface SeededOrg {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly trustLevel: number;
  readonly keys: { admin: string; operator: string; reader: string; vetter: string };
  readonly keyIds: { admin: string; operator: string; reader: string; vetter: string };
}

let counter = 0;

/** An organisation created through the API, with one key per role asked for. */
export interface CreatedOrg {
  readonly id: string;
  readonly keys: Record<string, string>;
  readonly keyIds: Record<string, string>;
}

/** Creates an org and one key for each of `roles` through the real API, as the hub admin. */
export async function createOrgWithKeys(
  hub: HttpHub,
  body: { name: string; country: string; trustLevel: number },
  roles: readonly string[],
): Promise<CreatedOrg> {
  const org = await hub.http('POST', '/api/v1/orgs', hub.adminKey, body);
  if (org.status !== 201) {
    throw new Error(`seedOrg: ${org.status} ${JSON.stringify(org.body)}`);
  }
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};
  for (const role of roles) {
    const k = await hub.http('POST', `/api/v1/orgs/${org.body.id}/keys`, hub.adminKey, { role });
    if (k.status !== 201) {
      throw new Error(`seedOrg key: ${k.status} ${JSON.stringify(k.body)}`);
    }
    keys[role] = k.body.key;
    keyIds[role] = k.body.id;
  }
  return { id: org.body.id, keys, keyIds };
}

/** Creates an org and one key per role through the real API, as the hub admin. */
export async function seedOrg(
  hub: HttpHub,
  opts: { trustLevel?: number; country?: string; name?: string } = {},
): Promise<SeededOrg> {
  counter += 1;
  const body = {
    name: opts.name ?? `CERT ${counter} ${Math.random().toString(36).slice(2, 8)}`,
    country: opts.country ?? 'FR',
    trustLevel: opts.trustLevel ?? 3,
  };
  const org = await createOrgWithKeys(hub, body, ['admin', 'operator', 'reader', 'vetter']);
  return {
    id: org.id,
    name: body.name,
    country: body.country,
    trustLevel: body.trustLevel,
    keys: org.keys as SeededOrg['keys'],
    keyIds: org.keyIds as SeededOrg['keyIds'],
  };
}
