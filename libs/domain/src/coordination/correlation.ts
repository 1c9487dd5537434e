import type { Attribution } from '../alerts/attribution';
import type { AudienceAlert } from '../delivery/audience';
import type { TlpLabel } from '../alerts/tlp';
import type { TrustLevel } from '../orgs/trust';
import {
  componentKeys,
  components,
  indexKeys,
  keysOf,
  linkingKeys,
  sortedStrings,
  summarize,
  uniqueParts,
} from './part-graph';

/**
 * One published alert as correlation sees it. It is an `AudienceAlert`, so the very same object goes through
 * `mayReceive` when a recipient's view is built.
 */
export interface ReportPart extends AudienceAlert {
  readonly alertId: string;
  readonly orgId: string;
  /** ISO 3166-1 alpha-2, upper case as stored; null when the org has none (it then counts as an org, not a country). */
  readonly country: string | null;
  readonly trustLevel: TrustLevel;
  readonly tlp: TlpLabel;
  readonly recipients: readonly string[];
  /** The submitting org: always equal to `orgId`. */
  readonly sourceOrgId: string;
  /** Absent means named. An anonymous report's org is never shown in a view, except to the org itself. */
  readonly attribution?: Attribution;
  readonly reportedAt: Date;
  /** Canonical `type:value` keys, warning-listed indicators already left out. */
  readonly indicatorKeys: readonly string[];
  /** Canonical CVE ids (`CVE-2024-3400`); compared as the key `cve:CVE-2024-3400`, like a `cve` indicator. */
  readonly cves: readonly string[];
}

/** When reports make a coordinated alert (issue 5 §5; configurable, these are the defaults). */
export interface CoordinationThresholds {
  /** Distinct reporting organisations. */
  readonly minOrgs: number;
  /** Distinct reporting countries (orgs without a country add none). */
  readonly minCountries: number;
  /** Reports count when reported within [now − windowMs, now]. */
  readonly windowMs: number;
}

export const DEFAULT_COORDINATION_THRESHOLDS: CoordinationThresholds = {
  minOrgs: 3,
  minCountries: 2,
  windowMs: 72 * 60 * 60 * 1000,
};

/** A coordinated alert as detection finds it (all parts, before any per-recipient view). */
export interface Coordination {
  /** Alert ids of the linked reports, sorted. */
  readonly partIds: readonly string[];
  /** Distinct reporting orgs, sorted. */
  readonly orgs: readonly string[];
  /** Distinct reporting countries, sorted. */
  readonly countries: readonly string[];
  /** Keys (`type:value`, CVEs as `cve:<id>`) held by ≥ 2 distinct orgs of the group, sorted. */
  readonly sharedKeys: readonly string[];
  readonly firstReport: Date;
  readonly lastReport: Date;
}

/**
 * The keys (indicator keys and CVEs as `cve:<id>`) that parts of at least two DISTINCT orgs hold, leaving out
 * every key held by more than `maxAlertsPerKey` alerts (MISP's correlation limit: a value in too many unrelated
 * alerts stops counting). Parts are counted once per alert id. Sorted.
 */
export function sharedKeys(parts: readonly ReportPart[], maxAlertsPerKey: number): string[] {
  const unique = uniqueParts(parts);
  return sortedStrings(linkingKeys(unique, indexKeys(unique), () => true, maxAlertsPerKey));
}

function inWindow(part: ReportPart, now: Date, windowMs: number): boolean {
  const t = part.reportedAt.getTime();
  return t >= now.getTime() - windowMs && t <= now.getTime();
}

/**
 * Does the newly published report make (or join) a coordinated alert?
 *
 * `candidates` are the stored reports sharing at least one key with `newPart`, as the database returns them
 * (`newPart` itself may be among them). The rule:
 * 1. only reports within [now − windowMs, now] count (`newPart` too: outside it, the answer is null);
 * 2. a key links only when held by ≥ 2 distinct orgs among those reports and by no more than `maxAlertsPerKey`
 *    of all the reports given (in the window or not: a value's popularity is not a property of the window);
 * 3. the group is the connected component of `newPart` — linking is TRANSITIVE: A–B sharing x and B–C sharing y
 *    make one group {A, B, C}, even though A and C share nothing (one campaign reported by different facets);
 * 4. it is a coordinated alert when it has ≥ minOrgs distinct orgs from ≥ minCountries distinct countries
 *    (several reports of one org count once) and at least one shared key.
 * Returns null otherwise. Deterministic: every list is sorted, whatever the order of `candidates`.
 */
