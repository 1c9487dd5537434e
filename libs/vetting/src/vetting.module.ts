import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { VetAlertUseCase } from './vet-alert.use-case';

@Module({ imports: [AlertsModule], providers: [VetAlertUseCase], exports: [VetAlertUseCase] })
export class VettingModule {}
