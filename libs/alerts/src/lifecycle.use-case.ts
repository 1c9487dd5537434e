import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db, Outbox, PublishLogRepository, type Tx } from '@tocsin/db';
import { alertJob } from '@tocsin/queues';
import { parseAlertRevision, parseRevocation, type Actor } from '@tocsin/domain';
import {
  APP_CONFIG,
  type AppConfig,
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  SocketBroadcaster,
} from '@tocsin/platform';
import { AlertStore } from './alert-store';
import { AlertRevisions } from './alert-revisions';
import type { AlertRecord } from './alert.repository';
import type { AlertView } from './alert-view';
import { mayView, reviewerMinTrust } from './get-alert.use-case';

/** Only an operator of the submitting organisation changes an alert; others who may see it get 403, the rest 404. */
async function lockOwn(alerts: AlertStore, config: AppConfig, actor: Actor, id: string, tx: Tx): Promise<AlertRecord> {
  const a = await alerts.lock(id, tx);
  if (!a || !mayView(actor, a, reviewerMinTrust(config))) {
    throw new NotFound('alert');
  }
  if (a.sourceOrgId !== actor.orgId || actor.role !== 'operator') {
    throw new Forbidden('only an operator of the submitting organisation may change an alert');
  }
  return a;
}

/**
 * PATCH /api/v1/alerts/:id: a new revision of a published alert's context (title, description, severity,
 * validUntil). It joins the publish log with its own seq (AlertRevisions), so live delivery and replay both carry
 * `alert-updated`.
 */
@Injectable()
export class UpdateAlertUseCase {
  private readonly log = new Logger(UpdateAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly revisions: AlertRevisions,
    private readonly sockets: SocketBroadcaster,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, id: string, body: unknown): Promise<AlertView> {
    const change = parseAlertRevision(body);
    if (!change.ok) {
      throw new Invalid(change.error);
    }
    const seq = await this.db.transaction(async (tx) => {
      const a = await lockOwn(this.alerts, this.config, actor, id, tx);
      if (a.status !== 'published') {
        throw new Conflict('alert-not-published', `only a published alert gets revisions (this one is ${a.status})`);
      }
      const c = change.value;
      const validUntil =
        c.validUntil === undefined ? a.validUntil : c.validUntil === null ? null : new Date(c.validUntil);
      const revised = await this.revisions.append(
        a,
        {
          ...(c.title !== undefined ? { title: c.title } : {}),
          ...(c.description !== undefined ? { description: c.description } : {}),
          ...(c.severity !== undefined ? { severity: c.severity } : {}),
          validUntil,
        },
        new Date(),
        tx,
      );
      return revised.seq;
    });
    this.sockets.published(String(seq));
    this.log.log({ alertId: id, seq, by: actor.keyId }, 'alert updated');
    return this.alerts.view(id, actor.orgId);
  }
}

/**
 * POST /api/v1/alerts/:id/revoke {reason}: a published alert is withdrawn with an `alert-revoked` event (its own
 * seq, so replay carries it); one not yet published simply never goes out.
 */
@Injectable()
export class RevokeAlertUseCase {
  private readonly log = new Logger(RevokeAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly publishLog: PublishLogRepository,
    private readonly sockets: SocketBroadcaster,
    private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, id: string, body: unknown): Promise<AlertView> {
    const input = parseRevocation(body);
    if (!input.ok) {
      throw new Invalid(input.error);
    }
    const seq = await this.db.transaction(async (tx) => {
      const a = await lockOwn(this.alerts, this.config, actor, id, tx);
      if (a.status === 'revoked' || a.status === 'rejected') {
        throw new Conflict('alert-final', `the alert is already ${a.status}`);
      }
      const revokedAt = new Date();
      await this.alerts.revoke(a, { reason: input.value.reason, at: revokedAt }, tx);
      if (a.status !== 'published') {
        return null;
      }
      // It leaves the coordinated alerts it joined, in its own job (it needs the hub-wide correlation lock).
      await this.outbox.enqueue(tx, alertJob('alert.withdraw', { alertId: a.id, requestId: null }));
      return this.publishLog.append(
        {
          event: 'alert-revoked',
          alertId: a.id,
          tlp: a.tlp,
          sourceOrgId: a.sourceOrgId,
          recipients: a.recipients,
          payload: { id: a.id, reason: input.value.reason, revokedAt: revokedAt.toISOString() },
        },
        tx,
      );
    });
    if (seq !== null) {
      this.sockets.published(String(seq));
    }
    this.log.log({ alertId: id, seq, by: actor.keyId }, 'alert revoked');
    return this.alerts.view(id, actor.orgId);
  }
}
