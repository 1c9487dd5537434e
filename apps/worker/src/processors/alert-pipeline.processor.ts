import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CorrelateAlertUseCase, WithdrawReportUseCase } from '@tocsin/coordination';
import { PublishAlertUseCase } from '@tocsin/delivery';
import { NormalizeAlertUseCase } from '@tocsin/normalization';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { VetAlertUseCase } from '@tocsin/vetting';
import type { AlertJobPayload } from '@tocsin/queues';
import { GroupCommit } from './group-commit';
import { JobRunner } from './job-runner';
import { ProcessAlerts, type ProcessOutcome } from './process-alerts';

/** The pipeline's processors: each parses nothing itself (the runner did), calls one use-case, returns. */
@Injectable()
export class AlertPipelineProcessor implements OnModuleInit {
  /** One-hop jobs in flight together share one transaction. */
  private readonly oneHop: GroupCommit<AlertJobPayload, ProcessOutcome>;

  constructor(
    private readonly runner: JobRunner,
    private readonly process: ProcessAlerts,
    private readonly normalize: NormalizeAlertUseCase,
    private readonly vet: VetAlertUseCase,
    private readonly publish: PublishAlertUseCase,
    private readonly correlate: CorrelateAlertUseCase,
    private readonly withdraw: WithdrawReportUseCase,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.oneHop = new GroupCommit<AlertJobPayload, ProcessOutcome>(
      config.TOCSIN_GROUP_COMMIT_MAX,
      async (jobs) => {
        const outcomes = await this.process.execute(jobs);
        return jobs.map((j): ProcessOutcome => outcomes.get(j.alertId) ?? 'skipped');
      },
      2,
    );
  }

  onModuleInit(): void {
    this.runner.register('alert.process', (p) => this.oneHop.submit(p));
    this.runner.register('alert.normalize', (p) => this.normalize.execute(p));
    this.runner.register('alert.vet', (p) => this.vet.execute(p));
    // The publishing transaction settles an unlinked alert itself and enqueues `alert.correlate` for any other.
    this.runner.register('alert.publish', (p) => this.publish.execute(p));
    this.runner.register('alert.correlate', (p) => this.correlate.execute(p));
    this.runner.register('alert.withdraw', (p) => this.withdraw.execute(p));
  }
}
