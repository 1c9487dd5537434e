import { Injectable } from '@nestjs/common';
import type { SourceViewer } from '@tocsin/domain';
import { NotFound } from '@tocsin/platform';
import { toAlertView, type AlertView } from './alert-view';
import type { Tx } from '@tocsin/db';
import { AlertRepository, type AlertRecord, type IndicatorRow, type NormalizedRow } from './alert.repository';

/**
 * What the pipeline contexts (normalization, vetting, delivery) may do to an alert, inside their own
 * transactions. The repository itself stays private to this context.
 */
@Injectable()
export class AlertStore {
  constructor(private readonly alerts: AlertRepository) {}

  lock(id: string, tx: Tx): Promise<AlertRecord | null> {
    return this.alerts.lockById(id, tx);
  }

  /** Several alerts locked at once, in id order (missing ones are left out). */
  lockMany(ids: readonly string[], tx: Tx): Promise<AlertRecord[]> {
    return this.alerts.lockManyById(ids, tx);
  }

  update(id: string, patch: Parameters<AlertRepository['update']>[1], tx: Tx): Promise<void> {
    return this.alerts.update(id, patch, tx);
  }

  indicators(id: string, afterPosition: number, limit: number, tx?: Tx, acceptedOnly = false): Promise<IndicatorRow[]> {
    return this.alerts.findIndicators(id, afterPosition, limit, tx, acceptedOnly);
  }

  /** Every indicator of several small alerts, read at once (a one-hop group). */
  allIndicatorsOf(ids: readonly string[], tx: Tx): Promise<Map<string, IndicatorRow[]>> {
    return this.alerts.findAllIndicatorsOf(ids, tx);
  }

  /** Feedback (sightings, false positives): the repository's methods, within the caller's transaction. */
  get feedback() {
    const r = this.alerts;
    return {
      position: (id: string, type: string, canonical: string, tx?: Tx) =>
        r.findIndicatorPosition(id, type, canonical, tx),
      insert: (f: Parameters<AlertRepository['insertFeedback']>[0], tx: Tx) => r.insertFeedback(f, tx),
      count: (id: string, tx: Tx) => r.countFeedback(id, tx),
      trustedFalsePositiveOrgs: (id: string, position: number, minTrust: number, tx: Tx) =>
        r.trustedFalsePositiveOrgs(id, position, minTrust, tx),
      flag: (id: string, position: number, flag: string, tx: Tx) => r.addIndicatorFlag(id, position, flag, tx),
    };
  }

  /** Marks a published, not yet correlated alert correlated; false when it is not one (or, if `unlinkedOnly`, has links). */
  markCorrelated(id: string, unlinkedOnly = false, tx?: Tx): Promise<boolean> {
    return this.alerts.markCorrelated(id, unlinkedOnly, tx);
  }

  refreshStatistics(): Promise<void> {
    return this.alerts.analyzeIndicators();
  }

  acceptedPositionAt(id: string, n: number): Promise<number | null> {
    return this.alerts.acceptedPositionAt(id, n);
  }

  findPending(excludeOrgId: string, after: { at: Date; id: string } | null, limit: number): Promise<AlertRecord[]> {
    return this.alerts.findPending(excludeOrgId, after, limit);
  }

  /** The alert as the REST API shows it to this org, read after a change (404 if it is gone). */
  async view(id: string, viewer: string | SourceViewer): Promise<AlertView> {
    const a = await this.alerts.findForViewer(id);
    if (!a) {
      throw new NotFound('alert');
    }
    return toAlertView(a, viewer);
  }

  findForViewer(id: string): Promise<AlertRecord | null> {
    return this.alerts.findForViewer(id);
  }

  recordReview(id: string, r: Parameters<AlertRepository['recordReview']>[1], tx: Tx): Promise<void> {
    return this.alerts.recordReview(id, r, tx);
  }

  applyNormalization(id: string, rows: readonly NormalizedRow[], mergedAway: readonly number[], tx: Tx): Promise<void> {
    return this.alerts.applyNormalization(id, rows, mergedAway, tx);
  }
}
