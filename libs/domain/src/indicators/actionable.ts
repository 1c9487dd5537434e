/** What {@link isActionable} reads of an indicator: the canonical form, a stored row and a pushed one all have it. */
export interface ActionableInput {
  readonly canonicalValue: string | null;
  readonly rejection: string | null;
  readonly flags: readonly string[];
  readonly warning?: { readonly list: string; readonly reason: string } | null;
}

/**
 * The one meaning of "actionable" (docs/model.md): a value a recipient may turn into a detection. It is, at once:
 * - accepted: normalization gave it a canonical value;
 * - not rejected: `rejection` unset;
 * - not warning-listed: no `warning`, no `warning-listed` flag;
 * - not reported a false positive: no `false-positive` flag (set by trusted recipients' feedback);
 * - not excluded by its source: no `not-actionable` flag (MISP to_ids false, a STIX observation, a CSV to-ids 0).
 * Every path uses this function: the REST indicator list, socket payloads (live and replay), STIX and MISP exports.
 * It reads the flags as they are now, so feedback given after publication changes the answer everywhere at once.
 */
export function isActionable(i: ActionableInput): boolean {
  return (
    i.canonicalValue !== null &&
    i.rejection === null &&
    (i.warning ?? null) === null &&
    !i.flags.includes('warning-listed') &&
    !i.flags.includes('false-positive') &&
    !i.flags.includes('not-actionable')
  );
}
