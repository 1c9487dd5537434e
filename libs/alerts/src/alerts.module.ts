import { Module } from '@nestjs/common';
import { OrgsModule } from '@tocsin/orgs';
import { AlertRepository } from './alert.repository';
import { AlertLinkRepository } from './alert-link.repository';
import { GetAlertUseCase } from './get-alert.use-case';
import { ListIndicatorsUseCase } from './list-indicators.use-case';
import { ReconcileStuckWorkUseCase } from './reconcile-stuck-work.use-case';
import { SubmitAlertUseCase } from './submit-alert.use-case';
import { IdempotencyRepository } from './idempotency.repository';
import { ReplaySubmissionUseCase } from './replay-submission.use-case';
import { SubmitMispEventsUseCase } from './submit-misp-events.use-case';
import { AlertStore } from './alert-store';
import { ExportAlertUseCase } from './export-alert.use-case';
import { RSIT, loadRsit } from './taxonomies';

const USE_CASES = [
  ExportAlertUseCase,
  SubmitAlertUseCase,
  ReplaySubmissionUseCase,
  SubmitMispEventsUseCase,
  GetAlertUseCase,
  ListIndicatorsUseCase,
  ReconcileStuckWorkUseCase,
  AlertStore,
  AlertLinkRepository,
];

@Module({
  imports: [OrgsModule],
  providers: [AlertRepository, IdempotencyRepository, { provide: RSIT, useFactory: () => loadRsit() }, ...USE_CASES],
  exports: [...USE_CASES, OrgsModule, RSIT],
})
export class AlertsModule {}
