// The live feed's HTTP calls: the organisation's subscriptions, to filter the feed by one of them.
import type { SubscriptionView } from '@tocsin/client';
import { call } from './api';

export type { SubscriptionView };

/** The caller's organisation's subscriptions (`GET /api/v1/subscriptions`; any user of the org may read them). */
export async function listSubscriptions(): Promise<SubscriptionView[]> {
  return (await call<{ items: SubscriptionView[] }>('GET', '/subscriptions')).items;
}
