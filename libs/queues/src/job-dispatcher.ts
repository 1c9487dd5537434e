import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { errorFacts } from '@tocsin/platform';
import { FairShare } from './fair-share';
import type { QueueName } from './queue-names';
import { Queues } from './queues';

/** How long an add to BullMQ may take before it counts as failed (the outbox then keeps the job). */
export const DISPATCH_TIMEOUT_MS = 5_000;

/** A job on its way into BullMQ, as the outbox holds it. */
export interface DispatchJob {
  readonly name: string;
  readonly jobId: string;
  readonly payload: Record<string, unknown>;
  /** The alert's source org, for fair scheduling (null: the job names no alert, and runs at the top priority). */
  readonly orgId: string | null;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Puts jobs into BullMQ, each with its org's fair-share priority (FairShare): the outbox relay's way in, and the api's
 * for a small alert's one-hop job right after its commit (`later`). The job id makes a repeat a no-op: BullMQ keeps
 * one job per id, so the relay sending a job the api already sent changes nothing.
 */
@Injectable()
export class JobDispatcher implements BeforeApplicationShutdown {
  private readonly log = new Logger(JobDispatcher.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly queues: Queues,
    private readonly fairShare: FairShare,
  ) {}

  /** Adds `jobs` to `queue`; rejects when Redis does not take them within DISPATCH_TIMEOUT_MS. */
  add(queue: QueueName, jobs: readonly DispatchJob[]): Promise<void> {
    return withTimeout(this.addNow(queue, jobs), DISPATCH_TIMEOUT_MS);
  }

  /**
   * `add` without waiting: for a job whose outbox row is due later, so a failure here only means the relay sends it
   * then (`failed` is told, with the error's facts, never the payload). Shutdown waits for what was started.
   */
  later(queue: QueueName, jobs: readonly DispatchJob[], failed: (e: unknown) => void): void {
    const p = this.add(queue, jobs).catch((e: unknown) => {
      try {
        failed(e);
      } catch (reportError) {
        this.log.warn({ error: errorFacts(reportError) }, 'dispatch failure handler threw');
      }
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Before the queues close (onApplicationShutdown): the adds started by `later` finish or time out. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async addNow(queue: QueueName, jobs: readonly DispatchJob[]): Promise<void> {
    if (jobs.length === 0) {
      return;
    }
    const fair = jobs.filter((j): j is DispatchJob & { orgId: string } => j.orgId !== null);
    const priorities = await this.fairShare.assign(
      queue,
      fair.map((j) => ({ jobId: j.jobId, orgId: j.orgId })),
    );
    const priorityOf = new Map(fair.map((j, i) => [j.jobId, priorities[i] ?? 1]));
    await this.queues.get(queue).addBulk(
      jobs.map((j) => ({
        name: j.name,
        data: j.orgId ? { ...j.payload, orgId: j.orgId } : j.payload,
        opts: { jobId: j.jobId, priority: priorityOf.get(j.jobId) ?? 1 },
      })),
    );
  }
}
