import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { AlertFeed } from './alert-feed';
import { PublishAlertUseCase } from './publish-alert.use-case';
import { PublishLogRepository } from './publish-log.repository';
import { RevokeAlertUseCase, UpdateAlertUseCase } from './lifecycle.use-case';
import { ReportFeedbackUseCase } from './report-feedback.use-case';
import { CoordinatedAlertRepository } from './coordinated-alert.repository';
import { CoordinateAlertUseCase } from './coordinate-alert.use-case';
import { CoordinatedAlertsUseCase } from './coordinated-alerts.use-case';
import { WithdrawReportUseCase } from './withdraw-report.use-case';
import { CoordinatedVersions } from './coordinated-versions';
import { ConstituencyRepository } from './constituency.repository';
import { ConstituencyRouter } from './constituency-router';
import { GetConstituencyUseCase, SetConstituencyUseCase } from './constituency.use-case';
import { DeliveryEngine } from './delivery-engine';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsUseCase } from './subscriptions.use-case';

@Module({
  imports: [AlertsModule],
  providers: [
    PublishLogRepository,
    PublishAlertUseCase,
    AlertFeed,
    UpdateAlertUseCase,
    RevokeAlertUseCase,
    ReportFeedbackUseCase,
    CoordinatedAlertRepository,
    CoordinatedVersions,
    CoordinateAlertUseCase,
    CoordinatedAlertsUseCase,
    WithdrawReportUseCase,
    ConstituencyRepository,
    ConstituencyRouter,
    GetConstituencyUseCase,
    SetConstituencyUseCase,
    SubscriptionRepository,
    SubscriptionsUseCase,
    DeliveryEngine,
  ],
  exports: [
    PublishAlertUseCase,
    AlertFeed,
    UpdateAlertUseCase,
    RevokeAlertUseCase,
    ReportFeedbackUseCase,
    CoordinateAlertUseCase,
    CoordinatedAlertsUseCase,
    WithdrawReportUseCase,
    ConstituencyRouter,
    GetConstituencyUseCase,
    SetConstituencyUseCase,
    SubscriptionsUseCase,
    DeliveryEngine,
    AlertsModule,
  ],
})
export class DeliveryModule {}
