import { describe, expect, it } from 'vitest';
import { ALERT_STATUSES } from './alert-status';
import {
  ALERT_LIFECYCLE,
  ALERT_STAGES,
  TRANSITION_NAMES,
  firstJob,
  nextJob,
  stageOf,
  transition,
  type AlertStage,
  type AlertState,
  type LifecycleJob,
  type TransitionName,
} from './lifecycle';

/** The lifecycle written out by hand, as docs/model.md draws it: every allowed (transition, from → to). */
const ALLOWED: ReadonlyArray<readonly [TransitionName, AlertStage, AlertStage]> = [
  ['markNormalized', 'queued', 'normalized'],
  ['approve', 'normalized', 'approved'],
  ['holdForReview', 'normalized', 'pending_review'],
  ['release', 'pending_review', 'approved'],
  ['approveInReview', 'pending_review', 'approved_in_review'],
  ['reject', 'pending_review', 'rejected'],
  ['publish', 'approved', 'published'],
  ['publish', 'approved_in_review', 'published'],
  ['markCorrelated', 'published', 'correlated'],
  ['revise', 'published', 'published'],
  ['revise', 'correlated', 'correlated'],
  ['revoke', 'queued', 'revoked'],
  ['revoke', 'normalized', 'revoked'],
  ['revoke', 'approved', 'revoked'],
  ['revoke', 'pending_review', 'revoked'],
  ['revoke', 'approved_in_review', 'revoked'],
  ['revoke', 'published', 'revoked'],
  ['revoke', 'correlated', 'revoked'],
];

const allowed = (name: TransitionName, from: AlertStage) => ALLOWED.find(([n, f]) => n === name && f === from);

const PAIRS = TRANSITION_NAMES.flatMap((name) => ALERT_STAGES.map((from) => [name, from] as const));
const ILLEGAL = PAIRS.filter(([name, from]) => !allowed(name, from));

const at = new Date('2026-01-01T00:00:00Z');
const state = (status: AlertState['status'], approved = false, correlated = false): AlertState => ({
  status,
  approved,
  correlatedAt: correlated ? at : null,
});

describe(transition.name, () => {
  it('covers every transition from every stage', () => {
    expect(PAIRS).toHaveLength(10 * 9);
    expect(ILLEGAL).toHaveLength(PAIRS.length - ALLOWED.length);
  });

  it.each(ALLOWED)('%s takes %s to %s', (name, from, to) => {
    expect(transition(from, name)).toEqual({ ok: true, value: to });
  });

  it.each(ILLEGAL)('refuses %s from %s', (name, from) => {
    expect(transition(from, name)).toEqual({ ok: false, error: { transition: name, from } });
  });

  it('leaves the final stages by no transition', () => {
    const finals = ALERT_STAGES.filter((s) => ALERT_LIFECYCLE.stages[s].final);
    expect(finals).toEqual(['rejected', 'revoked']);
    for (const from of finals) {
      expect(TRANSITION_NAMES.filter((name) => transition(from, name).ok)).toEqual([]);
    }
  });

  it('never returns an alert to queued, and lets a published alert only be revised, correlated or revoked', () => {
    for (const [name, from] of PAIRS) {
      const r = transition(from, name);
      expect(r.ok && r.value === 'queued').toBe(false);
    }
    expect(TRANSITION_NAMES.filter((name) => transition('published', name).ok)).toEqual([
      'markCorrelated',
      'revise',
      'revoke',
    ]);
    expect(TRANSITION_NAMES.filter((name) => transition('correlated', name).ok)).toEqual(['revise', 'revoke']);
  });

  it('publishes only an approved alert', () => {
    expect(ALERT_STAGES.filter((from) => transition(from, 'publish').ok)).toEqual(['approved', 'approved_in_review']);
  });
});

describe(stageOf.name, () => {
  it.each([
    [state('queued'), 'queued'],
    [state('normalized'), 'normalized'],
    [state('normalized', true), 'approved'],
    [state('pending_review'), 'pending_review'],
    [state('pending_review', true), 'approved_in_review'],
    [state('published', true), 'published'],
    [state('published', true, true), 'correlated'],
    [state('rejected'), 'rejected'],
    [state('revoked', true, true), 'revoked'],
    [state('revoked'), 'revoked'],
  ] as const)('reads %o as %s', (a, stage) => {
    expect(stageOf(a)).toBe(stage);
  });

  it('finds exactly one stage for every stored combination of status and flags', () => {
    for (const status of ALERT_STATUSES) {
      for (const approved of [false, true]) {
        for (const correlated of [false, true]) {
          const a = state(status, approved, correlated);
          const matching = ALERT_STAGES.filter((s) => {
            const spec = ALERT_LIFECYCLE.stages[s];
            return (
              spec.status === status &&
              (spec.approved ?? approved) === approved &&
              (spec.correlated ?? correlated) === correlated
            );
          });
          expect(matching).toEqual([stageOf(a)]);
        }
      }
    }
  });
});

describe(nextJob.name, () => {
  it.each([
    [state('queued'), 'alert.process'],
    [state('normalized'), 'alert.vet'],
    [state('normalized', true), 'alert.publish'],
    [state('pending_review'), null],
    [state('pending_review', true), 'alert.publish'],
    [state('published', true), 'alert.correlate'],
    [state('published', true, true), null],
    [state('rejected'), null],
    [state('revoked'), 'alert.withdraw'],
  ] as ReadonlyArray<readonly [AlertState, LifecycleJob | null]>)('moves %o on with %s', (a, job) => {
    expect(nextJob({ ...a, indicatorCount: 1 }, 1_000)).toBe(job);
  });

  it('starts a queued alert in one hop up to the limit, on the chunked path past it (firstJob)', () => {
    expect(nextJob({ ...state('queued'), indicatorCount: 1_000 }, 1_000)).toBe('alert.process');
    expect(nextJob({ ...state('queued'), indicatorCount: 1_001 }, 1_000)).toBe('alert.normalize');
    expect(firstJob(0, 0)).toBe('alert.process');
    expect(firstJob(1, 0)).toBe('alert.normalize');
  });

  it('gives each job-less stage a transition a person or another alert makes, or none when final', () => {
    const waiting = ALERT_STAGES.filter((s) => ALERT_LIFECYCLE.stages[s].job === null);
    expect(waiting).toEqual(['pending_review', 'correlated', 'rejected']);
  });
});
