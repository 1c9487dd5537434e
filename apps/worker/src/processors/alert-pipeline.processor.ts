import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CoordinateAlertUseCase, CorroborateLinkedUseCase, WithdrawReportUseCase } from '@tocsin/coordination';
import { PublishAlertUseCase } from '@tocsin/delivery';
import { NormalizeAlertUseCase } from '@tocsin/normalization';
import { VetAlertUseCase } from '@tocsin/vetting';
import type { AlertJobPayload } from '@tocsin/queues';
import { JobRunner } from './job-runner';

/** The pipeline's processors: each parses nothing itself (the runner did), calls one use-case, returns. */
@Injectable()
export class AlertPipelineProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly normalize: NormalizeAlertUseCase,
    private readonly vet: VetAlertUseCase,
    private readonly publish: PublishAlertUseCase,
    private readonly corroborate: CorroborateLinkedUseCase,
    private readonly coordinate: CoordinateAlertUseCase,
    private readonly withdraw: WithdrawReportUseCase,
  ) {}

  /** Corroborate (and maybe release) linked alerts, then make or join a coordinated alert; both idempotent. */
  private async correlate(p: AlertJobPayload): Promise<string> {
    await this.corroborate.execute(p);
    return this.coordinate.execute(p);
  }

  onModuleInit(): void {
    this.runner.register('alert.normalize', (p) => this.normalize.execute(p));
    this.runner.register('alert.vet', (p) => this.vet.execute(p));
    // Correlation follows publication in the same job (one queue hop less): the gateways are woken by the publish
    // itself, so it adds nothing to delivery. A retry after a failure in it re-runs an idempotent publish.
    this.runner.register('alert.publish', async (p) => {
      const outcome = await this.publish.execute(p);
      if (!(await this.coordinate.settleUnlinked(p))) {
        await this.correlate(p);
      }
      return outcome;
    });
    // The reconciler's way back in, for a published alert whose correlation never completed.
    this.runner.register('alert.correlate', (p) => this.correlate(p));
    this.runner.register('alert.withdraw', (p) => this.withdraw.execute(p));
  }
}
