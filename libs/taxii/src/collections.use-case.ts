import { Injectable } from '@nestjs/common';
import { SubscriptionsUseCase } from '@tocsin/delivery';
import { isUuid, mayPerform, type Actor } from '@tocsin/domain';
import { Forbidden, NotFound } from '@tocsin/platform';
import { FIXED_COLLECTIONS, subscriptionCollection, type CollectionScope, type TaxiiCollection } from './collections';

/** A collection the caller may read, with what it holds. */
export interface ResolvedCollection {
  readonly collection: TaxiiCollection;
  readonly scope: CollectionScope;
}

/** `can_write` says whether this requester may add objects (TAXII 2.1 §5.2.1): the inbox, for a key that may submit. */
function forActor(actor: Actor, c: TaxiiCollection): TaxiiCollection {
  return c.can_write && !mayPerform(actor, 'alert.submit') ? { ...c, can_write: false } : c;
}

/**
 * The caller's TAXII collections (TAXII 2.1 §5.1, §5.2): the fixed ones, then one per subscription of its
 * organisation (id = subscription id). A key that may not read alerts gets 403; a collection that is not the
 * caller's (another organisation's subscription, a malformed id) is 404, as a missing one.
 */
@Injectable()
export class TaxiiCollectionsUseCase {
  constructor(private readonly subscriptions: SubscriptionsUseCase) {}

  async list(actor: Actor): Promise<TaxiiCollection[]> {
    this.allow(actor);
    const own = await this.subscriptions.list(actor);
    return [...FIXED_COLLECTIONS.map((c) => forActor(actor, c.collection)), ...own.items.map(subscriptionCollection)];
  }

  async resolve(actor: Actor, id: string): Promise<ResolvedCollection> {
    this.allow(actor);
    const fixed = FIXED_COLLECTIONS.find((c) => c.collection.id === id);
    if (fixed) {
      return { collection: forActor(actor, fixed.collection), scope: fixed.scope };
    }
    if (!isUuid(id)) {
      throw new NotFound('collection');
    }
    const own = await this.subscriptions.list(actor);
    const s = own.items.find((x) => x.id === id.toLowerCase());
    if (!s) {
      throw new NotFound('collection');
    }
    return {
      collection: subscriptionCollection(s),
      scope: { kind: 'subscription', subscriptionId: s.id, filters: s.filters },
    };
  }

  private allow(actor: Actor): void {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden('this key may not read alerts');
    }
  }
}
