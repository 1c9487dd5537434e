import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PublishAlertUseCase } from '@tocsin/delivery';
import { NormalizeAlertUseCase } from '@tocsin/normalization';
import { VetAlertUseCase } from '@tocsin/vetting';
import { JobRunner } from './job-runner';

/** The pipeline's processors: each parses nothing itself (the runner did), calls one use-case, returns. */
@Injectable()
export class AlertPipelineProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly normalize: NormalizeAlertUseCase,
    private readonly vet: VetAlertUseCase,
    private readonly publish: PublishAlertUseCase,
  ) {}

  onModuleInit(): void {
    this.runner.register('alert.normalize', (p) => this.normalize.execute(p));
    this.runner.register('alert.vet', (p) => this.vet.execute(p));
    this.runner.register('alert.publish', (p) => this.publish.execute(p));
  }
}
