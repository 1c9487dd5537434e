import { detectFormat, contentTypeFor } from './detect-format';
import { TocsinTimeoutError, TocsinUsageError } from './errors';
import { HttpTransport, type Query } from './http';
import { boundedLimit, paginate } from './paging';
import type {
  AlertDetailView,
  AlertStatsView,
  AlertListQuery,
  AlertPatch,
  AlertsPage,
  AlertView,
  AuditEntry,
  AuditPage,
  AuditQuery,
  ConstituencyInput,
  ConstituencyView,
  CoordinatedAlertsPage,
  CoordinatedAlertView,
  CoordinatedQuery,
  CreatedKey,
  HealthView,
  IndicatorLookupView,
  IndicatorSightingView,
  IndicatorsPage,
  IndicatorView,
  InvitedUserView,
  KeySummary,
  OrgsPage,
  OrgView,
  Role,
  SightingAnswer,
  SourceFormat,
  SubmitAnswer,
  SubmissionPreview,
  RecipientsView,
  SubscriptionInput,
  SubscriptionView,
  UserView,
} from './types';
import { progressStream } from './upload';
import { AlertWatcher, type Watcher, type WatchOptions } from './watcher';

export interface ClientOptions {
  /** The hub's base URL, e.g. `http://127.0.0.1:3000` (no `/api/v1`). */
  readonly url: string;
  /** An API key, `tcs_…`. Sent as `Authorization: Bearer`; never put in an error message. */
  readonly key: string;
  /** Per request, default 30 s (an upload with progress gets this much per 10 MiB too). */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
}

/** A file's bytes or text plus its name; the format is detected from both unless given. */
export interface SubmitDocument {
  readonly content: string | Uint8Array;
  readonly fileName?: string;
  readonly format?: SourceFormat;
}

/** What the format cannot carry (README "Formats"): what the document states wins. */
export interface SubmitOptions {
  tlp?: string;
  title?: string;
  description?: string;
  severity?: string;
  attribution?: 'named' | 'anonymous';
  /** Org ids (TLP:RED). */
  recipients?: readonly string[];
  /** `Idempotency-Key`: a retry with the same key and body gets the first answer, and creates nothing. */
  idempotencyKey?: string;
  /** Called as the body is sent (the body is then streamed in 64 KiB chunks). */
  onUploadProgress?: (sentBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** Default 60 s. */
  timeoutMs?: number;
  /** Default 500 ms. */
  intervalMs?: number;
  signal?: AbortSignal;
}

/** Statuses an alert passes through on its own (the pipeline is still at work); any other is an outcome. */
export const IN_PROGRESS_STATUSES: readonly string[] = ['queued', 'normalized'];

const MiB = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const enc = (s: string): string => encodeURIComponent(s);

/**
 * A typed client of one Tocsin hub, for one API key: every REST route (README "HTTP API"), paged lists as async
 * iterators, submissions in any format, and `watch()` for the live socket.io feed. Non-2xx answers throw
 * TocsinProblem; no answer at all throws TocsinConnectionError.
 */
export class TocsinClient {
  private readonly http: HttpTransport;
  private readonly timeoutMs: number;

  constructor(private readonly opts: ClientOptions) {
    if (!/^https?:\/\//.test(opts.url)) {
      throw new TocsinUsageError(`url must start with http:// or https:// (got ${opts.url.slice(0, 100)})`);
    }
    if (typeof opts.key !== 'string' || opts.key.trim() === '') {
      throw new TocsinUsageError('key is required: an API key (tcs_…)');
    }
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.http = new HttpTransport({
      url: opts.url,
      key: opts.key.trim(),
      timeoutMs: this.timeoutMs,
      userAgent: opts.userAgent ?? 'tocsin-client',
    });
  }

  /** The hub's base URL, without a trailing slash. */
  get url(): string {
    return this.http.baseUrl;
  }

