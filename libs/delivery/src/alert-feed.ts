import { Inject, Injectable } from '@nestjs/common';
import { AlertStore } from '@tocsin/alerts';
import {
  coordinatedEventFor,
  mayReceive,
  SEVERITIES,
  TLP_LABELS,
  type AlertFacets,
  type CoordinatedEventName,
  type CoordinatedSnapshot,
  type DeliverySubject,
  type Severity,
  type TlpLabel,
  type TrustLevel,
} from '@tocsin/domain';
import { coordinationThresholds, snapshotFromJson, viewToJson } from '@tocsin/coordination';
import { PublishLogRepository, type LogEntry } from '@tocsin/db';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { toPushed, withSourceFor, type PushedIndicator } from './publish-alert.use-case';

export interface Subscriber {
  readonly orgId: string;
  readonly trustLevel: TrustLevel;
  /** An admin key of the hub's own org: sees an anonymous alert's org (sourceView). */
  readonly hubAdmin?: boolean;
}

/** The `alert` event as sent on the socket. */
export interface AlertEvent {
  readonly seq: number;
  readonly alert: Record<string, unknown>;
}

/** The rest of a large alert's indicators, sent right after its `alert` event: chunk 1..count-1, in order. */
export interface AlertIndicatorsEvent {
  readonly seq: number;
  readonly alertId: string;
  readonly chunk: number;
  readonly count: number;
  readonly indicators: readonly PushedIndicator[];
}

/** Every event name the /alerts namespace sends. */
export type SocketEventName =
  Exclude<LogEntry['event'], 'coordinated'> | CoordinatedEventName | 'alert-indicators' | 'constituency-hit';

export interface SocketEvent {
  readonly name: SocketEventName;
  readonly body: Record<string, unknown>;
}

/**
 * The socket event for an alert's log entry (`alert`, `alert-updated`, `alert-revoked`, `sighting`), the same for
 * every recipient allowed to see it. A `coordinated` entry has no one event: see AlertFeed.eventFor.
 */
export function toSocketEvent(e: LogEntry): SocketEvent | null {
  switch (e.event) {
    case 'alert':
      return { name: 'alert', body: { seq: e.seq, alert: { ...e.payload, seq: e.seq } } };
    case 'alert-updated':
      return { name: 'alert-updated', body: { seq: e.seq, alert: { ...e.payload } } };
    case 'sighting':
      return { name: 'sighting', body: { seq: e.seq, ...e.payload } };
    case 'alert-revoked':
      return {
        name: 'alert-revoked',
        body: { seq: e.seq, alertId: e.alertId, reason: e.payload.reason, revokedAt: e.payload.revokedAt },
      };
    case 'coordinated':
      return null;
  }
}

