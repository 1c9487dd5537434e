import { Injectable } from '@nestjs/common';
import type { Tx } from '@tocsin/db';
import { OrgRepository, type Org } from './org.repository';
import { ApiKeyRepository } from './api-key.repository';

/** Read-only look-ups other contexts need (an org's current trust, whether keys still stand). */
@Injectable()
export class OrgDirectory {
  constructor(
    private readonly orgs: OrgRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  /** Pass the caller's transaction when inside one: a second pooled connection there can deadlock the pool. */
  find(id: string, tx?: Tx): Promise<Org | null> {
    return this.orgs.findById(id, tx);
  }

  findMany(ids: readonly string[], tx?: Tx): Promise<Org[]> {
    return this.orgs.findByIds(ids, tx);
  }

  validKeys(ids: readonly string[]): Promise<Set<string>> {
    return this.keys.stillValid(ids);
  }
}
