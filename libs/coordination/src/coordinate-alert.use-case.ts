import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertStore } from '@tocsin/alerts';
import { AlertLinkRepository } from './alert-link.repository';
import { Db, type Tx } from '@tocsin/db';
import { detectCoordination, type CoordinatedSnapshot, type SnapshotPart } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, SocketBroadcaster } from '@tocsin/platform';
import type { AlertJobPayload } from '@tocsin/queues';
import { CoordinatedAlertRepository } from './coordinated-alert.repository';
import { coordinationThresholds, snapshotFromJson } from './coordinated-snapshot';
import { CoordinatedVersions } from './coordinated-versions';

/**
 * How many of a link's shared keys the snapshot carries for it (the first, sorted). Both ends of a link get the same
 * keys, so every link still connects its two reports in each recipient's view, however many links a report has;
 * the snapshot stays bounded (reports × links × this).
 */
export const SNAPSHOT_KEYS_PER_LINK = 50;

export type CoordinateOutcome = 'created' | 'joined' | 'none' | 'skipped';

/**
 * After an alert is published: does it make, or join, a coordinated alert?
 *
 * The alert's links (made at vetting) are walked to its connected component among PUBLISHED reports within the
 * window, at most TOCSIN_COORDINATION_MAX_PARTS of them; each report's keys are those its links share. When that
 * component holds reports of an active coordinated alert, the new reports join it (a new version); otherwise
 * `detectCoordination` decides whether the component is one (≥ N orgs, ≥ M countries). Each new version goes to
 * the publish log as one `coordinated` entry carrying the whole snapshot; the gateways turn it into each
 * recipient's own event. Serialized hub-wide with linking (CORRELATION_LOCK); idempotent by `correlated_at`.
 */
@Injectable()
export class CoordinateAlertUseCase {
  private readonly log = new Logger(CoordinateAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly links: AlertLinkRepository,
    private readonly coordinated: CoordinatedAlertRepository,
    private readonly versions: CoordinatedVersions,
    private readonly sockets: SocketBroadcaster,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(job: AlertJobPayload): Promise<CoordinateOutcome> {
    // Most reports link to nothing published: say so without the hub-wide lock. A link made after this check is
    // found by the other report's own run, when it is published.
    const since = new Date(Date.now() - coordinationThresholds(this.config).windowMs);
    if (!(await this.links.hasPublishedLinks(job.alertId, since))) {
      return (await this.alerts.markCorrelated(job.alertId)) ? 'none' : 'skipped';
    }
    const result = await this.db.transaction(async (tx) => {
      await this.coordinated.lock(tx);
      const a = await this.alerts.lock(job.alertId, tx);
      if (!a || a.status !== 'published' || a.correlatedAt !== null) {
        return { outcome: 'skipped' as const, seq: null };
      }
      const now = new Date();
      const outcome = await this.coordinate(a.id, now, tx);
      await this.alerts.recordCorrelation(a, now, tx);
      return outcome;
    });
    if (result.seq !== null) {
      this.sockets.published(String(result.seq));
      this.log.log({ alertId: job.alertId, seq: result.seq, outcome: result.outcome }, 'coordinated alert');
    }
    return result.outcome;
  }

  private async coordinate(
    alertId: string,
    now: Date,
    tx: Tx,
  ): Promise<{ outcome: Exclude<CoordinateOutcome, 'skipped'>; seq: number | null }> {
    const thresholds = coordinationThresholds(this.config);
    const since = new Date(now.getTime() - thresholds.windowMs);
    const keysById = await this.component(alertId, since, tx);
    if (keysById.size < 2) {
      return { outcome: 'none', seq: null };
    }
    const parts = (await this.links.reportParts([...keysById.keys()], tx))
      .filter((p) => p.status === 'published')
      .map((p): SnapshotPart => ({
        alertId: p.alertId,
        orgId: p.sourceOrgId,
        sourceOrgId: p.sourceOrgId,
        ...(p.attribution === 'anonymous' ? { attribution: 'anonymous' as const } : {}),
        country: p.country,
        trustLevel: p.trustLevel,
        tlp: p.tlp,
        recipients: p.recipients,
        reportedAt: p.submittedAt,
        indicatorKeys: [...(keysById.get(p.alertId) ?? [])].sort(),
        cves: [],
        joinedVersion: 1,
      }));
    const newPart = parts.find((p) => p.alertId === alertId);
    if (!newPart) {
      return { outcome: 'none', seq: null };
    }

    const existing = await this.coordinated.findActiveHolding(
      parts.map((p) => p.alertId),
      tx,
    );
    if (existing) {
      const before = snapshotFromJson(existing.snapshot);
      if (!before) {
        this.log.error({ coordinatedAlertId: existing.id }, 'stored coordinated alert unreadable; not joining');
        return { outcome: 'none', seq: null };
      }
      const known = new Map(before.parts.map((p) => [p.alertId, p]));
      const version = existing.version + 1;
      const joining = parts.filter((p) => !known.has(p.alertId)).map((p) => ({ ...p, joinedVersion: version }));
      if (joining.length === 0) {
        return { outcome: 'none', seq: null };
      }
      // Reports already in it keep their version; the keys they now share with the newcomers are added.
      const kept = before.parts.map((p) => {
        const fresh = keysById.get(p.alertId);
        return fresh ? { ...p, indicatorKeys: [...new Set([...p.indicatorKeys, ...fresh])].sort() } : p;
      });
      const snapshot: CoordinatedSnapshot = {
        id: existing.id,
        version,
        status: 'active',
        previousStatus: 'active',
        parts: [...kept, ...joining],
      };
      await this.coordinated.addParts(
        existing.id,
        joining.map((p) => p.alertId),
        version,
        tx,
      );
      const seq = await this.versions.record(snapshot, newPart, tx);
      return { outcome: 'joined', seq };
    }

    const found = detectCoordination(newPart, parts, thresholds, Infinity, now);
    if (!found) {
      return { outcome: 'none', seq: null };
    }
    const members = new Set(found.partIds);
    const group = parts.filter((p) => members.has(p.alertId));
    const id = await this.coordinated.create(found.partIds, tx);
    const seq = await this.versions.record(
      { id, version: 1, status: 'active', previousStatus: 'active', parts: group },
      newPart,
      tx,
    );
    return { outcome: 'created', seq };
  }

  /**
   * The alert's connected component through links to published reports within the window, breadth first, at most
   * TOCSIN_COORDINATION_MAX_PARTS reports; for each report, the keys its links in the component share.
   */
  private async component(alertId: string, since: Date, tx: Tx): Promise<Map<string, Set<string>>> {
    const max = this.config.TOCSIN_COORDINATION_MAX_PARTS;
    const keys = new Map<string, Set<string>>([[alertId, new Set()]]);
    let frontier = [alertId];
    while (frontier.length > 0 && keys.size < max) {
      const edges = await this.links.publishedEdges(frontier, since, max * 4, tx);
      const next: string[] = [];
      for (const e of edges) {
        if (!keys.has(e.linkedAlertId)) {
          if (keys.size >= max) {
            continue;
          }
          keys.set(e.linkedAlertId, new Set());
          next.push(e.linkedAlertId);
        }
        for (const k of e.sharedKeys.slice(0, SNAPSHOT_KEYS_PER_LINK)) {
          keys.get(e.alertId)?.add(k);
          keys.get(e.linkedAlertId)?.add(k);
        }
      }
      frontier = next;
    }
    return keys;
  }
}
