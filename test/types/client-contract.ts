/**
 * Compile-time contract between the hub's HTTP and socket answers and the client's types (issue 13): this file
 * type-checks with `tsc --noEmit -p tsconfig.json` (run by `npm run lint`) only while, for every route, what the
 * controller answers — `Awaited<ReturnType<Controller['method']>>`, as JSON (dates become strings) — is exactly the
 * type the client's method promises. A change to either side that the other does not follow fails the build.
 * Nothing here runs; it only imports types (dependency-cruiser allows test/types nothing else from apps/).
 */
import type { AlertsController } from '../../apps/api/src/alerts/alerts.controller';
import type { CoordinatedAlertsController } from '../../apps/api/src/coordination/coordinated-alerts.controller';
import type { IndicatorsController } from '../../apps/api/src/indicators/indicators.controller';
import type { AuditController } from '../../apps/api/src/orgs/audit.controller';
import type { ConstituencyController } from '../../apps/api/src/orgs/constituency.controller';
import type { OrgAuditController } from '../../apps/api/src/orgs/org-audit.controller';
import type { OrgsController } from '../../apps/api/src/orgs/orgs.controller';
import type { RecipientsController } from '../../apps/api/src/orgs/recipients.controller';
import type { StatsController } from '../../apps/api/src/stats/stats.controller';
import type { SubscriptionsController } from '../../apps/api/src/subscriptions/subscriptions.controller';
import type { UsersController } from '../../apps/api/src/users/users.controller';
import type { AckAnswer, ServerToClientEvents } from '@tocsin/delivery';
import type { HealthController } from '@tocsin/runtime';
import type { AckResult, AuditPage, InvitedUserView, Json, TocsinClient, UserView, WatchEvents } from '@tocsin/client';
import type { Equal, Expect } from './type-equality';

type Fn = (...args: never[]) => unknown;
/** What a controller method answers, as it travels over the wire. */
type Answer<C, M extends keyof C> = C[M] extends Fn ? Json<Awaited<ReturnType<C[M]>>> : never;
/** What a client method resolves to. */
type Result<F> = F extends Fn ? Awaited<ReturnType<F>> : never;
/** What a client iterator yields. */
type Item<F> = F extends Fn ? (ReturnType<F> extends AsyncIterable<infer I> ? I : never) : never;
/** The route methods of a controller (every method: a new route must be checked here). */
type Routes<C> = { [K in keyof C]: C[K] extends Fn ? K : never }[keyof C];

type Alerts = TocsinClient['alerts'];
type Orgs = TocsinClient['orgs'];
type Subs = TocsinClient['subscriptions'];
type Coordinated = TocsinClient['coordinated'];
type Users = TocsinClient['orgs']['users'];
/** An event's payload as the gateway sends it. */
type Event<E extends keyof ServerToClientEvents> = Json<Parameters<ServerToClientEvents[E]>[0]>;
/** The events checked below: a new one must be added. */
type SocketEvents =
  | 'alert'
  | 'alert-updated'
  | 'alert-revoked'
  | 'sighting'
  | 'alert-indicators'
  | 'coordinated-alert'
  | 'coordinated-alert-updated'
  | 'coordinated-alert-withdrawn'
  | 'constituency-hit'
  | 'lagging';

