import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CoordinateAlertUseCase, PublishAlertUseCase, WithdrawReportUseCase } from '@tocsin/delivery';
import { NormalizeAlertUseCase } from '@tocsin/normalization';
import { CorroborateLinkedUseCase, VetAlertUseCase } from '@tocsin/vetting';
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

  onModuleInit(): void {
    this.runner.register('alert.normalize', (p) => this.normalize.execute(p));
    this.runner.register('alert.vet', (p) => this.vet.execute(p));
    this.runner.register('alert.publish', (p) => this.publish.execute(p));
    // After publication: corroborate (and maybe release) linked alerts, then make or join a coordinated alert.
    // Both are idempotent, so a retry after a failure in the second step repeats the first harmlessly.
    this.runner.register('alert.correlate', async (p) => {
      await this.corroborate.execute(p);
      return this.coordinate.execute(p);
    });
    this.runner.register('alert.withdraw', (p) => this.withdraw.execute(p));
  }
}
