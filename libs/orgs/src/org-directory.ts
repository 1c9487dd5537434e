import { Injectable } from '@nestjs/common';
import { OrgRepository, type Org } from './org.repository';
import { ApiKeyRepository } from './api-key.repository';

/** Read-only look-ups other contexts need (an org's current trust, whether keys still stand). */
@Injectable()
export class OrgDirectory {
  constructor(
    private readonly orgs: OrgRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  find(id: string): Promise<Org | null> {
    return this.orgs.findById(id);
  }

  findMany(ids: readonly string[]): Promise<Org[]> {
    return this.orgs.findByIds(ids);
  }

  validKeys(ids: readonly string[]): Promise<Set<string>> {
    return this.keys.stillValid(ids);
  }
}
