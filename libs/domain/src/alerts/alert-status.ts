/**
 * An alert's life: queued (accepted, committed) → normalized → pending_review | published;
 * pending_review → published | rejected; the submitter may revoke an alert in any non-final status.
 */
export const ALERT_STATUSES = ['queued', 'normalized', 'pending_review', 'published', 'rejected', 'revoked'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

const NEXT: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  queued: ['normalized', 'revoked'],
  normalized: ['pending_review', 'published', 'revoked'],
  pending_review: ['published', 'rejected', 'revoked'],
  published: ['revoked'],
  rejected: [],
  revoked: [],
};

export function canTransition(from: AlertStatus, to: AlertStatus): boolean {
  return NEXT[from].includes(to);
}
