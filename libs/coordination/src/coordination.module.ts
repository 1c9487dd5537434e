import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { AlertLinkRepository } from './alert-link.repository';
import { CoordinateAlertUseCase } from './coordinate-alert.use-case';
import { CoordinatedAlertRepository } from './coordinated-alert.repository';
import { CoordinatedAlertsUseCase } from './coordinated-alerts.use-case';
import { CoordinatedVersions } from './coordinated-versions';
import { CorrelateAlertUseCase } from './correlate-alert.use-case';
import { CorroborateLinkedUseCase } from './corroborate-linked.use-case';
import { GetAlertWithLinksUseCase } from './get-alert-with-links.use-case';
import { Corroboration } from './corroboration';
import { WithdrawReportUseCase } from './withdraw-report.use-case';

const USE_CASES = [
  Corroboration,
  CorroborateLinkedUseCase,
  CoordinateAlertUseCase,
  CorrelateAlertUseCase,
  CoordinatedAlertsUseCase,
  WithdrawReportUseCase,
  GetAlertWithLinksUseCase,
];

@Module({
  imports: [AlertsModule],
  providers: [AlertLinkRepository, CoordinatedAlertRepository, CoordinatedVersions, ...USE_CASES],
  exports: USE_CASES,
})
export class CoordinationModule {}
