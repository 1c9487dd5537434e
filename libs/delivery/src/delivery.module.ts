import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { AlertFeed } from './alert-feed';
import { PublishAlertUseCase } from './publish-alert.use-case';
import { PublishLogRepository } from './publish-log.repository';
import { RevokeAlertUseCase, UpdateAlertUseCase } from './lifecycle.use-case';
import { ReportFeedbackUseCase } from './report-feedback.use-case';

@Module({
  imports: [AlertsModule],
  providers: [
    PublishLogRepository,
    PublishAlertUseCase,
    AlertFeed,
    UpdateAlertUseCase,
    RevokeAlertUseCase,
    ReportFeedbackUseCase,
  ],
  exports: [
    PublishAlertUseCase,
    AlertFeed,
    UpdateAlertUseCase,
    RevokeAlertUseCase,
    ReportFeedbackUseCase,
    AlertsModule,
  ],
})
export class DeliveryModule {}
