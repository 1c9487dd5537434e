import { Module } from '@nestjs/common';
import { DeliveryModule } from '@tocsin/delivery';
import { TaxiiCollectionsUseCase } from './collections.use-case';

/** TAXII 2.1 (issue 14): collections and their objects, read through the delivery context's policy. */
@Module({
  imports: [DeliveryModule],
  providers: [TaxiiCollectionsUseCase],
  exports: [TaxiiCollectionsUseCase],
})
export class TaxiiModule {}
