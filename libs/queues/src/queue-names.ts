import { z } from 'zod';
import { isOutboxId } from '@tocsin/db';

/** Stable queue names: renaming one is a migration (STYLE.md §4). */
export enum QueueName {
  Normalization = 'normalization',
  Vetting = 'vetting',
  Delivery = 'delivery',
  /** The one-hop job of a small alert (normalize, vet and publish in one transaction). */
  Pipeline = 'pipeline',
}

/** Job names, `<noun>.<verb>`, each with its queue and typed payload. */
export const JOBS = {
  'alert.process': QueueName.Pipeline,
  'alert.normalize': QueueName.Normalization,
  'alert.vet': QueueName.Vetting,
  'alert.publish': QueueName.Delivery,
  'alert.correlate': QueueName.Delivery,
  'alert.withdraw': QueueName.Delivery,
} as const;
export type JobName = keyof typeof JOBS;

/** Payloads carry ids and the request id, never alert bodies. */
export const alertJobSchema = z.strictObject({
  alertId: z.uuid(),
  requestId: z.string().max(128).nullable(),
  /** The alert's source org, set by the outbox relay for fair scheduling (see FairShare); handlers ignore it. */
  orgId: z.uuid().optional(),
  /**
   * The job's outbox row when the api handed the job to BullMQ itself (TOCSIN_OUTBOX_DIRECT_GRACE_MS): the job deletes
   * it in its own transaction, so the relay has nothing left to send. A bigint, in decimal.
   */
  outboxId: z.string().refine(isOutboxId, 'an outbox row id (a bigint, in decimal)').optional(),
});
export type AlertJobPayload = z.infer<typeof alertJobSchema>;

export const JOB_SCHEMAS: Record<JobName, typeof alertJobSchema> = {
  'alert.process': alertJobSchema,
  'alert.normalize': alertJobSchema,
  'alert.vet': alertJobSchema,
  'alert.publish': alertJobSchema,
  'alert.correlate': alertJobSchema,
  'alert.withdraw': alertJobSchema,
};

/** An outbox-ready job: the job id makes enqueueing idempotent (one job per alert per stage; BullMQ forbids ":" in ids). */
export function alertJob(name: JobName, payload: AlertJobPayload) {
  return { queue: JOBS[name], name, jobId: `${name}.${payload.alertId}`, payload: { ...payload } };
}
