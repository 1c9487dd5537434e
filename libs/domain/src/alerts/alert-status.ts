/**
 * An alert's life: queued (accepted, committed) → normalized → pending_review | published;
 * pending_review → published | rejected.
 */
export const ALERT_STATUSES = ['queued', 'normalized', 'pending_review', 'published', 'rejected'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

const NEXT: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  queued: ['normalized'],
  normalized: ['pending_review', 'published'],
  pending_review: ['published', 'rejected'],
  published: [],
  rejected: [],
};

export function canTransition(from: AlertStatus, to: AlertStatus): boolean {
  return NEXT[from].includes(to);
}
