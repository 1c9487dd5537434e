import { Injectable } from '@nestjs/common';
import type { SourceViewer } from '@tocsin/domain';
import { NotFound } from '@tocsin/platform';
import { toAlertView, type AlertView } from './alert-view';
import type { Tx } from '@tocsin/db';
import {
  AlertRepository,
  applyPath,
  type AlertRecord,
  type GroupRead,
  type IndicatorRow,
  type NormalizedRow,
  type PathStep,
  type RevisableField,
} from './alert.repository';

export type { GroupRead, PathStep, RevisableField } from './alert.repository';

/** An alert as its caller locked it, and the path of transitions it takes in one statement (`transitionMany`). */
export interface AlertPath {
  readonly alert: AlertRecord;
  readonly steps: readonly PathStep[];
}

/**
 * The pipeline's named transitions as path steps (what each writes besides the stage): the single-step methods of
 * AlertStore and the paths written in one statement (`transitionMany`) build them here, so both write the same.
 */
export const alertSteps = {
  /** queued → normalized, with what normalization counted. */
  markNormalized: (counts: { indicatorCount: number; rejectedCount: number; warningCount: number }): PathStep => ({
    name: 'markNormalized',
    fields: counts,
  }),
  /** normalized → approved; `reason`: null, or why corroboration let it through. */
  approve: (reason: string | null): PathStep => ({ name: 'approve', fields: { statusReason: reason } }),
  /** normalized → pending_review, saying why. */
  holdForReview: (reason: string): PathStep => ({ name: 'holdForReview', fields: { statusReason: reason } }),
  /** approved or approved_in_review → published, at this seq; `a`: the alert as it stands before publishing. */
  publish: (a: AlertRecord, p: { seq: number; at: Date }): PathStep => ({
    name: 'publish',
    fields: {
      // A held alert's reason ("needs review") is done with; a release by corroboration keeps saying so.
      statusReason: a.status === 'pending_review' ? null : a.statusReason,
      publishedSeq: String(p.seq),
      publishedAt: p.at,
    },
  }),
  /** published → correlated. */
  markCorrelated: (at: Date): PathStep => ({ name: 'markCorrelated', fields: { correlatedAt: at } }),
};

/** Who reviewed an alert, and why. */
export interface ReviewBy {
  readonly reason: string;
  readonly byOrgId: string;
  readonly byKeyId: string;
}

