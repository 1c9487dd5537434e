import { Injectable } from '@nestjs/common';
import { GetAlertUseCase, type AlertView } from '@tocsin/alerts';
import { mayReceive, sourceView, sourceViewerOf, type Actor, type SourceView } from '@tocsin/domain';
import { AlertLinkRepository } from './alert-link.repository';

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

/**
 * GET /api/v1/alerts/:id: the alert as the caller may see it (GetAlertUseCase: 403/404 first), with the published
 * alerts of other organisations linked to it (made at vetting) that the caller may see too.
 */
@Injectable()
export class GetAlertWithLinksUseCase {
  constructor(
    private readonly getAlert: GetAlertUseCase,
    private readonly links: AlertLinkRepository,
  ) {}

  async execute(actor: Actor, id: string): Promise<AlertView & { linkedAlerts: LinkedAlertView[] }> {
    const alert = await this.getAlert.execute(actor, id);
    const viewer = { id: actor.orgId, trustLevel: actor.trustLevel };
    const linkedViewer = sourceViewerOf(actor);
    const linkedAlerts = (await this.links.linked(alert.id))
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
    return { ...alert, linkedAlerts };
  }
}
