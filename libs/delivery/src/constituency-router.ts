import { Inject, Injectable } from '@nestjs/common';
import { AlertStore } from '@tocsin/alerts';
import {
  buildConstituencyIndex,
  matchConstituency,
  mayReceive,
  type ConstituencyHit,
  type ConstituencyIndex,
  type ConstituencyMatch,
  type MatchableIndicator,
} from '@tocsin/domain';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { isExpired, type SocketEvent, type Subscriber } from './alert-feed';
import type { RecipientEventSource } from './recipient-events';
import { ConstituencyRepository } from './constituency.repository';
import type { LogEntry } from '@tocsin/db';

/** The `constituency-hit` event: which of an alert's indicators (and targeted countries) fall into the org's constituency. */
export interface ConstituencyHitEvent {
  readonly seq: number;
  readonly alertId: string;
  /** The alert's targeted countries that are the constituency's. */
  readonly countries: readonly string[];
  /** The matching indicators, in the alert's order, each with what it matched; at most the configured number. */
  readonly indicators: readonly ConstituencyMatch[];
  /** How many indicators matched in all; more than `indicators.length` when the list was cut. */
  readonly matchCount: number;
}

const countriesOf = (e: LogEntry): string[] =>
  Array.isArray(e.payload.countries) ? e.payload.countries.filter((c): c is string => typeof c === 'string') : [];

/** Accepted indicators read per query when an alert's indicators did not all travel in its `alert` event. */
const READ_BATCH = 10_000;

/**
 * Constituency routing for delivery: for a published alert's log entry, the `constituency-hit` event of each
 * subscriber org whose constituency it touches, decided with the one policy (mayReceive) first, so an org that may
 * not see the alert is never even matched. Nothing is stored: live push and replay compute the same answer from
 * the log entry and the constituency's current version. Each process keeps one matcher index per org, rebuilt
 * when the org's `version` in PostgreSQL moves, so several gateways need no shared state.
 */
@Injectable()
export class ConstituencyRouter implements RecipientEventSource {
  private readonly indexes = new Map<string, { version: number; index: ConstituencyIndex }>();

  constructor(
    private readonly constituencies: ConstituencyRepository,
    private readonly alerts: AlertStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The delivery engine's extra events: a batch's `constituency-hit`s (see hitsByEntry), sent after the alert. */
  async prepare(
    entries: readonly LogEntry[],
    recipients: readonly Subscriber[],
    now: Date,
  ): Promise<(entry: LogEntry, recipient: Subscriber) => readonly SocketEvent[]> {
    const bySeq = await this.hitsByEntry(entries, recipients, now);
    return (entry, recipient) => {
      const hit = bySeq.get(entry.seq)?.get(recipient.orgId);
      return hit ? [{ name: 'constituency-hit', body: { ...hit } }] : [];
    };
  }

  /** The hit event for each of these subscribers' orgs that may see the entry and whose constituency it touches. */
  async hitsFor(
    e: LogEntry,
    subscribers: readonly Subscriber[],
    now: Date,
  ): Promise<Map<string, ConstituencyHitEvent>> {
    return (await this.hitsByEntry([e], subscribers, now)).get(e.seq) ?? new Map();
  }

  /** Replay's form: the hit events of one subscriber over a page of entries, by seq. */
  async hitsForSubscriber(
    entries: readonly LogEntry[],
    s: Subscriber,
    now: Date,
  ): Promise<Map<number, ConstituencyHitEvent>> {
    const out = new Map<number, ConstituencyHitEvent>();
    for (const [seq, hits] of await this.hitsByEntry(entries, [s], now)) {
      const hit = hits.get(s.orgId);
      if (hit) {
        out.set(seq, hit);
      }
    }
    return out;
  }

  /**
   * The one decision, for a batch (a tail batch for every org with a socket here, a replay page for one, or one
   * entry): alert entries not expired, each matched only against the orgs that may see it (mayReceive, before any
   * matching), with one constituency look-up for the whole batch. By seq, then by org.
   */
  private async hitsByEntry(
    entries: readonly LogEntry[],
    recipients: readonly Subscriber[],
    now: Date,
  ): Promise<Map<number, Map<string, ConstituencyHitEvent>>> {
    const bySeq = new Map<number, Map<string, ConstituencyHitEvent>>();
    const routable = entries.filter((e) => e.event === 'alert' && !isExpired(e, now));
    const mayGet = (e: LogEntry) =>
      recipients.filter((r) => mayReceive(e, { id: r.orgId, trustLevel: r.trustLevel })).map((r) => r.orgId);
    const orgIds = new Set(routable.flatMap(mayGet));
    const indexes = await this.current([...orgIds]);
    for (const e of indexes.size > 0 ? routable : []) {
      const orgs = new Set(mayGet(e).filter((id) => indexes.has(id)));
      if (orgs.size === 0) {
        continue;
      }
      const alert = { countries: countriesOf(e), indicators: await this.indicatorsOf(e) };
      const hits = new Map<string, ConstituencyHitEvent>();
      for (const orgId of orgs) {
        const hit = matchConstituency(indexes.get(orgId)!, alert);
        if (hit) {
          hits.set(orgId, this.toEvent(e, hit));
        }
      }
      if (hits.size > 0) {
        bySeq.set(e.seq, hits);
      }
    }
    return bySeq;
  }

  private toEvent(e: LogEntry, hit: ConstituencyHit): ConstituencyHitEvent {
    const max = this.config.TOCSIN_CONSTITUENCY_HIT_MAX_INDICATORS;
    return {
      seq: e.seq,
      alertId: e.alertId,
      countries: hit.countries,
      indicators: hit.indicators.length > max ? hit.indicators.slice(0, max) : hit.indicators,
      matchCount: hit.indicators.length,
    };
  }

  /** The current, non-empty matcher index of each of these orgs, rebuilt for those whose version moved. */
  private async current(orgIds: readonly string[]): Promise<Map<string, ConstituencyIndex>> {
    const out = new Map<string, ConstituencyIndex>();
    if (orgIds.length === 0) {
      return out;
    }
    const versions = await this.constituencies.versions(orgIds);
    for (const orgId of orgIds) {
      const version = versions.get(orgId);
      if (version === undefined) {
        this.indexes.delete(orgId);
        continue;
      }
      let cached = this.indexes.get(orgId);
      if (!cached || cached.version !== version) {
        const c = await this.constituencies.findForOrg(orgId);
        if (!c) {
          this.indexes.delete(orgId);
          continue;
        }
        cached = { version: c.version, index: buildConstituencyIndex(c) };
        this.indexes.set(orgId, cached);
      }
      if (!cached.index.empty) {
        out.set(orgId, cached.index);
      }
    }
    return out;
  }

  /** Every accepted indicator of the entry's alert: from the entry when all travelled inline, else from PostgreSQL. */
  private async indicatorsOf(e: LogEntry): Promise<MatchableIndicator[]> {
    const inline = Array.isArray(e.payload.indicators) ? (e.payload.indicators as MatchableIndicator[]) : [];
    const chunks = e.payload.indicatorChunks as { count?: unknown } | undefined;
    if (typeof chunks?.count !== 'number' || chunks.count <= 1) {
      return inline;
    }
    const out: MatchableIndicator[] = [];
    let after = -1;
    for (;;) {
      const rows = await this.alerts.indicators(e.alertId, after, READ_BATCH, undefined, true);
      for (const r of rows) {
        out.push({ type: r.type ?? 'unknown', value: r.canonicalValue ?? '' });
      }
      if (rows.length < READ_BATCH) {
        return out;
      }
      after = rows[rows.length - 1]!.position;
    }
  }
}
