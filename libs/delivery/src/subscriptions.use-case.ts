import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RSIT } from '@tocsin/alerts';
import { Db } from '@tocsin/db';
import {
  MAX_SUBSCRIPTIONS_PER_ORG,
  isUuid,
  mayPerform,
  parseSubscriptionChange,
  parseSubscriptionInput,
  rsitFilterCheck,
  type Actor,
  type ClassificationFilterCheck,
  type RsitVocabulary,
} from '@tocsin/domain';
import { Conflict, Forbidden, Invalid, NotFound, SocketBroadcaster } from '@tocsin/platform';
import { SubscriptionRepository, type SubscriptionRow } from './subscription.repository';

/** A subscription as the API answers it. */
export function subscriptionView(s: SubscriptionRow) {
  return {
    id: s.id,
    name: s.name,
    filters: s.filters,
    ackedSeq: s.ackedSeq,
    ackedAt: s.ackedAt ? s.ackedAt.toISOString() : null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
export type SubscriptionView = ReturnType<typeof subscriptionView>;

/**
 * `POST/GET/PATCH/DELETE /api/v1/subscriptions[/:id]`: the caller's own organisation's subscriptions (any key that
 * may read alerts). Another organisation's subscription, or a malformed id, is the same 404 as a missing one. A
 * change reaches connected sockets at once (through every gateway).
 */
@Injectable()
export class SubscriptionsUseCase {
  private readonly log = new Logger(SubscriptionsUseCase.name);
  private readonly checkClassification: ClassificationFilterCheck;

  constructor(
    private readonly db: Db,
    private readonly subscriptions: SubscriptionRepository,
    private readonly sockets: SocketBroadcaster,
    @Inject(RSIT) rsit: RsitVocabulary,
  ) {
    this.checkClassification = rsitFilterCheck(rsit);
  }

  private allow(actor: Actor): void {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
  }

  async create(actor: Actor, body: unknown): Promise<SubscriptionView> {
    this.allow(actor);
    const input = parseSubscriptionInput(body, this.checkClassification);
    if (!input.ok) {
      throw new Invalid(input.error);
    }
    const row = await this.db.transaction(async (tx) => {
      const count = await this.subscriptions.lockOrg(actor.orgId, tx);
      if (count >= MAX_SUBSCRIPTIONS_PER_ORG) {
        throw new Conflict(
          'too-many-subscriptions',
          `an organisation keeps at most ${MAX_SUBSCRIPTIONS_PER_ORG} subscriptions; delete one first`,
        );
      }
      return this.subscriptions.create({ id: randomUUID(), orgId: actor.orgId, ...input.value }, tx);
    });
    this.log.log({ orgId: actor.orgId, subscriptionId: row.id, by: actor.keyId }, 'subscription created');
    return subscriptionView(row);
  }

  async list(actor: Actor): Promise<{ items: SubscriptionView[] }> {
    this.allow(actor);
    return { items: (await this.subscriptions.listOwn(actor.orgId)).map(subscriptionView) };
  }

  async get(actor: Actor, id: string): Promise<SubscriptionView> {
    this.allow(actor);
    const [row] = isUuid(id) ? await this.subscriptions.findOwn(actor.orgId, [id]) : [];
    if (!row) {
      throw new NotFound('subscription');
    }
    return subscriptionView(row);
  }

  async update(actor: Actor, id: string, body: unknown): Promise<SubscriptionView> {
    this.allow(actor);
    if (!isUuid(id)) {
      throw new NotFound('subscription');
    }
    const change = parseSubscriptionChange(body, this.checkClassification);
    if (!change.ok) {
      throw new Invalid(change.error);
    }
    const row = await this.subscriptions.update(actor.orgId, id, change.value);
    if (!row) {
      throw new NotFound('subscription');
    }
    this.sockets.subscriptionChanged(actor.orgId, id);
    this.log.log({ orgId: actor.orgId, subscriptionId: id, by: actor.keyId }, 'subscription changed');
    return subscriptionView(row);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.allow(actor);
    if (!isUuid(id) || !(await this.subscriptions.remove(actor.orgId, id))) {
      throw new NotFound('subscription');
    }
    this.sockets.subscriptionChanged(actor.orgId, id);
    this.log.log({ orgId: actor.orgId, subscriptionId: id, by: actor.keyId }, 'subscription deleted');
  }
}
