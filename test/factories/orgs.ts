import type { TestHub } from '../harness/hub';

export interface SeededOrg {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly trustLevel: number;
  readonly keys: { admin: string; operator: string; reader: string; vetter: string };
  readonly keyIds: { admin: string; operator: string; reader: string; vetter: string };
}

let counter = 0;

/** Creates an org and one key per role through the real API, as the hub admin. */
export async function seedOrg(
  hub: TestHub,
  opts: { trustLevel?: number; country?: string; name?: string } = {},
): Promise<SeededOrg> {
  counter += 1;
  const body = {
    name: opts.name ?? `CERT ${counter} ${Math.random().toString(36).slice(2, 8)}`,
    country: opts.country ?? 'FR',
    trustLevel: opts.trustLevel ?? 3,
  };
  const org = await hub.http('POST', '/api/v1/orgs', hub.adminKey, body);
  if (org.status !== 201) {
    throw new Error(`seedOrg: ${org.status} ${JSON.stringify(org.body)}`);
  }
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};
  for (const role of ['admin', 'operator', 'reader', 'vetter']) {
    const k = await hub.http('POST', `/api/v1/orgs/${org.body.id}/keys`, hub.adminKey, { role });
    if (k.status !== 201) {
      throw new Error(`seedOrg key: ${k.status} ${JSON.stringify(k.body)}`);
    }
    keys[role] = k.body.key;
    keyIds[role] = k.body.id;
  }
  return {
    id: org.body.id,
    name: body.name,
    country: body.country,
    trustLevel: body.trustLevel,
    keys: keys as any,
    keyIds: keyIds as any,
  };
}
