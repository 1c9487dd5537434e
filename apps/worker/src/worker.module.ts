import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { CoordinationModule } from '@tocsin/coordination';
import { DeliveryModule } from '@tocsin/delivery';
import { NormalizationModule } from '@tocsin/normalization';
import { VettingModule } from '@tocsin/vetting';
import { OutboxRelay } from './outbox-relay';
import { AlertPipelineProcessor } from './processors/alert-pipeline.processor';
import { JobRunner } from './processors/job-runner';
import { ProcessAlerts } from './processors/process-alerts';

/** The queue edge: BullMQ processors, the outbox relay and the stuck-work reconciler. */
@Module({
  imports: [AlertsModule, NormalizationModule, VettingModule, CoordinationModule, DeliveryModule],
  providers: [JobRunner, ProcessAlerts, AlertPipelineProcessor, OutboxRelay],
})
export class WorkerModule {}
