/**
 * Named points of the alert path where a test may have the process die with SIGKILL, as a worker killed by the
 * kernel or an operator would: nothing after the point runs, no handler, no rollback but PostgreSQL's own. The
 * crash e2e test (test/e2e/crash-points.e2e-spec.ts) arms each worker point in turn in a worker process and checks that a
 * replacement worker publishes every alert exactly once, with no seq gap. Armed only by `TOCSIN_CRASH_POINTS`,
 * which the configuration refuses when NODE_ENV is `production`. The api's points are tested the same way, in an api
 * process (the alert's job then reaches BullMQ through the outbox relay).
 */
export const WORKER_CRASH_POINTS = [
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

/** Points in an api process. */
export const API_CRASH_POINTS = [
  /** A small alert committed (alert, indicators, outbox row), before the api handed its one-hop job to BullMQ. */
  'submit.after-commit',
] as const;

export const CRASH_POINTS = [...WORKER_CRASH_POINTS, ...API_CRASH_POINTS] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];