/** An alert past its validUntil drops out of live views: neither pushed nor replayed. */
export function isExpired(e: LogEntry, now: Date): boolean {
  const v = e.payload.validUntil;
  return typeof v === 'string' && Date.parse(v) < now.getTime();
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What subscription filters look at, from an `alert` entry's payload (as published) and its indicator types. */
export function facetsFromPayload(p: Record<string, unknown>, indicatorTypes: readonly string[]): AlertFacets {
  const c = p.classification as { taxonomy?: unknown; type?: unknown } | null | undefined;
  const source = p.sourceOrg as { country?: unknown } | undefined;
  return {
    severity: SEVERITIES.includes(p.severity as Severity) ? (p.severity as Severity) : 'low',
    tlp: TLP_LABELS.includes(p.tlp as TlpLabel) ? (p.tlp as TlpLabel) : 'RED',
    classification:
      c && typeof c.taxonomy === 'string' && typeof c.type === 'string' ? { taxonomy: c.taxonomy, type: c.type } : null,
    indicatorTypes,
    sectors: strings(p.sectors),
    countries: strings(p.countries),
    sourceCountry: typeof source?.country === 'string' ? source.country : null,
  };
}

/** Facets kept per alert id, so follow-up events (updates, revocations, sightings) need no query. */
const FACET_CACHE = 10_000;

function chunkCount(e: LogEntry): { size: number; count: number } {
  const c = e.payload.indicatorChunks as { size?: unknown; count?: unknown } | undefined;
  const size = typeof c?.size === 'number' ? c.size : 0;
  const count = typeof c?.count === 'number' ? c.count : 1;
  return { size, count };
}

/**
 * Reads the publish log for delivery. The gateway tails it (`tail`) and replays it per subscriber
 * (`replayPage`); both decide visibility with the one policy, mayReceive.
 */
@Injectable()
export class AlertFeed {
  private readonly snapshots = new WeakMap<LogEntry, CoordinatedSnapshot | null>();
  private readonly facets = new Map<string, AlertFacets>();

  constructor(
    private readonly log: PublishLogRepository,
    private readonly alerts: AlertStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * What this subscriber is sent for an entry, or null: the one decision for live push and replay. An alert's
   * entry goes to those mayReceive allows, unless expired; a coordinated alert's version goes as its own view.
   */
  eventFor(e: LogEntry, s: Subscriber, now: Date): SocketEvent | null {
    if (e.event === 'coordinated') {
      // One entry is offered to every subscriber in turn: read its snapshot once.
      let snapshot = this.snapshots.get(e);
      if (snapshot === undefined) {
        snapshot = snapshotFromJson(e.payload);
        this.snapshots.set(e, snapshot);
      }
      const r = snapshot
        ? coordinatedEventFor(
            snapshot,
            { id: s.orgId, trustLevel: s.trustLevel },
            coordinationThresholds(this.config),
            { orgId: s.orgId, hubAdmin: s.hubAdmin === true },
          )
        : null;
      if (!r) {
        return null;
      }
      return r.name === 'coordinated-alert-withdrawn'
        ? { name: r.name, body: { seq: e.seq, coordinatedAlertId: r.id } }
        : { name: r.name, body: { seq: e.seq, coordinatedAlert: viewToJson(r.view) } };
    }
    if (isExpired(e, now) || !mayReceive(e, { id: s.orgId, trustLevel: s.trustLevel })) {
      return null;
    }
    return withSourceFor(toSocketEvent(e), e, { orgId: s.orgId, hubAdmin: s.hubAdmin === true });
  }

  /**
   * What each entry is about, for subscription filters: a coordinated alert, or an alert matched by its facets as
   * published (an update, revocation or sighting follows its alert's match). Null for an alert whose `alert`
   * entry is gone (matches no subscription). Keyed by seq.
   */
  async subjects(entries: readonly LogEntry[]): Promise<Map<number, DeliverySubject | null>> {
    const out = new Map<number, DeliverySubject | null>();
    const missing = new Set<string>();
    for (const e of entries) {
      if (e.event === 'alert') {
        const { count } = chunkCount(e);
        if (count <= 1 && !this.facets.has(e.alertId)) {
          const inline = (e.payload.indicators as { type?: unknown }[] | undefined) ?? [];
          this.remember(e.alertId, facetsFromPayload(e.payload, [...new Set(strings(inline.map((i) => i.type)))]));
        }
      }
      if (e.event !== 'coordinated' && !this.facets.has(e.alertId)) {
        missing.add(e.alertId);
      }
    }
    if (missing.size > 0) {
      const rows = await this.log.alertFacets([...missing]);
      for (const r of rows) {
        this.remember(r.alertId, facetsFromPayload(r.payload, r.types));
      }
    }
    for (const e of entries) {
      if (e.event === 'coordinated') {
        out.set(e.seq, { kind: 'coordinated' });
      } else {
        const f = this.facets.get(e.alertId);
        out.set(e.seq, f ? { kind: 'alert', facets: f } : null);
      }
    }
    return out;
  }

  private remember(alertId: string, f: AlertFacets): void {
    if (this.facets.size >= FACET_CACHE) {
      const oldest = this.facets.keys().next();
      if (!oldest.done) {
        this.facets.delete(oldest.value);
      }
    }
    this.facets.set(alertId, f);
  }

  head(): Promise<number> {
    return this.log.maxSeq();
  }

  tail(afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.log.readAfter(afterSeq, limit);
  }

  /**
   * The follow-up chunks of an entry (none for an alert whose indicators fit in its `alert` event), each as soon as
   * it is read, the next one being read meanwhile: a caller that sends each as it comes lets the recipient decode one
   * while the hub reads the next.
   */
  async *chunkStream(e: LogEntry): AsyncGenerator<AlertIndicatorsEvent> {
    const { size, count } = chunkCount(e);
    if (e.event !== 'alert' || count <= 1 || size <= 0) {
      return;
    }
    const first = (e.payload.indicators as unknown[] | undefined)?.length ?? 0;
    const read = (after: number) => {
      const p = this.alerts.indicators(e.alertId, after, size, undefined, true);
      p.catch(() => undefined); // awaited below, unless the caller stops early
      return p;
    };
    // Skip the inline chunk (found from the index alone), then read the rest chunk by chunk, one ahead.
    let next = read(first > 0 ? ((await this.alerts.acceptedPositionAt(e.alertId, first - 1)) ?? -1) : -1);
    for (let chunk = 1; chunk < count; chunk++) {
      const rows = await next;
      const last = rows[rows.length - 1];
      if (!last) {
        return;
      }
      if (chunk + 1 < count) {
        next = read(last.position);
      }
      yield { seq: e.seq, alertId: e.alertId, chunk, count, indicators: rows.map(toPushed) };
    }
  }

  /**
   * One page of replay for a subscriber: entries in (afterSeq, upTo], at most `limit` scanned. Returns the
   * events it is sent (with their entries) and the seq scanned up to, so the caller continues from there.
   */
  async replayPage(
    s: Subscriber,
    afterSeq: number,
    upTo: number,
    limit: number,
  ): Promise<{ events: { entry: LogEntry; event: SocketEvent }[]; scannedTo: number }> {
    const rows = await this.log.readCandidatesFor(s.orgId, afterSeq, upTo, limit);
    const last = rows[rows.length - 1];
    const now = new Date();
    return {
      events: rows.flatMap((entry) => {
        const event = this.eventFor(entry, s, now);
        return event ? [{ entry, event }] : [];
      }),
      scannedTo: rows.length < limit || !last ? upTo : last.seq,
    };
  }
}
