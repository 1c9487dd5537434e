import { Module } from '@nestjs/common';
import { OrgsModule } from '@tocsin/orgs';
import { AlertRepository } from './alert.repository';
import { GetAlertUseCase } from './get-alert.use-case';
import { ListIndicatorsUseCase } from './list-indicators.use-case';
import { ReconcileStuckWorkUseCase } from './reconcile-stuck-work.use-case';
import { SubmitAlertUseCase } from './submit-alert.use-case';
import { IdempotencyRepository } from './idempotency.repository';
import { ReplaySubmissionUseCase } from './replay-submission.use-case';
import { SubmitMispEventsUseCase } from './submit-misp-events.use-case';
import { AlertStore } from './alert-store';
import { AlertRevisions } from './alert-revisions';
import { ExportAlertUseCase } from './export-alert.use-case';
import { RSIT, loadRsit } from './taxonomies';
import { AlertSearchRepository } from './alert-search.repository';
import { ListAlertsUseCase } from './list-alerts.use-case';
import { LookupIndicatorUseCase } from './lookup-indicator.use-case';
import { RevokeAlertUseCase, UpdateAlertUseCase } from './lifecycle.use-case';
import { ReportFeedbackUseCase } from './report-feedback.use-case';
import { AlertStatsRepository } from './alert-stats.repository';
import { GetAlertStatsUseCase } from './get-alert-stats.use-case';

const USE_CASES = [
  ExportAlertUseCase,
  SubmitAlertUseCase,
  ReplaySubmissionUseCase,
  SubmitMispEventsUseCase,
  GetAlertUseCase,
  ListIndicatorsUseCase,
  ReconcileStuckWorkUseCase,
  AlertStore,
  AlertRevisions,
  ListAlertsUseCase,
  LookupIndicatorUseCase,
  UpdateAlertUseCase,
  RevokeAlertUseCase,
  ReportFeedbackUseCase,
  GetAlertStatsUseCase,
];

@Module({
  imports: [OrgsModule],
  providers: [
    AlertRepository,
    AlertSearchRepository,
    AlertStatsRepository,
    IdempotencyRepository,
    { provide: RSIT, useFactory: () => loadRsit() },
    ...USE_CASES,
  ],
  exports: [...USE_CASES, OrgsModule, RSIT],
})
export class AlertsModule {}
