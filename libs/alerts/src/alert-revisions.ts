import { Injectable } from '@nestjs/common';
import { PublishLogRepository, type Tx } from '@tocsin/db';
import { AlertStore } from './alert-store';
import type { AlertRecord, RevisableField } from './alert.repository';

/**
 * The `alert-updated` event's body: the alert's revisable context as this revision leaves it (every field, not only
 * those that changed), so a recipient that missed a revision still ends with what REST shows.
 */
export function revisionPayload(a: AlertRecord, updatedAt: Date): Record<string, unknown> {
  return {
    id: a.id,
    revision: a.revision,
    title: a.title,
    description: a.description,
    severity: a.severity,
    validUntil: a.validUntil ? a.validUntil.toISOString() : null,
    confidence: a.confidence,
    updatedAt: updatedAt.toISOString(),
  };
}

/**
 * A new revision of a published alert: its submitter revised its context, or corroboration raised its confidence.
 * The revision number rises by one, the row is written by the `revise` transition (published alerts only:
 * anything else is an IllegalTransition, and nothing is written), and the revision joins the publish log as
 * `alert-updated` with its own seq, for the alert's audience, so live delivery, replay and TAXII carry it alike.
 */
@Injectable()
export class AlertRevisions {
  constructor(
    private readonly alerts: AlertStore,
    private readonly publishLog: PublishLogRepository,
  ) {}

  /**
   * `a` is locked by the caller, in `tx`. Returns the entry's seq: after the commit, the caller wakes the gateways
   * (SocketBroadcaster.published).
   */
  async append(
    a: AlertRecord,
    change: Partial<Pick<AlertRecord, RevisableField>>,
    at: Date,
    tx: Tx,
  ): Promise<{ seq: number; alert: AlertRecord }> {
    const next = await this.alerts.revise(a, { ...change, revision: a.revision + 1 }, tx);
    const seq = await this.publishLog.append(
      {
        event: 'alert-updated',
        alertId: a.id,
        tlp: a.tlp,
        sourceOrgId: a.sourceOrgId,
        recipients: a.recipients,
        payload: revisionPayload(next, at),
      },
      tx,
    );
    return { seq, alert: next };
  }
}
