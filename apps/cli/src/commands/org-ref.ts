import type { TocsinClient } from '@tocsin/client';
import { CliError } from '../errors';
import { ExitCode } from '../exit-codes';

/** A UUID, as the hub's ids are: an argument of this shape is taken as an id, not a name or an e-mail. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An organisation given by id, or by its exact name (any case) among those this key may list. */
export async function resolveOrgId(client: TocsinClient, ref: string): Promise<string> {
  if (UUID.test(ref)) {
    return ref;
  }
  const wanted = ref.trim().toLowerCase();
  for await (const org of client.orgs.list()) {
    if (org.name.toLowerCase() === wanted) {
      return org.id;
    }
  }
  throw new CliError(
    `no organisation named "${ref.slice(0, 200)}" that this key may see`,
    ExitCode.notFound,
    'list them with `tocsin orgs list`',
  );
}

/** `--org` when given (id or name), else the key's own organisation. */
export async function orgOrOwn(client: TocsinClient, ref: string | undefined): Promise<string> {
  return ref !== undefined ? resolveOrgId(client, ref) : (await client.whoami()).org.id;
}
