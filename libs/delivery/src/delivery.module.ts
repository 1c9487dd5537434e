import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { AlertFeed } from './alert-feed';
import { PublishAlertUseCase } from './publish-alert.use-case';
import { ConstituencyRepository } from './constituency.repository';
import { ConstituencyRouter } from './constituency-router';
import { GetConstituencyUseCase, SetConstituencyUseCase } from './constituency.use-case';
import { DeliveryEngine } from './delivery-engine';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsUseCase } from './subscriptions.use-case';

@Module({
  imports: [AlertsModule],
  providers: [
    PublishAlertUseCase,
    AlertFeed,
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
    ConstituencyRouter,
    GetConstituencyUseCase,
    SetConstituencyUseCase,
    SubscriptionsUseCase,
    DeliveryEngine,
    AlertsModule,
  ],
})
export class DeliveryModule {}