export type Checks = [
  // GET /api/v1/health
  Expect<Equal<Answer<HealthController, 'health'>, Result<TocsinClient['health']>>>,
  Expect<Equal<Answer<StatsController, 'get'>, Result<TocsinClient['stats']>>>,
  Expect<Equal<Routes<StatsController>, 'get'>>,

  // /api/v1/alerts
  Expect<Equal<Answer<AlertsController, 'submit'>, Result<Alerts['submit']>>>,
  Expect<Equal<Answer<AlertsController, 'preview'>, Result<Alerts['preview']>>>,
  Expect<Equal<Answer<AlertsController, 'list'>, Result<Alerts['page']>>>,
  Expect<Equal<Answer<AlertsController, 'list'>['items'][number], Item<Alerts['list']>>>,
  Expect<Equal<Answer<AlertsController, 'get'>, Result<Alerts['get']>>>,
  Expect<Equal<Answer<AlertsController, 'review'>, Result<Alerts['review']>>>,
  Expect<Equal<Answer<AlertsController, 'update'>, Result<Alerts['update']>>>,
  Expect<Equal<Answer<AlertsController, 'revoke'>, Result<Alerts['revoke']>>>,
  Expect<Equal<Answer<AlertsController, 'sighting'>, Result<Alerts['sighting']>>>,
  Expect<Equal<Answer<AlertsController, 'indicators'>, Result<Alerts['indicatorsPage']>>>,
  Expect<Equal<Answer<AlertsController, 'indicators'>['items'][number], Item<Alerts['indicators']>>>,
  // The export is a STIX bundle or a MISP event, typed `object` by the server: the client reads it as a JSON object.
  Expect<Equal<Awaited<ReturnType<AlertsController['export']>>, object>>,
  Expect<Equal<Result<Alerts['export']>, Record<string, unknown>>>,
  Expect<Equal<Result<Alerts['waitForOutcome']>, Result<Alerts['update']>>>,
  Expect<
    Equal<
      Routes<AlertsController>,
      'submit' | 'preview' | 'list' | 'get' | 'review' | 'update' | 'revoke' | 'sighting' | 'indicators' | 'export'
    >
  >,

  // GET /api/v1/indicators
  Expect<Equal<Answer<IndicatorsController, 'find'>, Result<TocsinClient['indicators']['lookup']>>>,
  Expect<Equal<Answer<IndicatorsController, 'find'>['items'][number], Item<TocsinClient['indicators']['sightings']>>>,
  Expect<Equal<Routes<IndicatorsController>, 'find'>>,

  // /api/v1/orgs, keys, constituency
  Expect<Equal<Answer<OrgsController, 'create'>, Result<Orgs['create']>>>,
  Expect<Equal<Answer<OrgsController, 'list'>, Result<Orgs['page']>>>,
  Expect<Equal<Answer<OrgsController, 'list'>['items'][number], Item<Orgs['list']>>>,
  Expect<Equal<Answer<OrgsController, 'get'>, Result<Orgs['get']>>>,
  Expect<Equal<Answer<OrgsController, 'patch'>, Result<Orgs['setTrust']>>>,
  Expect<Equal<Answer<OrgsController, 'patch'>, Result<Orgs['update']>>>,
  Expect<Equal<Answer<OrgsController, 'issueKey'>, Result<Orgs['keys']['create']>>>,
  Expect<Equal<Answer<OrgsController, 'keys'>, { items: Result<Orgs['keys']['list']> }>>,
  Expect<Equal<Answer<OrgsController, 'revoke'>, Result<Orgs['keys']['revoke']>>>,
  Expect<Equal<Routes<OrgsController>, 'create' | 'list' | 'get' | 'patch' | 'issueKey' | 'keys' | 'revoke'>>,
  Expect<Equal<Answer<RecipientsController, 'list'>, Result<Orgs['recipients']>>>,
  Expect<Equal<Routes<RecipientsController>, 'list'>>,
  Expect<Equal<Answer<ConstituencyController, 'get'>, Result<Orgs['constituency']['get']>>>,
  Expect<Equal<Answer<ConstituencyController, 'put'>, Result<Orgs['constituency']['set']>>>,
  Expect<Equal<Routes<ConstituencyController>, 'get' | 'put'>>,
  Expect<Equal<Result<TocsinClient['whoami']>['org'], Result<Orgs['get']>>>,

  // GET /api/v1/audit
  Expect<Equal<Answer<AuditController, 'list'>, Result<TocsinClient['audit']['page']>>>,
  Expect<Equal<Answer<AuditController, 'list'>['items'][number], Item<TocsinClient['audit']['list']>>>,
  Expect<Equal<Routes<AuditController>, 'list'>>,
  // GET /api/v1/orgs/:id/audit: the web console's administration reads this type.
  Expect<Equal<Answer<OrgAuditController, 'list'>, AuditPage>>,
  // /api/v1/orgs/:id/users (the console reads the same types)
  Expect<Equal<Answer<UsersController, 'list'>, { items: UserView[] }>>,
  Expect<Equal<Answer<UsersController, 'list'>, { items: Result<Users['list']> }>>,
  Expect<Equal<Answer<UsersController, 'invite'>, InvitedUserView>>,
  Expect<Equal<Answer<UsersController, 'invite'>, Result<Users['invite']>>>,
  Expect<Equal<Answer<UsersController, 'reinvite'>, Result<Users['reinvite']>>>,
  Expect<Equal<Answer<UsersController, 'change'>, UserView>>,
  Expect<Equal<Answer<UsersController, 'change'>, Result<Users['update']>>>,
  Expect<Equal<Answer<UsersController, 'disable'>, Result<Users['disable']>>>,
  Expect<Equal<Answer<UsersController, 'resetSecondFactor'>, Result<Users['removeSecondFactor']>>>,
  Expect<Equal<Answer<UsersController, 'endAll'>, Result<Users['endSessions']>>>,
  Expect<
    Equal<
      Routes<UsersController>,
      'invite' | 'reinvite' | 'list' | 'change' | 'disable' | 'resetSecondFactor' | 'endAll'
    >
  >,

  // /api/v1/subscriptions
  Expect<Equal<Answer<SubscriptionsController, 'create'>, Result<Subs['create']>>>,
  Expect<Equal<Answer<SubscriptionsController, 'list'>, { items: Result<Subs['list']> }>>,
  Expect<Equal<Answer<SubscriptionsController, 'get'>, Result<Subs['get']>>>,
  Expect<Equal<Answer<SubscriptionsController, 'update'>, Result<Subs['update']>>>,
  Expect<Equal<Answer<SubscriptionsController, 'remove'>, Result<Subs['delete']>>>,
  Expect<Equal<Routes<SubscriptionsController>, 'create' | 'list' | 'get' | 'update' | 'remove'>>,

  // /api/v1/coordinated-alerts
  Expect<Equal<Answer<CoordinatedAlertsController, 'list'>, Result<Coordinated['page']>>>,
  Expect<Equal<Answer<CoordinatedAlertsController, 'list'>['items'][number], Item<Coordinated['list']>>>,
  Expect<Equal<Answer<CoordinatedAlertsController, 'get'>, Result<Coordinated['get']>>>,
  Expect<Equal<Answer<CoordinatedAlertsController, 'close'>, Result<Coordinated['close']>>>,
  Expect<Equal<Routes<CoordinatedAlertsController>, 'list' | 'get' | 'close'>>,

  // socket.io /alerts: each event the gateway may send, as the watcher hands it to a listener.
  Expect<Equal<Event<'alert'>, WatchEvents['alert']>>,
  Expect<Equal<Event<'alert-updated'>, WatchEvents['alert-updated']>>,
  Expect<Equal<Event<'alert-revoked'>, WatchEvents['alert-revoked']>>,
  Expect<Equal<Event<'sighting'>, WatchEvents['sighting']>>,
  Expect<Equal<Event<'alert-indicators'>, WatchEvents['alert-indicators']>>,
  Expect<Equal<Event<'coordinated-alert'>, WatchEvents['coordinated-alert']>>,
  Expect<Equal<Event<'coordinated-alert-updated'>, WatchEvents['coordinated-alert-updated']>>,
  Expect<Equal<Event<'coordinated-alert-withdrawn'>, WatchEvents['coordinated-alert-withdrawn']>>,
  Expect<Equal<Event<'constituency-hit'>, WatchEvents['constituency-hit']>>,
  Expect<Equal<Event<'lagging'>, WatchEvents['lagging']>>,
  Expect<Equal<keyof ServerToClientEvents, SocketEvents>>,
  Expect<Equal<Json<AckAnswer>, AckResult>>,
];
