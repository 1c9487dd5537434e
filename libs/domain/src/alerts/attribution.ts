import { uuidV5 } from '../formats/export/uuid-v5';
import type { Actor } from '../orgs/actor';

/**
 * How an alert names its submitter to recipients. `named`: the org (id, name) travels with the alert.
 * `anonymous` (as CISA's AIS does by default): recipients see only the submitter's country and trust band.
 */
export const ATTRIBUTIONS = ['named', 'anonymous'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];
export const DEFAULT_ATTRIBUTION: Attribution = 'named';

export function isAttribution(v: unknown): v is Attribution {
  return typeof v === 'string' && (ATTRIBUTIONS as readonly string[]).includes(v);
}

/**
 * What an anonymous alert says of its submitter's trust, coarser than the level: `trusted` (trust ≥ 3, the
 * trusted and coordinator levels), `member` (2), `provisional` (1, or 0 for a since-suspended org).
 */
export const TRUST_BANDS = ['provisional', 'member', 'trusted'] as const;
export type TrustBand = (typeof TRUST_BANDS)[number];

export function trustBand(level: number): TrustBand {
  if (level >= 3) {
    return 'trusted';
  }
  return level === 2 ? 'member' : 'provisional';
}

/** The submitter as the alert carries it: what sourceView needs to decide what a viewer is shown. */
export interface AttributedSource {
  readonly sourceOrgId: string;
  readonly attribution: Attribution;
  /** The org's name, when the caller has it (null otherwise: a view then names the org by id only). */
  readonly sourceOrgName: string | null;
  /** ISO 3166-1 alpha-2, or null when the org has none. */
  readonly sourceCountry: string | null;
  readonly sourceTrustLevel: number;
}

/**
 * Who looks at the source. Only these see an anonymous alert's org: the submitter itself, a hub admin, and a
 * vetter reading the alert in the review queue.
 */
export interface SourceViewer {
  readonly orgId: string;
  /** An admin key of the hub's own organisation. */
  readonly hubAdmin?: boolean;
  /** A vetter reading an alert it may review (a pending alert: the review queue). */
  readonly reviewing?: boolean;
}

/** The source of an alert as one viewer sees it. `org` is there only when this viewer may know the org. */
export interface SourceView {
  readonly attribution: Attribution;
  readonly country: string | null;
  readonly trustBand: TrustBand;
  readonly org?: { readonly id: string; readonly name: string | null };
}

/** Does this viewer see the org behind this alert? Always for a named alert; for an anonymous one, see SourceViewer. */
export function seesSourceOrg(
  alert: Pick<AttributedSource, 'sourceOrgId' | 'attribution'>,
  viewer: SourceViewer | null,
): boolean {
  if (alert.attribution === 'named') {
    return true;
  }
  if (viewer === null) {
    return false;
  }
  return viewer.orgId === alert.sourceOrgId || viewer.hubAdmin === true || viewer.reviewing === true;
}

/**
 * THE one function every outward path (socket push and replay, REST views, linked alerts, list and search, exports,
 * coordinated views, constituency hits) calls to show an alert's source. `viewer` null means "any recipient":
 * the form stored once and shared by every recipient (the publish log's payload), so it never names an anonymous
 * alert's org. An anonymous alert shows its country and trust band, never the org's id or name, nor anything
 * derived from them per org (no stable pseudonym: two anonymous alerts of one org cannot be told apart from two of
 * different orgs of the same country and band).
 */
export function sourceView(alert: AttributedSource, viewer: SourceViewer | null): SourceView {
  const base = {
    attribution: alert.attribution,
    country: alert.sourceCountry,
    trustBand: trustBand(alert.sourceTrustLevel),
  };
  return seesSourceOrg(alert, viewer) ? { ...base, org: { id: alert.sourceOrgId, name: alert.sourceOrgName } } : base;
}

/** A REST caller as a SourceViewer; `reviewing` when it reads a pending alert it may review. */
export function sourceViewerOf(actor: Pick<Actor, 'orgId' | 'orgIsHub' | 'role'>, reviewing = false): SourceViewer {
  return { orgId: actor.orgId, hubAdmin: actor.orgIsHub && actor.role === 'admin', reviewing };
}

/**
 * The identity an export names as an anonymous alert's creator: one per (country, band), the same for every org that
 * shares them, so it names no org and links no two alerts beyond what country and band already say.
 */
export function anonymousIdentity(view: Pick<SourceView, 'country' | 'trustBand'>): {
  readonly id: string;
  readonly name: string;
} {
  const where = view.country ?? 'unknown country';
  return {
    id: uuidV5(JSON.stringify(['anonymous-source', view.country ?? '', view.trustBand])),
    name: `Anonymous ${view.trustBand} member (${where})`,
  };
}

/** The creator an export names: the org when this viewer may know it, else the anonymous identity (no org id). */
export function exportableSource(view: SourceView): {
  readonly id: string;
  readonly name: string;
  readonly country: string | null;
} {
  return view.org
    ? { id: view.org.id, name: view.org.name ?? 'unknown', country: view.country }
    : { ...anonymousIdentity(view), country: view.country };
}
