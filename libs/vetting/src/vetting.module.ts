import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { ListPendingAlertsUseCase } from './list-pending-alerts.use-case';
import { ReviewAlertUseCase } from './review-alert.use-case';
import { VetAlertUseCase } from './vet-alert.use-case';
import { Corroboration } from './corroboration';
import { CorroborateLinkedUseCase } from './corroborate-linked.use-case';

const USE_CASES = [
  VetAlertUseCase,
  ReviewAlertUseCase,
  ListPendingAlertsUseCase,
  Corroboration,
  CorroborateLinkedUseCase,
];

@Module({ imports: [AlertsModule], providers: USE_CASES, exports: USE_CASES })
export class VettingModule {}