  private async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.http.request({ method: 'GET', path, query })).body as T;
  }

  private async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, json?: unknown): Promise<T> {
    return (await this.http.request({ method, path, json })).body as T;
  }

  /** A document sent as `submit` sends it (its media type, the query its options fill, upload progress). */
  private async sendDocument<T>(path: string, doc: SubmitDocument, opts: SubmitOptions): Promise<T> {
    const bytes = typeof doc.content === 'string' ? new TextEncoder().encode(doc.content) : doc.content;
    const { contentType } = doc.format
      ? { contentType: contentTypeFor(doc.format, doc.fileName) }
      : detectFormat(doc.content, doc.fileName);
    const query: Query = {
      format: doc.format,
      tlp: opts.tlp,
      title: opts.title,
      description: opts.description,
      severity: opts.severity,
      attribution: opts.attribution,
      recipients: opts.recipients,
    };
    const progress = opts.onUploadProgress;
    const r = await this.http.request({
      method: 'POST',
      path,
      query,
      raw: {
        contentType,
        length: bytes.byteLength,
        data: progress ? progressStream(bytes, progress) : bytes,
      },
      headers: opts.idempotencyKey !== undefined ? { 'idempotency-key': opts.idempotencyKey } : {},
      ...(opts.signal ? { signal: opts.signal } : {}),
      timeoutMs: this.timeoutMs * (1 + Math.floor(bytes.byteLength / (10 * MiB))),
    });
    return r.body as T;
  }

  /** `GET /api/v1/stats`: the last 24 hours' figures over the alerts the caller may see (the console's dashboard). */
  stats(): Promise<AlertStatsView> {
    return this.get('/api/v1/stats', {});
  }

  /** `GET /api/v1/health` (no key): 200 `ok`, or 503 `degraded` with the component `down` (not thrown). */
  async health(): Promise<HealthView> {
    const r = await this.http.request({ method: 'GET', path: '/api/v1/health', anonymous: true, alsoOk: [503] });
    return r.body as HealthView;
  }

  /** The key's own organisation: the only one a non-admin key sees; for a hub admin's key, the hub's. */
  async whoami(): Promise<{ org: OrgView }> {
    const first = await this.orgs.page({ limit: 2 });
    if (first.items.length === 1 && first.nextCursor === null && first.items[0]) {
      return { org: first.items[0] };
    }
    for await (const org of this.orgs.list()) {
      if (org.isHub) {
        return { org };
      }
    }
    throw new TocsinUsageError('the hub listed several organisations and none is the hub: cannot tell which is yours');
  }

  readonly alerts = {
    /**
     * `POST /api/v1/alerts`: a document in any format (detected from its name and content unless `format` is given).
     * Answers 202 `{id, status: "queued", …}`, or `{alerts, failed}` for a body of several MISP events.
     */
    submit: (doc: SubmitDocument, opts: SubmitOptions = {}): Promise<SubmitAnswer> =>
      this.sendDocument<SubmitAnswer>('/api/v1/alerts', doc, opts),

    /**
     * `POST /api/v1/alerts/preview`: what `submit` would read from the same document and options — counts, the first
     * canonical indicators and every refused record with its line or pointer and why — without storing anything.
     */
    preview: (doc: SubmitDocument, opts: SubmitOptions = {}): Promise<SubmissionPreview> =>
      this.sendDocument<SubmissionPreview>('/api/v1/alerts/preview', doc, opts),

    get: (id: string): Promise<AlertDetailView> => this.get(`/api/v1/alerts/${enc(id)}`),

    /** One page of `GET /api/v1/alerts` (newest first; `?status=pending_review` alone is the review queue). */
    page: (query: AlertListQuery & { cursor?: string; limit?: number } = {}): Promise<AlertsPage> => {
      const { cursor, limit, ...filters } = query;
      return this.get('/api/v1/alerts', { ...filters, limit: boundedLimit(limit, 200, 200), cursor });
    },

    /** Every alert matching, page after page. */
    list: (query: AlertListQuery & { limit?: number } = {}): AsyncIterable<AlertView> =>
      paginate((cursor) => this.alerts.page({ ...query, ...(cursor !== undefined ? { cursor } : {}) })),

    indicatorsPage: (id: string, opts: { cursor?: string; limit?: number } = {}): Promise<IndicatorsPage> =>
      this.get(`/api/v1/alerts/${enc(id)}/indicators`, {
        limit: boundedLimit(opts.limit, 1000, 10_000),
        cursor: opts.cursor,
      }),

    /** Every indicator of the alert in submission order, rejected ones included with their reason. */
    indicators: (id: string, opts: { limit?: number } = {}): AsyncIterable<IndicatorView> =>
      paginate((cursor) => this.alerts.indicatorsPage(id, { ...opts, ...(cursor !== undefined ? { cursor } : {}) })),

    /** A STIX 2.1 bundle or a MISP event, as parsed JSON. */
    export: (id: string, format: 'stix' | 'misp'): Promise<Record<string, unknown>> =>
      this.get(`/api/v1/alerts/${enc(id)}/export`, { format }),

    update: (id: string, patch: AlertPatch): Promise<AlertView> =>
      this.send('PATCH', `/api/v1/alerts/${enc(id)}`, patch),

    revoke: (id: string, reason: string): Promise<AlertView> =>
      this.send('POST', `/api/v1/alerts/${enc(id)}/revoke`, { reason }),

    review: (id: string, decision: 'approve' | 'reject', reason: string): Promise<AlertView> =>
      this.send('POST', `/api/v1/alerts/${enc(id)}/review`, { decision, reason }),

    sighting: (
      id: string,
      body: { type: 'sighting' | 'false-positive'; indicator?: string },
    ): Promise<SightingAnswer> => this.send('POST', `/api/v1/alerts/${enc(id)}/sightings`, body),

    /**
     * Reads the alert until its status is no longer one the pipeline moves on by itself (queued, normalized):
     * published, pending_review, rejected, revoked. Throws TocsinTimeoutError after `timeoutMs` (default 60 s).
     */
    waitForOutcome: async (id: string, opts: WaitOptions = {}): Promise<AlertView> => {
      const timeoutMs = opts.timeoutMs ?? 60_000;
      const intervalMs = Math.max(50, opts.intervalMs ?? 500);
      const deadline = Date.now() + timeoutMs;
      let last: string | undefined;
      for (;;) {
        opts.signal?.throwIfAborted();
        const alert = await this.alerts.get(id);
        if (!IN_PROGRESS_STATUSES.includes(alert.status)) {
          return alert;
        }
        last = alert.status;
        if (Date.now() + intervalMs > deadline) {
          throw new TocsinTimeoutError(
            `alert ${id} is still ${last} after ${timeoutMs} ms: the hub's workers may be busy or stopped`,
            last,
          );
        }
        await delay(intervalMs, opts.signal);
      }
    },
  };

  readonly indicators = {
    /** `GET /api/v1/indicators?value=`: one page of the alerts carrying the value, with counts over all of them. */
    lookup: (
      value: string,
      opts: { type?: string; limit?: number; cursor?: string } = {},
    ): Promise<IndicatorLookupView> =>
      this.get('/api/v1/indicators', {
        value,
        type: opts.type,
        limit: boundedLimit(opts.limit, 50, 200),
        cursor: opts.cursor,
      }),

    /** Every alert the caller may see carrying the value, page after page. */
    sightings: (value: string, opts: { type?: string; limit?: number } = {}): AsyncIterable<IndicatorSightingView> =>
      paginate((cursor) => this.indicators.lookup(value, { ...opts, ...(cursor !== undefined ? { cursor } : {}) })),
  };

  readonly orgs = {
    page: (opts: { cursor?: string; limit?: number } = {}): Promise<OrgsPage> =>
      this.get('/api/v1/orgs', { limit: boundedLimit(opts.limit, 100, 1000), cursor: opts.cursor }),
    /** Every org (a hub admin), or the key's own. */
    list: (opts: { limit?: number } = {}): AsyncIterable<OrgView> =>
      paginate((cursor) => this.orgs.page({ ...opts, ...(cursor !== undefined ? { cursor } : {}) })),
    get: (id: string): Promise<OrgView> => this.get(`/api/v1/orgs/${enc(id)}`),
    /** `GET /api/v1/recipients`: the organisations an operator may name on a TLP:RED alert (id, name, country). */
    recipients: (): Promise<RecipientsView> => this.get('/api/v1/recipients'),
    create: (body: { name: string; country: string; sector?: string; trustLevel: number }): Promise<OrgView> =>
      this.send('POST', '/api/v1/orgs', body),
    /** A new name and/or sector (`null` clears it), hub admins only; the reason goes to the audit trail. */
    update: (id: string, body: { name?: string; sector?: string | null; reason: string }): Promise<OrgView> =>
      this.send('PATCH', `/api/v1/orgs/${enc(id)}`, body),
    setTrust: (id: string, trustLevel: number, reason: string): Promise<OrgView> =>
      this.send('PATCH', `/api/v1/orgs/${enc(id)}`, { trustLevel, reason }),
    keys: {
      /** The answer holds the secret `key`, shown this once only. */
      create: (orgId: string, body: { role: Role; label?: string }): Promise<CreatedKey> =>
        this.send('POST', `/api/v1/orgs/${enc(orgId)}/keys`, body),
      list: async (orgId: string): Promise<KeySummary[]> =>
        (await this.get<{ items: KeySummary[] }>(`/api/v1/orgs/${enc(orgId)}/keys`)).items,
      revoke: (orgId: string, keyId: string): Promise<KeySummary> =>
        this.send('DELETE', `/api/v1/orgs/${enc(orgId)}/keys/${enc(keyId)}`),
    },
    /** The people of an organisation (its admins, or a hub admin): invites, roles, disabling, sessions, factors. */
    users: {
      list: async (orgId: string): Promise<UserView[]> =>
        (await this.get<{ items: UserView[] }>(`/api/v1/orgs/${enc(orgId)}/users`)).items,
      /** The answer holds the one-time `inviteToken` and `inviteUrl`, shown this once only. */
      invite: (orgId: string, body: { email: string; role: Role; name?: string }): Promise<InvitedUserView> =>
        this.send('POST', `/api/v1/orgs/${enc(orgId)}/users`, body),
      /** A new invite for an existing user (a password reset); using it ends the user's sessions. */
      reinvite: (orgId: string, userId: string): Promise<InvitedUserView> =>
        this.send('POST', `/api/v1/orgs/${enc(orgId)}/users/${enc(userId)}/invite`),
      /** A new role (from the user's next request), or `disabled` true / false. */
      update: (orgId: string, userId: string, body: { role?: Role; disabled?: boolean }): Promise<UserView> =>
        this.send('PATCH', `/api/v1/orgs/${enc(orgId)}/users/${enc(userId)}`, body),
      /** Disables the user (the row stays for the audit trail) and ends its sessions. */
      disable: (orgId: string, userId: string): Promise<UserView> =>
        this.send('DELETE', `/api/v1/orgs/${enc(orgId)}/users/${enc(userId)}`),
      endSessions: (orgId: string, userId: string): Promise<{ ended: number }> =>
        this.send('DELETE', `/api/v1/orgs/${enc(orgId)}/users/${enc(userId)}/sessions`),
      /** A lost phone: the user enrols a new second factor at its next sign-in. */
      removeSecondFactor: (orgId: string, userId: string): Promise<UserView> =>
        this.send('DELETE', `/api/v1/orgs/${enc(orgId)}/users/${enc(userId)}/totp`),
    },
    constituency: {
      get: (orgId: string): Promise<ConstituencyView> => this.get(`/api/v1/orgs/${enc(orgId)}/constituency`),
      set: (orgId: string, body: ConstituencyInput): Promise<ConstituencyView> =>
        this.send('PUT', `/api/v1/orgs/${enc(orgId)}/constituency`, body),
    },
  };

  readonly audit = {
    page: (query: AuditQuery & { cursor?: string; limit?: number } = {}): Promise<AuditPage> =>
      this.get('/api/v1/audit', {
        orgId: query.orgId,
        limit: boundedLimit(query.limit, 100, 1000),
        cursor: query.cursor,
      }),
    /** The audit trail, newest first (hub admins). */
    list: (query: AuditQuery & { limit?: number } = {}): AsyncIterable<AuditEntry> =>
      paginate((cursor) => this.audit.page({ ...query, ...(cursor !== undefined ? { cursor } : {}) })),
  };

  readonly subscriptions = {
    create: (body: SubscriptionInput): Promise<SubscriptionView> => this.send('POST', '/api/v1/subscriptions', body),
    list: async (): Promise<SubscriptionView[]> =>
      (await this.get<{ items: SubscriptionView[] }>('/api/v1/subscriptions')).items,
    get: (id: string): Promise<SubscriptionView> => this.get(`/api/v1/subscriptions/${enc(id)}`),
    /** Replaces the name and/or the filters (whole). */
    update: (id: string, body: SubscriptionInput): Promise<SubscriptionView> =>
      this.send('PATCH', `/api/v1/subscriptions/${enc(id)}`, body),
    delete: async (id: string): Promise<void> => {
      await this.send('DELETE', `/api/v1/subscriptions/${enc(id)}`);
    },
  };

  readonly coordinated = {
    page: (query: CoordinatedQuery & { cursor?: string; limit?: number } = {}): Promise<CoordinatedAlertsPage> =>
      this.get('/api/v1/coordinated-alerts', {
        status: query.status,
        limit: boundedLimit(query.limit, 50, 200),
        cursor: query.cursor,
      }),
    list: (query: CoordinatedQuery & { limit?: number } = {}): AsyncIterable<CoordinatedAlertView> =>
      paginate((cursor) => this.coordinated.page({ ...query, ...(cursor !== undefined ? { cursor } : {}) })),
    get: (id: string): Promise<CoordinatedAlertView> => this.get(`/api/v1/coordinated-alerts/${enc(id)}`),
    close: (id: string, reason: string): Promise<CoordinatedAlertView> =>
      this.send('POST', `/api/v1/coordinated-alerts/${enc(id)}/close`, { reason }),
  };

  /** The live feed on socket.io (`/alerts`): see WatchOptions for cursors, acks and reconnection. */
  watch(opts: WatchOptions = {}): Watcher {
    return new AlertWatcher({ url: this.http.baseUrl, key: this.opts.key.trim() }, opts);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
