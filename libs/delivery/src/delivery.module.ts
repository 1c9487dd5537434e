import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { AlertFeed } from './alert-feed';
import { PublishAlertUseCase } from './publish-alert.use-case';
import { PublishLogRepository } from './publish-log.repository';

@Module({
  imports: [AlertsModule],
  providers: [PublishLogRepository, PublishAlertUseCase, AlertFeed],
  exports: [PublishAlertUseCase, AlertFeed, AlertsModule],
})
export class DeliveryModule {}
