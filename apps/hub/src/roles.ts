import type { TocsinRole } from '@tocsin/runtime';
// The composition root: the one place of apps/ that imports another app, and only each role's `<role>.role.ts`.
import { apiRole } from '../../api/src/api.role';
import { gatewayRole } from '../../gateway/src/gateway.role';
import { workerRole } from '../../worker/src/worker.role';

/** The three roles by name; the hub runs them all in one process, tests and benches pick some. */
export const ROLES = { api: apiRole, worker: workerRole, gateway: gatewayRole } as const satisfies Record<
  string,
  TocsinRole
>;
export type RoleName = keyof typeof ROLES;

export const rolesNamed = (names: readonly RoleName[]): TocsinRole[] => names.map((n) => ROLES[n]);
