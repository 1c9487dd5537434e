import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { NormalizeAlertUseCase } from './normalize-alert.use-case';
import { warningListsProvider } from './warning-lists.provider';

@Module({
  imports: [AlertsModule],
  providers: [warningListsProvider, NormalizeAlertUseCase],
  exports: [NormalizeAlertUseCase],
})
export class NormalizationModule {}
