import { Injectable, Logger } from '@nestjs/common';
import { AlertStore } from '@tocsin/alerts';
import { AlertLinkRepository } from './alert-link.repository';
import { Db, Outbox } from '@tocsin/db';
import { OrgDirectory } from '@tocsin/orgs';
import { alertJob, type AlertJobPayload } from '@tocsin/queues';
import { SocketBroadcaster } from '@tocsin/platform';
import { Corroboration, releaseReason } from './corroboration';

/**
 * After an alert is published, it corroborates the alerts linked to it: their confidence rises (a published one's as a
 * new revision, pushed to its recipients as `alert-updated`), and one held for review is released when its counting
 * corroborators now meet the policy. Each linked alert in its own short transaction; idempotent (counted links are
 * not counted again, so a re-run raises nothing twice; a released alert is no longer held).
 */
@Injectable()
export class CorroborateLinkedUseCase {
  private readonly log = new Logger(CorroborateLinkedUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly sockets: SocketBroadcaster,
    private readonly links: AlertLinkRepository,
    private readonly orgs: OrgDirectory,
    private readonly outbox: Outbox,
    private readonly corroboration: Corroboration,
  ) {}

  async execute(job: AlertJobPayload): Promise<{ released: number; revised: number }> {
    const linked = await this.links.linked(job.alertId);
    if (linked.length === 0 || (await this.alerts.findForViewer(job.alertId))?.status !== 'published') {
      return { released: 0, revised: 0 };
    }
    let released = 0;
    let revised = 0;
    for (const l of linked) {
      if (l.status !== 'published' && l.status !== 'pending_review') {
        continue;
      }
      const done = await this.db.transaction(async (tx) => {
        const a = await this.alerts.lock(l.alertId, tx);
        if (!a || (a.status !== 'published' && a.status !== 'pending_review')) {
          return null;
        }
        const trust = (await this.orgs.find(a.sourceOrgId, tx))?.trustLevel ?? 0;
        const { counting, alert, revisedSeq } = await this.corroboration.apply(a, trust, tx);
        if (a.status === 'published') {
          // Its recipients have it: a raised confidence reached them as a revision (`alert-updated`).
          return revisedSeq === null ? null : { revisedSeq };
        }
        if (a.approved || !this.corroboration.releases(trust, counting)) {
          return null;
        }
        await this.alerts.release(alert, releaseReason(counting), tx);
        await this.outbox.enqueue(tx, alertJob('alert.publish', { alertId: a.id, requestId: a.requestId }));
        return { released: true };
      });
      if (done && 'revisedSeq' in done) {
        revised++;
        this.sockets.published(String(done.revisedSeq));
      } else if (done) {
        released++;
        this.log.log({ alertId: l.alertId, by: job.alertId }, 'held alert released by corroboration');
      }
    }
    if (revised > 0) {
      this.log.log({ alertId: job.alertId, revised }, 'confidence of linked published alerts raised');
    }
    return { released, revised };
  }
}
