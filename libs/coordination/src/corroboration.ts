import { Inject, Injectable } from '@nestjs/common';
import { AlertRevisions, AlertStore, type AlertRecord } from '@tocsin/alerts';
import { AlertLinkRepository, type LinkedAlert } from './alert-link.repository';
import type { Tx } from '@tocsin/db';
import {
  corroborationConfidence,
  countsAsCorroboration,
  releasedByCorroboration,
  type ReleasePolicy,
  type TrustLevel,
} from '@tocsin/domain';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';

const HOUR = 60 * 60 * 1000;

/**
 * Corroboration: alerts of other organisations that hold the same canonical indicators. Linking finds them; the
 * ones every recipient of the alert may see raise its confidence (each org once, by its trust) and, by policy,
 * release it from review.
 */
@Injectable()
export class Corroboration {
  constructor(
    private readonly links: AlertLinkRepository,
    private readonly alerts: AlertStore,
    private readonly revisions: AlertRevisions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get releasePolicy(): ReleasePolicy {
    return {
      minSubmitterTrust: this.config.TOCSIN_CORROBORATION_RELEASE_MIN_SUBMITTER_TRUST as TrustLevel,
      minCorroboratingTrust: this.config.TOCSIN_CORROBORATION_RELEASE_TRUST,
    };
  }

  /** The correlation lock, first in the vetting transaction (before the alert's row); false: nothing can link. */
  lockForLinking(alertId: string, tx: Tx): Promise<boolean> {
    return this.links.lockForLinking(alertId, tx);
  }

  /**
   * Links the alert to other organisations' alerts within the correlation window (after `lockForLinking`).
   * `vettedBefore`: alerts vetted earlier in this transaction whose status is not written yet (a one-hop group):
   * they take part as if it were.
   */
  link(a: AlertRecord, now: Date, tx: Tx, vettedBefore: readonly string[] = []): Promise<number> {
    return this.links.link(
      a.id,
      a.sourceOrgId,
      new Date(now.getTime() - this.config.TOCSIN_CORRELATION_WINDOW_HOURS * HOUR),
      this.config.TOCSIN_CORRELATION_MAX_ALERTS_PER_KEY,
      this.config.TOCSIN_CORRELATION_MAX_LINK_KEYS,
      tx,
      vettedBefore,
    );
  }

  /**
   * Applies the alert's published corroborators that count (countsAsCorroboration): confidence rises by those not
   * counted before, each org once. An alert not yet published takes the new confidence as it is (it is published with
   * it); a published one gets it as a revision (`alert-updated`, AlertRevisions), whose seq is returned for the caller
   * to wake the gateways after its commit. Returns every counting corroborator (for the release decision) and the
   * alert as it now stands.
   */
  async apply(
    a: AlertRecord,
    submitterTrust: TrustLevel,
    tx: Tx,
  ): Promise<{ counting: LinkedAlert[]; alert: AlertRecord; revisedSeq: number | null }> {
    const linked = await this.links.linked(a.id, tx);
    const submitter = { id: a.sourceOrgId, trustLevel: submitterTrust };
    const counting = linked.filter((l) => l.status === 'published' && countsAsCorroboration(l, a, submitter));
    const countedOrgs = new Set(linked.filter((l) => l.counted).map((l) => l.sourceOrgId));
    const fresh = counting.filter((l) => !l.counted && !countedOrgs.has(l.sourceOrgId));
    await this.links.markCounted(
      a.id,
      counting.filter((l) => !l.counted).map((l) => l.alertId),
      tx,
    );
    const confidence =
      fresh.length > 0
        ? corroborationConfidence(
            a.confidence,
            fresh.map((l) => ({ orgId: l.sourceOrgId, trustLevel: l.trustLevel })),
          )
        : a.confidence;
    if (confidence === a.confidence) {
      return { counting, alert: a, revisedSeq: null };
    }
    if (a.status === 'published') {
      const revised = await this.revisions.append(a, { confidence }, new Date(), tx);
      return { counting, alert: revised.alert, revisedSeq: revised.seq };
    }
    await this.alerts.setConfidence(a.id, confidence, tx);
    return { counting, alert: { ...a, confidence }, revisedSeq: null };
  }

  /** Does this corroboration release an alert held for review? */
  releases(submitterTrust: TrustLevel, counting: readonly LinkedAlert[]): boolean {
    return releasedByCorroboration(
      submitterTrust,
      counting.map((l) => ({ orgId: l.sourceOrgId, trustLevel: l.trustLevel })),
      this.releasePolicy,
    );
  }
}

/** The status reason an alert released by corroboration carries: how many organisations, never which. */
export function releaseReason(counting: readonly LinkedAlert[]): string {
  const orgs = new Set(counting.map((l) => l.sourceOrgId)).size;
  return `published on corroboration by ${orgs} other organisation${orgs === 1 ? '' : 's'}`;
}
