import { Inject, Injectable } from '@nestjs/common';
import { AlertStore, toAlertView, type AlertView } from '@tocsin/alerts';
import { decideReview, isReviewer, sourceViewerOf, type Actor, type TrustLevel } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid } from '@tocsin/platform';

const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([0-9a-f-]{36})$/;

/** The review queue: pending alerts of other organisations that this vetter may review, oldest first. */
@Injectable()
export class ListPendingAlertsUseCase {
  constructor(
    private readonly alerts: AlertStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(
    actor: Actor,
    limit: number,
    cursor: string | null,
  ): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    const minTrust = this.config.TOCSIN_REVIEWER_MIN_TRUST as TrustLevel;
    if (!isReviewer(actor, minTrust)) {
      throw new Forbidden(
        `only vetters of the hub or of organisations of trust ${minTrust} and up see the review queue`,
      );
    }
    let after: { at: Date; id: string } | null = null;
    if (cursor !== null) {
      const m = CURSOR.exec(cursor);
      if (!m?.[1] || !m[2]) {
        throw new Invalid([{ pointer: '?cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
      }
      after = { at: new Date(m[1]), id: m[2] };
    }
    const items: AlertView[] = [];
    let last: { at: Date; id: string } | null = after;
    let exhausted = false;
    // Scan in pages, keeping only alerts this vetter may review (RED ones it is not named on are skipped).
    for (let pass = 0; pass < 20 && items.length < limit; pass++) {
      const rows = await this.alerts.findPending(actor.orgId, last, limit * 2);
      for (const a of rows) {
        last = { at: a.submittedAt, id: a.id };
        if (decideReview(actor, a, minTrust) === 'allow') {
          items.push(toAlertView(a, sourceViewerOf(actor, true)));
          if (items.length === limit) {
            break;
          }
        }
      }
      if (rows.length < limit * 2) {
        exhausted = true;
        break;
      }
    }
    const tail = items[items.length - 1];
    return {
      items,
      nextCursor: !exhausted && tail && last ? `${last.at.toISOString()}_${last.id}` : null,
    };
  }
}
