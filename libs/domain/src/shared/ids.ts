const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a string is a UUID in its canonical text form. Every id a caller names (alert, organisation, key,
 * coordinated alert) is checked with this before any query: one that is not a UUID is the same 404 as a missing one.
 */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}
