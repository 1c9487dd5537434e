import { Injectable } from '@nestjs/common';
import type { Actor } from '@tocsin/domain';
import { NotFound } from '@tocsin/platform';
import { statusResource, type TaxiiStatusResource } from './taxii-status';
import { TaxiiStatusRepository } from './taxii-status.repository';

/**
 * GET {api-root}/status/{status-id}/: the status of an "add objects" request as the pipeline now stands. Only the
 * organisation that sent the envelope sees it (any of its keys); for every other caller it does not exist (404).
 */
@Injectable()
export class GetTaxiiStatusUseCase {
  constructor(private readonly statuses: TaxiiStatusRepository) {}

  async execute(actor: Actor, id: string): Promise<TaxiiStatusResource> {
    const record = await this.statuses.findOwn(actor.orgId, id);
    if (!record) {
      throw new NotFound('taxii-status');
    }
    return statusResource(record);
  }
}
