/**
 * The statuses an alert row stores. How an alert moves between them (and which job moves it on) is the lifecycle:
 * `ALERT_LIFECYCLE` in ./lifecycle.ts.
 */
export const ALERT_STATUSES = ['queued', 'normalized', 'pending_review', 'published', 'rejected', 'revoked'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
