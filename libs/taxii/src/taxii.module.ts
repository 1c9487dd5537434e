import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { CoordinationModule } from '@tocsin/coordination';
import { DeliveryModule } from '@tocsin/delivery';
import { TaxiiCollectionsUseCase } from './collections.use-case';
import { TaxiiObjectsUseCase } from './objects.use-case';
import { TaxiiLogRepository } from './taxii-log.repository';
import { TAXII_WRITE_PROVIDERS, TAXII_WRITE_USE_CASES } from './taxii-write.providers';

/** TAXII 2.1 (issue 14): collections and their objects, read through the delivery context's policy. */
@Module({
  imports: [DeliveryModule, AlertsModule, CoordinationModule],
  providers: [TaxiiCollectionsUseCase, TaxiiObjectsUseCase, TaxiiLogRepository, ...TAXII_WRITE_PROVIDERS],
  exports: [TaxiiCollectionsUseCase, TaxiiObjectsUseCase, ...TAXII_WRITE_USE_CASES],
})
export class TaxiiModule {}
