/**
 * Named points of the alert path where a test may have the process die with SIGKILL, as a worker killed by the
 * kernel or an operator would: nothing after the point runs, no handler, no rollback but PostgreSQL's own. The
 * crash e2e test (test/e2e/crash-points.e2e-spec.ts) arms one at a time in a worker process and checks that a
 * replacement worker publishes every alert exactly once, with no seq gap. Armed only by `TOCSIN_CRASH_POINTS`,
 * which the configuration refuses when NODE_ENV is `production`.
 */
export const CRASH_POINTS = [
  /** The outbox relay has added the jobs to BullMQ but not yet deleted their outbox rows. */
  'relay.after-enqueue',
  /** A one-hop job has started, before its transaction. */
  'process.before-transaction',
  /** Inside the one-hop transaction, after the indicators were normalized. */
  'process.after-normalize',
  /** Inside the one-hop transaction, after the vetting decision was written. */
  'process.after-vet',
  /** Inside the one-hop transaction, after the publish log got its rows, before the commit. */
  'process.after-publish',
  /** After the one-hop transaction committed, before the gateways were woken. */
  'process.after-commit',
  /** After the gateways were woken, before BullMQ was told the job completed. */
  'process.after-wake',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];
