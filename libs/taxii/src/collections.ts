import { STIX_MEDIA_TYPE, type SubscriptionFilter } from '@tocsin/domain';

/**
 * The writable collection (TAXII 2.1 §5): what the caller's organisation submitted. Reading it answers the
 * organisation's own published alerts; `POST .../objects/` to it submits an envelope through the normal pipeline.
 */
export const INBOX_COLLECTION_ID = '6d2b2a36-6f3e-4a52-9c1e-0b7d5f1e9a01';
/** Every alert the caller may see. */
export const ALL_COLLECTION_ID = '2f0c8a4e-93d1-4c7b-8e55-1a6b3c9d7e02';
/** The alerts the caller may see that touch its constituency (a `constituency-hit` on the socket). */
export const CONSTITUENCY_COLLECTION_ID = '9a4e1c7d-5b2f-4e8a-b3c6-0d1f2e3a4b03';
/** The alerts the caller may see that are (or were) reports of a coordinated alert it may see. */
export const COORDINATED_COLLECTION_ID = '5c8d3f1a-7e2b-4d9c-a6f0-3b4e5d6c7a04';

/** Which alerts a collection holds, before visibility (which is always the one policy, mayReceive). */
export type CollectionScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'own' }
  | { readonly kind: 'constituency' }
  | { readonly kind: 'coordinated' }
  | { readonly kind: 'subscription'; readonly subscriptionId: string; readonly filters: SubscriptionFilter };

/** A TAXII 2.1 collection resource (§5.2.1). */
export interface TaxiiCollection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly alias?: string;
  readonly can_read: boolean;
  readonly can_write: boolean;
  readonly media_types: readonly string[];
}

/** The fixed collections every organisation has, in the order they are listed, with what each holds. */
export const FIXED_COLLECTIONS: readonly { readonly collection: TaxiiCollection; readonly scope: CollectionScope }[] = [
  {
    collection: {
      id: ALL_COLLECTION_ID,
      title: 'All alerts',
      description: 'Every published alert your organisation may see (TLP and trust), with its updates and revocations.',
      alias: 'all',
      can_read: true,
      can_write: false,
      media_types: [STIX_MEDIA_TYPE],
    },
    scope: { kind: 'all' },
  },
  {
    collection: {
      id: INBOX_COLLECTION_ID,
      title: 'Your submissions',
      description:
        'Alerts your organisation submitted, as published. Add objects (an envelope) to submit them as an alert.',
      alias: 'inbox',
      can_read: true,
      can_write: true,
      media_types: [STIX_MEDIA_TYPE],
    },
    scope: { kind: 'own' },
  },
  {
    collection: {
      id: CONSTITUENCY_COLLECTION_ID,
      title: 'Your constituency',
      description:
        'Published alerts your organisation may see whose indicators or targeted countries fall into its constituency.',
      alias: 'constituency',
      can_read: true,
      can_write: false,
      media_types: [STIX_MEDIA_TYPE],
    },
    scope: { kind: 'constituency' },
  },
  {
    collection: {
      id: COORDINATED_COLLECTION_ID,
      title: 'Coordinated alerts',
      description:
        'Published alerts your organisation may see that are, or were, reports of a coordinated alert it may see (one threat reported from several countries).',
      alias: 'coordinated',
      can_read: true,
      can_write: false,
      media_types: [STIX_MEDIA_TYPE],
    },
    scope: { kind: 'coordinated' },
  },
];

/** The collection of one of the caller's subscriptions: the alerts it matches (its filters), as published. */
export function subscriptionCollection(s: { id: string; name: string | null }): TaxiiCollection {
  return {
    id: s.id,
    title: `Subscription: ${s.name ?? s.id}`,
    description: "Published alerts your organisation may see that match this subscription's filters.",
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
}
