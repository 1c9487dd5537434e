import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { CoordinationModule } from '@tocsin/coordination';
import { ListPendingAlertsUseCase } from './list-pending-alerts.use-case';
import { ReviewAlertUseCase } from './review-alert.use-case';
import { VetAlertUseCase } from './vet-alert.use-case';

const USE_CASES = [VetAlertUseCase, ReviewAlertUseCase, ListPendingAlertsUseCase];

@Module({ imports: [AlertsModule, CoordinationModule], providers: USE_CASES, exports: USE_CASES })
export class VettingModule {}
