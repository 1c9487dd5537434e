/**
 * The client's view of the hub's answers and events. Every shape comes from the server's own code through
 * `import type` (erased at run time: the client loads none of it), turned into what travels over the wire by
 * {@link Json}, so a change on the server changes the client's types too. test/types/client-contract.ts checks each
 * route's controller answer against these.
 */
import type {
  AlertStatsView as ServerAlertStatsView,
  AlertView as ServerAlertView,
  EventsAccepted,
  FeedbackRecorded,
  IndicatorLookup,
  IndicatorPage,
  IndicatorSighting,
  IndicatorView as ServerIndicatorView,
  SubmissionAccepted as ServerSubmissionAccepted,
} from '@tocsin/alerts';
import type {
  CoordinatedAlertView as ServerCoordinatedAlertView,
  GetAlertWithLinksUseCase,
  LinkedAlertView as ServerLinkedAlertView,
} from '@tocsin/coordination';
import type {
  AckAnswer,
  ConstituencyView as ServerConstituencyView,
  ServerToClientEvents,
  SubscriptionView as ServerSubscriptionView,
} from '@tocsin/delivery';
import type { AlertStatus, Role, Severity, SourceFormat, TlpLabel } from '@tocsin/domain';
import type { SubmissionPreview as ServerSubmissionPreview } from '@tocsin/normalization';
import type {
  AuditEntry as ServerAuditEntry,
  KeySummary as ServerKeySummary,
  Org,
  OrgPage,
  User as ServerUser,
  RecipientList,
} from '@tocsin/orgs';
import type { HealthView as ServerHealthView } from '@tocsin/runtime';
import type { Json } from './json';

export type { Json };

/** One page of a list: pass `nextCursor` back for the next one; `null` is the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export type HealthView = Json<ServerHealthView>;
export type AlertView = Json<ServerAlertView>;
/** `GET /api/v1/stats`: the dashboard's figures, counted over the alerts the caller may see. */
export type AlertStatsView = Json<ServerAlertStatsView>;
/** `GET /api/v1/alerts/:id`: the alert plus the other organisations' published alerts sharing its indicators. */
export type AlertDetailView = Json<Awaited<ReturnType<GetAlertWithLinksUseCase['execute']>>>;
export type LinkedAlertView = Json<ServerLinkedAlertView>;
export type SubmissionAccepted = Json<ServerSubmissionAccepted>;
/** A body of several MISP events: one alert per event, and the events that could not become one. */
export type MispBatchAccepted = Json<EventsAccepted>;
export type SubmitAnswer = SubmissionAccepted | MispBatchAccepted;
/** `POST /api/v1/alerts/preview`: what a submission would read and refuse, nothing stored. */
export type SubmissionPreview = Json<ServerSubmissionPreview>;
export type IndicatorView = Json<ServerIndicatorView>;
export type IndicatorsPage = Json<IndicatorPage>;
export type IndicatorLookupView = Json<IndicatorLookup>;
export type IndicatorSightingView = Json<IndicatorSighting>;
export type SightingAnswer = Json<FeedbackRecorded>;
export type OrgView = Json<Org>;
export type OrgsPage = Json<OrgPage>;
/** `GET /api/v1/recipients`: who may be named on a TLP:RED alert. */
export type RecipientsView = Json<RecipientList>;
export type KeySummary = Json<ServerKeySummary>;
/** A new key's summary plus its secret `key`, shown this once only. */
export type CreatedKey = Json<ServerKeySummary & { key: string }>;
export type ConstituencyView = Json<ServerConstituencyView>;
export type AuditEntry = Json<ServerAuditEntry>;
/** A user of an organisation (`GET /api/v1/orgs/:id/users`): never a password, code or token. */
export type UserView = Json<ServerUser>;
/** `POST /api/v1/orgs/:id/users`: the user plus its one-time invite, shown this once only. */
export type InvitedUserView = Json<
  { -readonly [K in keyof ServerUser]: ServerUser[K] } & {
    inviteToken: string;
    inviteExpiresAt: Date;
    inviteUrl: string;
  }
>;
export type AuditPage = { items: AuditEntry[]; nextCursor: string | null };
export type SubscriptionView = Json<ServerSubscriptionView>;
export type CoordinatedAlertView = Json<ServerCoordinatedAlertView>;
export type CoordinatedAlertsPage = { items: CoordinatedAlertView[]; nextCursor: string | null };
export type AlertsPage = { items: AlertView[]; nextCursor: string | null };
export type AckResult = Json<AckAnswer>;

export type { AlertStatus, Role, Severity, SourceFormat, TlpLabel };

/** `PATCH /api/v1/alerts/:id`: a new revision (at least one field). */
export interface AlertPatch {
  title?: string;
  description?: string | null;
  severity?: Severity;
  validUntil?: string | null;
}

/** `GET /api/v1/alerts` filters (README "Finding alerts and indicators"); a list is sent comma-separated. */
export interface AlertListQuery {
  status?: AlertStatus | readonly AlertStatus[];
  severity?: string | readonly string[];
  minSeverity?: string;
  tlp?: string | readonly string[];
  classification?: string | readonly string[];
  sourceCountry?: string | readonly string[];
  since?: string | Date;
  until?: string | Date;
  q?: string;
}

export interface AuditQuery {
  orgId?: string;
}

export interface CoordinatedQuery {
  status?: 'active' | 'closed';
}

/** `PUT /api/v1/orgs/:id/constituency`: replaces it whole. */
export interface ConstituencyInput {
  countries?: readonly string[];
  asns?: readonly string[];
  cidrs?: readonly string[];
  domains?: readonly string[];
}

export interface SubscriptionFilters {
  minSeverity?: string;
  tlp?: readonly string[];
  classifications?: readonly string[];
  indicatorTypes?: readonly string[];
  sectors?: readonly string[];
  countries?: readonly string[];
  sourceCountries?: readonly string[];
  coordinatedOnly?: boolean;
}

export interface SubscriptionInput {
  name?: string;
  filters?: SubscriptionFilters;
}

/** The payload of each event the hub sends on /alerts, from the gateway's own ServerToClientEvents map. */
export type ServerEvents = {
  [E in keyof ServerToClientEvents]: Json<Parameters<ServerToClientEvents[E]>[0]>;
};
export type { ServerToClientEvents };
