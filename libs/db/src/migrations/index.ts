import { Initial1795852088766 } from './1795852088766-Initial';
import { CanonicalModel1795854354484 } from './1795854354484-CanonicalModel';
import { TrustAndReview1795855933349 } from './1795855933349-TrustAndReview';
import { AlertLifecycle1795856460477 } from './1795856460477-AlertLifecycle';
import { Sightings1795857763333 } from './1795857763333-Sightings';
import { Coordination1795860104803 } from './1795860104803-Coordination';
import { IdempotencyKeys1796357729108 } from './1796357729108-IdempotencyKeys';
import { AlertSearch1796358968224 } from './1796358968224-AlertSearch';
import { Constituencies1796358976490 } from './1796358976490-Constituencies';
import { Subscriptions1796359382510 } from './1796359382510-Subscriptions';
import { Attribution1796360074619 } from './1796360074619-Attribution';
import { TaxiiStatuses1796380944898 } from './1796380944898-TaxiiStatuses';
import { Users1796395079586 } from './1796395079586-Users';
import { PublishedAtIndex1796395521064 } from './1796395521064-PublishedAtIndex';
import { AlertsPublishedIndex1796400000000 } from './1796400000000-AlertsPublishedIndex';
import { OutboxAvailableAt1796500000000 } from './1796500000000-OutboxAvailableAt';

// Every migration, in order. Add new ones here (listed explicitly, so tests and builds load the same set).
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: Function[] = [
  Initial1795852088766,
  CanonicalModel1795854354484,
  TrustAndReview1795855933349,
  AlertLifecycle1795856460477,
  Sightings1795857763333,
  Coordination1795860104803,
  IdempotencyKeys1796357729108,
  AlertSearch1796358968224,
  Constituencies1796358976490,
  Subscriptions1796359382510,
  Attribution1796360074619,
  TaxiiStatuses1796380944898,
  Users1796395079586,
  PublishedAtIndex1796395521064,
  AlertsPublishedIndex1796400000000,
  OutboxAvailableAt1796500000000,
];
