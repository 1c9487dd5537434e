import { describe, it, expect } from 'vitest';
import { ALERT_STATUSES, canTransition, type AlertStatus } from './alert-status';

/** The life cycle from the doc comment, written out by hand. */
const ALLOWED: ReadonlyArray<readonly [AlertStatus, AlertStatus]> = [
  ['queued', 'normalized'],
  ['normalized', 'pending_review'],
  ['normalized', 'published'],
  ['pending_review', 'published'],
  ['pending_review', 'rejected'],
  ['queued', 'revoked'],
  ['normalized', 'revoked'],
  ['pending_review', 'revoked'],
  ['published', 'revoked'],
];

describe(canTransition.name, () => {
  const matrix = ALERT_STATUSES.flatMap((from) =>
    ALERT_STATUSES.map((to) => [from, to, ALLOWED.some(([f, t]) => f === from && t === to)] as const),
  );

  it('covers every pair of statuses', () => {
    expect(matrix).toHaveLength(36);
    expect(matrix.filter(([, , allowed]) => allowed)).toHaveLength(ALLOWED.length);
  });

  it.each(matrix)('moves %s → %s: %s', (from, to, expected) => {
    expect(canTransition(from, to)).toBe(expected);
  });

  it('lets a published alert only be revoked', () => {
    expect(ALERT_STATUSES.filter((to) => canTransition('published', to))).toEqual(['revoked']);
  });

  it.each(['rejected', 'revoked'] as const)('treats %s as terminal', (from) => {
    expect(ALERT_STATUSES.filter((to) => canTransition(from, to))).toEqual([]);
  });

  it('never returns an alert to queued', () => {
    expect(ALERT_STATUSES.filter((from) => canTransition(from, 'queued'))).toEqual([]);
  });
});
