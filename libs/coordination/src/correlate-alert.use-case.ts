import { Injectable } from '@nestjs/common';
import type { AlertJobPayload } from '@tocsin/queues';
import { CoordinateAlertUseCase, type CoordinateOutcome } from './coordinate-alert.use-case';
import { CorroborateLinkedUseCase } from './corroborate-linked.use-case';

/**
 * `alert.correlate`, written to the outbox by the transaction that published a linked alert (and by the reconciler for
 * one never correlated): corroborate the alerts it links to (which may release held ones), then make, join or update
 * a coordinated alert. Both steps are idempotent, so a re-run after a crash between them is harmless.
 */
@Injectable()
export class CorrelateAlertUseCase {
  constructor(
    private readonly corroborate: CorroborateLinkedUseCase,
    private readonly coordinate: CoordinateAlertUseCase,
  ) {}

  async execute(job: AlertJobPayload): Promise<CoordinateOutcome> {
    await this.corroborate.execute(job);
    return this.coordinate.execute(job);
  }
}
