import { Module } from '@nestjs/common';
import { DeliveryModule } from '@tocsin/delivery';
import { TaxiiCollectionsUseCase } from './collections.use-case';
import { TaxiiObjectsUseCase } from './objects.use-case';
import { TaxiiLogRepository } from './taxii-log.repository';

/** TAXII 2.1 (issue 14): collections and their objects, read through the delivery context's policy. */
@Module({
  imports: [DeliveryModule],
  providers: [TaxiiCollectionsUseCase, TaxiiObjectsUseCase, TaxiiLogRepository],
  exports: [TaxiiCollectionsUseCase, TaxiiObjectsUseCase],
})
export class TaxiiModule {}
