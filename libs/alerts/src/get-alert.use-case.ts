import { Inject, Injectable } from '@nestjs/common';
import {
  decideReview,
  mayPerform,
  mayReceive,
  sourceView,
  sourceViewerOf,
  type Actor,
  type SourceView,
  type TrustLevel,
} from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, NotFound } from '@tocsin/platform';
import { AlertRepository, type AlertRecord } from './alert.repository';
import { AlertLinkRepository } from '../../coordination/src/alert-link.repository';
import { toAlertView, type AlertView } from './alert-view';

/** How many linked alerts GET /api/v1/alerts/:id lists, and how many shared values of each. */
const MAX_LINKED = 100;
const MAX_LINKED_KEYS = 20;

/** Another organisation's published alert sharing indicators with this one, as a caller who may see both sees it. */
export interface LinkedAlertView {
  readonly alertId: string;
  /** Present only when the linked alert is named to this caller (sourceView). */
  readonly orgId?: string;
  readonly country: string | null;
  readonly source: SourceView;
  readonly submittedAt: string;
  readonly sharedCount: number;
  /** The first shared `type:value` keys (sorted), at most 20. */
  readonly sharedIndicators: readonly string[];
}

/** The least trust of a reviewer, as configured (TOCSIN_REVIEWER_MIN_TRUST): what every mayView caller passes. */
export function reviewerMinTrust(config: Pick<AppConfig, 'TOCSIN_REVIEWER_MIN_TRUST'>): TrustLevel {
  return config.TOCSIN_REVIEWER_MIN_TRUST as TrustLevel;
}

/**
 * The submitter sees its alert in every status; others once published, if the TLP × trust policy allows; a vetter
 * who may review it (trust ≥ reviewerMinTrust, the configured one: the review queue's own rule) sees a pending
 * alert (never a RED one it is not named on, unless of the hub).
 */
export function mayView(actor: Actor, a: AlertRecord, reviewerMinTrust: TrustLevel): boolean {
  if (actor.trustLevel === 0 && !actor.orgIsHub) {
    return false;
  }
  if (a.sourceOrgId === actor.orgId) {
    return true;
  }
  if (a.status === 'pending_review') {
    return decideReview(actor, a, reviewerMinTrust) === 'allow';
  }
  return a.status === 'published' && mayReceive(a, { id: actor.orgId, trustLevel: actor.trustLevel });
}

@Injectable()
export class GetAlertUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly links: AlertLinkRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The alert, with the published alerts of other organisations linked to it that the caller may see too. */
  async execute(actor: Actor, id: string): Promise<AlertView & { linkedAlerts: LinkedAlertView[] }> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const a = await this.alerts.findForViewer(id);
    if (!a || !mayView(actor, a, reviewerMinTrust(this.config))) {
      throw new NotFound('alert');
    }
    const viewer = { id: actor.orgId, trustLevel: actor.trustLevel };
    // A non-submitter may see a pending alert only as its vetter: the review queue sees the org.
    const sourceViewer = sourceViewerOf(actor, a.status === 'pending_review' && a.sourceOrgId !== actor.orgId);
    const linkedViewer = sourceViewerOf(actor);
    const linkedAlerts = (await this.links.linked(a.id))
      .filter((l) => l.status === 'published' && mayReceive(l, viewer))
      .slice(0, MAX_LINKED)
      .map((l): LinkedAlertView => {
        const source = sourceView(
          {
            sourceOrgId: l.sourceOrgId,
            attribution: l.attribution,
            sourceOrgName: l.sourceOrgName,
            sourceCountry: l.country,
            sourceTrustLevel: l.trustLevel,
          },
          linkedViewer,
        );
        return {
          alertId: l.alertId,
          ...(source.org ? { orgId: l.sourceOrgId } : {}),
          country: l.country,
          source,
          submittedAt: l.submittedAt.toISOString(),
          sharedCount: l.sharedCount,
          sharedIndicators: l.sharedKeys.slice(0, MAX_LINKED_KEYS),
        };
      });
    return { ...toAlertView(a, sourceViewer), linkedAlerts };
  }
}
