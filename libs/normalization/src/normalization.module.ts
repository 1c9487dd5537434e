import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { NormalizeAlertUseCase } from './normalize-alert.use-case';

@Module({ imports: [AlertsModule], providers: [NormalizeAlertUseCase], exports: [NormalizeAlertUseCase] })
export class NormalizationModule {}
