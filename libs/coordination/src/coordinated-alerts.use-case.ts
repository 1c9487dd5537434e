import { Inject, Injectable } from '@nestjs/common';
import { reviewerMinTrust } from '@tocsin/alerts';
import { Db } from '@tocsin/db';
import {
  currentCoordinatedView,
  isReviewer,
  mayPerform,
  parseRevocation,
  partsAt,
  sourceViewerOf,
  type Actor,
  type CoordinatedSnapshot,
} from '@tocsin/domain';
import {
  APP_CONFIG,
  type AppConfig,
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  SocketBroadcaster,
} from '@tocsin/platform';
import { CoordinatedAlertRepository, type CoordinatedRow } from './coordinated-alert.repository';
import { coordinationThresholds, snapshotFromJson, viewToJson } from './coordinated-snapshot';
import { CoordinatedVersions } from './coordinated-versions';

export type CoordinatedAlertView = ReturnType<typeof viewToJson>;

/** How many stored coordinated alerts one list request looks at, at most, to fill its page. */
const MAX_SCAN = 5_000;
const SCAN_BATCH = 200;
const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)_([0-9a-f-]{36})$/;

/**
 * GET /api/v1/coordinated-alerts(/:id) and POST /api/v1/coordinated-alerts/:id/close. Every answer is the
 * caller's own view (buildCoordinatedView): a coordinated alert it may not see is absent from lists and a 404 by
 * id, exactly like one that does not exist.
 */
@Injectable()
export class CoordinatedAlertsUseCase {
  constructor(
    private readonly db: Db,
    private readonly coordinated: CoordinatedAlertRepository,
    private readonly versions: CoordinatedVersions,
    private readonly sockets: SocketBroadcaster,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private viewOf(row: CoordinatedRow, actor: Actor): CoordinatedAlertView | null {
    const snapshot = snapshotFromJson(row.snapshot);
    const view = snapshot
      ? currentCoordinatedView(
          snapshot,
          { id: actor.orgId, trustLevel: actor.trustLevel },
          coordinationThresholds(this.config),
          sourceViewerOf(actor),
        )
      : null;
    return view ? viewToJson(view) : null;
  }

  async get(actor: Actor, id: string): Promise<CoordinatedAlertView> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const row = await this.coordinated.find(id);
    const view = row ? this.viewOf(row, actor) : null;
    if (!view) {
      throw new NotFound('coordinated-alert');
    }
    return view;
  }

  /**
   * Newest first (by last report). The cursor names the last item returned, never a hidden one; a page may come
   * back short when many coordinated alerts in a row are hidden from the caller (at most MAX_SCAN are looked at).
   */
  async list(
    actor: Actor,
    q: { status: string | null; limit: number; cursor: string | null },
  ): Promise<{ items: CoordinatedAlertView[]; nextCursor: string | null }> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    if (q.status !== null && q.status !== 'active' && q.status !== 'closed') {
      throw new Invalid([{ pointer: '?status', detail: 'must be active or closed' }], 'invalid-query');
    }
    let before: { lastReport: Date; id: string } | null = null;
    if (q.cursor !== null) {
      const m = CURSOR.exec(q.cursor);
      if (!m) {
        throw new Invalid([{ pointer: '?cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
      }
      before = { lastReport: new Date(m[1]!), id: m[2]! };
    }
    const items: CoordinatedAlertView[] = [];
    let last: CoordinatedRow | null = null;
    let scanned = 0;
    let exhausted = false;
    while (items.length < q.limit && scanned < MAX_SCAN) {
      const rows = await this.coordinated.page(q.status, before, SCAN_BATCH);
      for (const row of rows) {
        scanned++;
        before = { lastReport: row.lastReport, id: row.id };
        const view = this.viewOf(row, actor);
        if (view) {
          items.push(view);
          last = row;
          if (items.length === q.limit) {
            break;
          }
        }
      }
      if (rows.length < SCAN_BATCH) {
        exhausted = items.length < q.limit || rows[rows.length - 1]?.id === last?.id;
        break;
      }
    }
    // More may follow when the page filled up, or when the scan stopped at its bound before the end.
    const more = !exhausted && last !== null && (items.length === q.limit || scanned >= MAX_SCAN);
    return { items, nextCursor: more && last ? `${last.lastReport.toISOString()}_${last.id}` : null };
  }

  /**
   * Of these reports, those that are or were part of a coordinated alert the caller has a view of now (its TAXII
   * coordinated collection). Whether the caller may see each report itself is the caller's own decision (mayReceive).
   */
  async reportsInView(actor: Actor, alertIds: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(alertIds);
    const out = new Set<string>();
    for (const row of await this.coordinated.findAnyHolding(alertIds)) {
      const snapshot = this.viewOf(row, actor) ? snapshotFromJson(row.snapshot) : null;
      for (const p of snapshot?.parts ?? []) {
        if (wanted.has(p.alertId)) {
          out.add(p.alertId);
        }
      }
    }
    return out;
  }

  /**
   * Closes a coordinated alert (`{reason}`): the hub's admins, or reviewers (vetters of the hub or of a trust-4
   * organisation), and only one they may see. Recipients who have it get `coordinated-alert-updated`.
   */
  async close(actor: Actor, id: string, body: unknown): Promise<CoordinatedAlertView> {
    const input = parseRevocation(body);
    const mayClose = (actor.orgIsHub && actor.role === 'admin') || isReviewer(actor, reviewerMinTrust(this.config));
    const seq = await this.db.transaction(async (tx) => {
      const row = await this.coordinated.find(id, tx, true);
      if (!row || !this.viewOf(row, actor)) {
        throw new NotFound('coordinated-alert');
      }
      if (!mayClose) {
        throw new Forbidden('only the hub’s admins and reviewers close coordinated alerts');
      }
      if (!input.ok) {
        throw new Invalid(input.error);
      }
      if (row.status === 'closed') {
        throw new Conflict('already-closed', 'this coordinated alert is already closed');
      }
      const before = snapshotFromJson(row.snapshot);
      if (!before) {
        throw new Conflict('unreadable', 'this coordinated alert cannot be read; see the hub’s logs');
      }
      const snapshot: CoordinatedSnapshot = {
        ...before,
        version: row.version + 1,
        status: 'closed',
        previousStatus: before.status,
      };
      const trigger = partsAt(before, before.version)[0] ?? before.parts[0];
      if (!trigger) {
        throw new Conflict('unreadable', 'this coordinated alert cannot be read; see the hub’s logs');
      }
      return this.versions.record(snapshot, trigger, tx, { reason: input.value.reason, at: new Date() });
    });
    this.sockets.published(String(seq));
    return this.get(actor, id);
  }
}
