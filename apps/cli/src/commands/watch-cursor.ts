import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * The cursor file of one watch: per profile, hub, key and set of subscriptions, so two profiles, two keys of one hub
 * (two organisations see different alerts) or two subscription sets never share a position. The key only enters a
 * SHA-256 digest; the file name never shows it.
 */
export function watchCursorPath(
  stateDir: string,
  c: { url: string; key: string; profile?: string },
  subscriptions: readonly string[],
): string {
  const digest = createHash('sha256')
    .update(`${c.url}\n${c.key}\n${[...subscriptions].sort().join(',')}`)
    .digest('hex')
    .slice(0, 16);
  return join(stateDir, 'cursors', `${c.profile ?? 'env'}-${digest}.json`);
}
