import { err, ok, type Result } from '../shared/result';
import type { AlertStatus } from './alert-status';

/**
 * An alert's life, as data: its stages, the named transitions between them, and the job that moves each stage on.
 *
 * A stage is what the row stores: its `status`, plus the two facts that decide which job is due: `approved` (set by
 * vetting, a corroboration release or a reviewer: publishing requires it) and whether correlation has run after
 * publication (`correlatedAt`). A stage that leaves one of them unset (`undefined`) matches either value.
 * docs/model.md ("Alert lifecycle") draws the same table.
 */
export interface StageShape {
  readonly status: AlertStatus;
  readonly approved?: boolean;
  readonly correlated?: boolean;
}

/** The job (a queue job name) that moves an alert on from a stage; `null`: nothing is due, the stage waits or is final. */
export type LifecycleJob =
  'alert.process' | 'alert.normalize' | 'alert.vet' | 'alert.publish' | 'alert.correlate' | 'alert.withdraw';

export interface StageSpec extends StageShape {
  readonly job: LifecycleJob | null;
  /**
   * The job is due only while this also holds, which the row alone does not say: `in-coordinated-alert`, the alert
   * is still a part of a coordinated alert it has not left.
   */
  readonly while?: 'in-coordinated-alert';
  /** No transition leaves it. */
  readonly final: boolean;
}

const STAGES = {
  /** Accepted and committed with its raw indicators; normalization is due. */
  queued: { status: 'queued', job: 'alert.normalize', final: false },
  /** Normalized; vetting is due. */
  normalized: { status: 'normalized', approved: false, job: 'alert.vet', final: false },
  /** Let through by vetting (trust, or corroboration, including a release from review); publishing is due. */
  approved: { status: 'normalized', approved: true, job: 'alert.publish', final: false },
  /** Held for a reviewer (or for corroboration to release it): no job is due. */
  pending_review: { status: 'pending_review', approved: false, job: null, final: false },
  /** Approved by a reviewer; publishing is due. */
  approved_in_review: { status: 'pending_review', approved: true, job: 'alert.publish', final: false },
  /** In the publish log (it has its seq); correlation (corroboration, coordinated alerts) is due. */
  published: { status: 'published', correlated: false, job: 'alert.correlate', final: false },
  /** Published and correlated: nothing more is due. */
  correlated: { status: 'published', correlated: true, job: null, final: false },
  /** Refused in review, with the reviewer's reason. */
  rejected: { status: 'rejected', job: null, final: true },
  /** Withdrawn by its submitter; while it is still part of a coordinated alert, it must leave it. */
  revoked: { status: 'revoked', job: 'alert.withdraw', while: 'in-coordinated-alert', final: true },
} as const satisfies Record<string, StageSpec>;

export type AlertStage = keyof typeof STAGES;

/** Each named transition, as its (from → to) moves; a stage not listed as a `from` refuses it. */
const TRANSITIONS = {
  /** Normalization wrote every indicator back (NormalizeAlertUseCase). */
  markNormalized: [['queued', 'normalized']],
  /** Vetting lets it through: trusted enough, or corroborated (VetAlertUseCase). */
  approve: [['normalized', 'approved']],
  /** Vetting holds it for a reviewer (VetAlertUseCase). */
  holdForReview: [['normalized', 'pending_review']],
  /** Corroboration arriving later releases a held alert (CorroborateLinkedUseCase): back to approved, unreviewed. */
  release: [['pending_review', 'approved']],
  /** A reviewer approves it (ReviewAlertUseCase). */
  approveInReview: [['pending_review', 'approved_in_review']],
  /** A reviewer rejects it (ReviewAlertUseCase). */
  reject: [['pending_review', 'rejected']],
  /** It joins the publish log (PublishAlertUseCase). */
  publish: [
    ['approved', 'published'],
    ['approved_in_review', 'published'],
  ],
  /** Correlation ran after publication (CoordinateAlertUseCase). */
  markCorrelated: [['published', 'correlated']],
  /** A new revision of a published alert's context; its stage stays (UpdateAlertUseCase). */
  revise: [
    ['published', 'published'],
    ['correlated', 'correlated'],
  ],
  /** Its submitter withdraws it, from any stage that is not final (RevokeAlertUseCase). */
  revoke: [
    ['queued', 'revoked'],
    ['normalized', 'revoked'],
    ['approved', 'revoked'],
    ['pending_review', 'revoked'],
    ['approved_in_review', 'revoked'],
    ['published', 'revoked'],
    ['correlated', 'revoked'],
  ],
} as const satisfies Record<string, ReadonlyArray<readonly [AlertStage, AlertStage]>>;

export type TransitionName = keyof typeof TRANSITIONS;

/** The lifecycle as data: every stage (its stored shape and its job) and every named transition. */
export const ALERT_LIFECYCLE: {
  readonly initial: AlertStage;
  readonly stages: Readonly<Record<AlertStage, StageSpec>>;
  readonly transitions: Readonly<Record<TransitionName, ReadonlyArray<readonly [AlertStage, AlertStage]>>>;
} = { initial: 'queued', stages: STAGES, transitions: TRANSITIONS };

export const ALERT_STAGES = Object.keys(STAGES) as AlertStage[];
export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];

/** What a transition needs to know of an alert: what its row stores. */
export interface AlertState {
  readonly status: AlertStatus;
  readonly approved: boolean;
  readonly correlatedAt: Date | null;
}

function matches(spec: StageShape, a: AlertState): boolean {
  return (
    spec.status === a.status &&
    (spec.approved === undefined || spec.approved === a.approved) &&
    (spec.correlated === undefined || spec.correlated === (a.correlatedAt !== null))
  );
}

/** The stage a stored alert is in (every combination of status and flags has exactly one). */
export function stageOf(a: AlertState): AlertStage {
  const stage = ALERT_STAGES.find((s) => matches(STAGES[s], a));
  if (stage === undefined) {
    // Unreachable for a stored status: every status has a stage for each value of the flags it looks at.
    throw new Error(`no lifecycle stage for status ${a.status}`);
  }
  return stage;
}

/** A refused move: which transition, from which stage. */
export interface IllegalMove {
  readonly transition: TransitionName;
  readonly from: AlertStage;
}

/** The one rule: where `name` takes an alert in stage `from`, or the refusal when it may not be taken from there. */
export function transition(from: AlertStage, name: TransitionName): Result<AlertStage, IllegalMove> {
  const move = (TRANSITIONS[name] as ReadonlyArray<readonly [AlertStage, AlertStage]>).find(([f]) => f === from);
  return move ? ok(move[1]) : err({ transition: name, from });
}

/**
 * The job that starts a queued alert on its way: one of at most `oneHopMaxIndicators` indicators is normalized,
 * vetted and published by one job (`alert.process`); a larger one takes the chunked path, a job a stage, from
 * `alert.normalize` (the `queued` stage's job in the table).
 */
export function firstJob(indicatorCount: number, oneHopMaxIndicators: number): 'alert.process' | 'alert.normalize' {
  return indicatorCount <= oneHopMaxIndicators ? 'alert.process' : 'alert.normalize';
}

/**
 * The job that moves the alert on from where it is, or null when none is due (see `StageSpec.while`); a queued alert's
 * is its `firstJob`.
 */
export function nextJob(
  a: AlertState & { readonly indicatorCount: number },
  oneHopMaxIndicators: number,
): LifecycleJob | null {
  const stage = stageOf(a);
  return stage === 'queued' ? firstJob(a.indicatorCount, oneHopMaxIndicators) : STAGES[stage].job;
}
