import type { ReportPart } from '@tocsin/domain';

/** The fixed "now" of the coordination specs, and a time `h` hours before it. */
export const NOW = new Date('2025-06-01T12:00:00Z');
export const HOUR = 60 * 60 * 1000;
export const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * HOUR);

/** Keys the coordination specs share reports by. */
export const BOTNET = 'ipv4:198.51.100.7';
export const C2 = 'domain:c2.example.net';

/** A GREEN report of `orgId` (trust 3) holding BOTNET, reported an hour before NOW; override any field. */
export function reportPart(
  alertId: string,
  orgId: string,
  country: string | null,
  over: Partial<ReportPart> = {},
): ReportPart {
  return {
    alertId,
    orgId,
    sourceOrgId: orgId,
    country,
    trustLevel: 3,
    tlp: 'GREEN',
    recipients: [],
    reportedAt: hoursAgo(1),
    indicatorKeys: [BOTNET],
    cves: [],
    ...over,
  };
}
