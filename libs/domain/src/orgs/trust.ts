/**
 * Trust levels (documented default policy):
 * 0 suspended, 1 provisional, 2 member, 3 trusted, 4 coordinator.
 */
export const TRUST_LEVELS = [0, 1, 2, 3, 4] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];

export const TRUST = { suspended: 0, provisional: 1, member: 2, trusted: 3, coordinator: 4 } as const;

export function isTrustLevel(value: unknown): value is TrustLevel {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4;
}