/**
 * What the pipeline contexts (normalization, vetting, delivery) may do to an alert, inside their own
 * transactions: named lifecycle transitions and narrow setters, never a patch of any field. The repository itself
 * stays private to this context.
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

  /**
   * Runs `fn` in a transaction that opens (BEGIN in the same round trip) by locking a one-hop group's rows (as
   * `lockMany`), each read with its submitter's org and, when it is `queued` with at most `maxIndicators`, its raw
   * indicators: one statement. `outboxDone`: the outbox rows of jobs the api dispatched itself, deleted in the same
   * round trip (they commit, or roll back, with the group's work).
   */
  inGroupTransaction<T>(
    ids: readonly string[],
    maxIndicators: number,
    outboxDone: readonly string[],
    fn: (read: GroupRead[], tx: Tx) => Promise<T>,
  ): Promise<T> {
    return this.alerts.inGroupTransaction(ids, maxIndicators, outboxDone, fn);
  }

  // The lifecycle (ALERT_LIFECYCLE in libs/domain): one method per transition. Each takes the alert as the caller
  // locked it (`lock`), refuses a move the lifecycle does not allow from there, or a row that has moved since, with
  // IllegalTransition (nothing written), and returns the alert as it now is (`updatedAt` aside), so one
  // transaction can chain transitions (markNormalized → approve → publish).

  /** queued → normalized, with what normalization counted. */
  markNormalized(
    a: AlertRecord,
    counts: { indicatorCount: number; rejectedCount: number; warningCount: number },
    tx: Tx,
  ): Promise<AlertRecord> {
    const s = alertSteps.markNormalized(counts);
    return this.alerts.transition(a, s.name, s.fields, tx);
  }

  /** normalized → approved (publishing is due): trusted enough, or corroborated (`reason` says so; null: none). */
  approve(a: AlertRecord, reason: string | null, tx: Tx): Promise<AlertRecord> {
    const s = alertSteps.approve(reason);
    return this.alerts.transition(a, s.name, s.fields, tx);
  }

  /** normalized → pending_review, saying why. */
  holdForReview(a: AlertRecord, reason: string, tx: Tx): Promise<AlertRecord> {
    const s = alertSteps.holdForReview(reason);
    return this.alerts.transition(a, s.name, s.fields, tx);
  }

  /** pending_review → approved: corroboration arriving later releases a held alert (`reason` says so). */
  release(a: AlertRecord, reason: string, tx: Tx): Promise<AlertRecord> {
    return this.alerts.transition(a, 'release', { statusReason: reason }, tx);
  }

  /** pending_review → approved_in_review: a reviewer approves it (publishing is due). */
  approveInReview(a: AlertRecord, r: ReviewBy, tx: Tx): Promise<AlertRecord> {
    return this.alerts.transition(a, 'approveInReview', { review: { decision: 'approve', at: new Date(), ...r } }, tx);
  }

  /** pending_review → rejected: a reviewer refuses it; the reason is shown to the submitter. */
  reject(a: AlertRecord, r: ReviewBy, tx: Tx): Promise<AlertRecord> {
    return this.alerts.transition(
      a,
      'reject',
      { statusReason: `rejected in review: ${r.reason}`, review: { decision: 'reject', at: new Date(), ...r } },
      tx,
    );
  }

  /** approved or approved_in_review → published, at this publish-log seq. */
  publish(a: AlertRecord, p: { seq: number; at: Date }, tx: Tx): Promise<AlertRecord> {
    const s = alertSteps.publish(a, p);
    return this.alerts.transition(a, s.name, s.fields, tx);
  }

  /** published → correlated (in the caller's transaction; see also `markCorrelated`). */
  recordCorrelation(a: AlertRecord, at: Date, tx: Tx): Promise<AlertRecord> {
    const s = alertSteps.markCorrelated(at);
    return this.alerts.transition(a, s.name, s.fields, tx);
  }

  /**
   * Several locked alerts, each along its own path of the steps above (`alertSteps`), in ONE statement: each path
   * checked step by step against the lifecycle first (IllegalTransition, nothing written), each row guarded by the
   * stage it was locked in (fewer rows updated than paths: IllegalTransition, the transaction rolls back).
   */
  transitionMany(paths: readonly AlertPath[], tx: Tx): Promise<AlertRecord[]> {
    return this.alerts.transitionMany(paths, tx);
  }

  /**
   * transitionMany, and in the same statement an append to the publish log (`append`: its INSERT, placeholders from
   * `$first`), whose seqs become the appended alerts' `published_seq` (their publish steps carry a placeholder seq).
   */
  transitionManyPublishing(
    paths: readonly AlertPath[],
    tx: Tx,
    append: (first: number) => { sql: string; params: unknown[] },
  ): Promise<{ next: AlertRecord[]; logged: Map<string, { seq: number; publishedAt: Date }> }> {
    return this.alerts.transitionManyPublishing(paths, tx, append);
  }

  /** The alert as `steps` would leave it, checked against the lifecycle, without writing (IllegalTransition). */
  preview(a: AlertRecord, steps: readonly PathStep[]): AlertRecord {
    return applyPath(a, steps);
  }

  /**
   * A new revision of a published alert's context (its submitter's change, or a confidence raised by corroboration);
   * it stays where it is. Use AlertRevisions, which also tells its recipients.
   */
  revise(
    a: AlertRecord,
    change: Partial<Pick<AlertRecord, RevisableField>> & Pick<AlertRecord, 'revision'>,
    tx: Tx,
  ): Promise<AlertRecord> {
    return this.alerts.transition(a, 'revise', change, tx);
  }

  /** Any stage that is not final → revoked, by its submitter, with a reason. */
  revoke(a: AlertRecord, r: { reason: string; at: Date }, tx: Tx): Promise<AlertRecord> {
    return this.alerts.transition(
      a,
      'revoke',
      { statusReason: `revoked: ${r.reason}`, revokedAt: r.at, revokeReason: r.reason },
      tx,
    );
  }

  /** Confidence moved by corroboration: no transition governs it. */
  setConfidence(id: string, confidence: number | null, tx: Tx): Promise<void> {
    return this.alerts.setConfidence(id, confidence, tx);
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
      /** The alert's feedback counts and the confidence they moved (no transition governs them). */
      setCounts: (
        id: string,
        counts: { sightings: number; falsePositives: number },
        confidence: number | null,
        tx: Tx,
      ) => r.setFeedbackCounts(id, counts, confidence, tx),
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

  applyNormalization(id: string, rows: readonly NormalizedRow[], mergedAway: readonly number[], tx: Tx): Promise<void> {
    return this.alerts.applyNormalization(id, rows, mergedAway, tx);
  }

  /** applyNormalization for several small alerts (a one-hop group), in one statement. */
  applyNormalizationMany(
    items: readonly { alertId: string; rows: readonly NormalizedRow[]; mergedAway: readonly number[] }[],
    tx: Tx,
    locks: readonly number[] = [],
  ): Promise<void> {
    return this.alerts.applyNormalizationMany(items, tx, locks);
  }
}
