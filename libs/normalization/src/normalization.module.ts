import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { NormalizeAlertUseCase } from './normalize-alert.use-case';
import { PreviewSubmissionUseCase } from './preview-submission.use-case';
import { warningListsProvider } from './warning-lists.provider';

@Module({
  imports: [AlertsModule],
  providers: [warningListsProvider, NormalizeAlertUseCase, PreviewSubmissionUseCase],
  exports: [NormalizeAlertUseCase, PreviewSubmissionUseCase],
})
export class NormalizationModule {}