export function detectCoordination(
  newPart: ReportPart,
  candidates: readonly ReportPart[],
  thresholds: CoordinationThresholds,
  maxAlertsPerKey: number,
  now: Date,
): Coordination | null {
  if (!inWindow(newPart, now, thresholds.windowMs)) {
    return null;
  }
  const all = uniqueParts([newPart, ...candidates]);
  const index = indexKeys(all);
  const windowed = all.map((part) => inWindow(part, now, thresholds.windowMs));
  const counts = (i: number): boolean => windowed[i] === true;
  const linking = linkingKeys(all, index, counts, maxAlertsPerKey);
  const roots = components(all.length, index, linking, counts);
  // newPart is all[0], and in the window.
  const root = roots[0];
  const group = all.filter((_, i) => counts(i) && roots[i] === root);
  const keys = root === undefined ? undefined : componentKeys(index, linking, roots, counts).get(root);
  const summary = summarize(group, keys ?? []);
  if (
    summary.sharedKeys.length === 0 ||
    summary.orgs.length < thresholds.minOrgs ||
    summary.countries.length < thresholds.minCountries
  ) {
    return null;
  }
  return {
    partIds: summary.alertIds,
    orgs: summary.orgs,
    countries: summary.countries,
    sharedKeys: summary.sharedKeys,
    firstReport: summary.firstReport,
    lastReport: summary.lastReport,
  };
}

/** Another org's report that corroborates a report: it holds some of the same keys within the window. */
export interface Corroboration {
  readonly alertId: string;
  readonly orgId: string;
  readonly trustLevel: TrustLevel;
  /** The keys both reports hold, sorted. */
  readonly sharedKeys: readonly string[];
}

/**
 * The reports of OTHER organisations, within [now − windowMs, now], that hold at least one key of `part`
 * (directly, not transitively), each key counting only if held by no more than `maxAlertsPerKey` of the reports
 * given. Sorted by alert id. Feed them to `corroborationConfidence` (which counts each org once).
 */
export function findCorroborations(
  part: ReportPart,
  candidates: readonly ReportPart[],
  windowMs: number,
  maxAlertsPerKey: number,
  now: Date,
): Corroboration[] {
  const all = uniqueParts([part, ...candidates]);
  const index = indexKeys(all);
  // Walk the holders of the part's own keys: linear in the matches, whatever the size of the report.
  const shared = new Map<number, string[]>();
  for (const key of keysOf(part)) {
    const holders = index.get(key) ?? [];
    if (holders.length > maxAlertsPerKey) {
      continue;
    }
    for (const i of holders) {
      const other = all[i]!;
      if (other.orgId !== part.orgId && inWindow(other, now, windowMs)) {
        const keys = shared.get(i);
        if (keys === undefined) {
          shared.set(i, [key]);
        } else {
          keys.push(key);
        }
      }
    }
  }
  return [...shared]
    .map(([i, keys]): Corroboration => {
      const other = all[i]!;
      return {
        alertId: other.alertId,
        orgId: other.orgId,
        trustLevel: other.trustLevel,
        sharedKeys: sortedStrings(keys),
      };
    })
    .sort((a, b) => (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0));
}

/** Confidence of an alert whose submitter gave none. */
export const DEFAULT_BASE_CONFIDENCE = 50;
/** Confidence points each corroborating org adds per trust level (trust 4 → +20, trust 0 → +0). */
export const CORROBORATION_POINTS_PER_TRUST = 5;

export interface Corroborator {
  readonly trustLevel: TrustLevel;
  /** When given, an org corroborating with several alerts counts once (at its highest trust). */
  readonly orgId?: string;
}

/**
 * Confidence (0–100) after corroboration:
 *   min(100, start + Σ over distinct corroborating orgs of trustLevel × 5),   start = base ?? 50, clamped to 0–100.
 * So a trusted (3) org adds 15 and a coordinator (4) 20; a suspended one (0) adds nothing. Corroborators without
 * an `orgId` count one each. Pure, never below `start`, non-decreasing as corroborators are added, capped at 100;
 * an integer base gives an integer.
 */
export function corroborationConfidence(base: number | null, corroborators: readonly Corroborator[]): number {
  const start = base === null || Number.isNaN(base) ? DEFAULT_BASE_CONFIDENCE : Math.min(100, Math.max(0, base));
  const byOrg = new Map<string, number>();
  let anonymous = 0;
  for (const c of corroborators) {
    if (c.orgId === undefined) {
      anonymous += c.trustLevel;
    } else {
      byOrg.set(c.orgId, Math.max(byOrg.get(c.orgId) ?? 0, c.trustLevel));
    }
  }
  const trust = anonymous + [...byOrg.values()].reduce((sum, t) => sum + t, 0);
  return Math.min(100, start + trust * CORROBORATION_POINTS_PER_TRUST);
}
