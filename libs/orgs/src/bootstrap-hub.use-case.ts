import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BOOTSTRAP_LOCK, Db } from '@tocsin/db';
import { generateApiKey, hashApiKey, parseApiKey } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import { ApiKeyRepository } from './api-key.repository';
import { OrgRepository } from './org.repository';

export type BootstrapOutcome =
  | { readonly created: false }
  | { readonly created: true; readonly orgId: string; readonly generatedKey: string | null };

/**
 * On first start with an empty database: the hub's own organisation (trust 4) and an admin key, the one
 * from TOCSIN_BOOTSTRAP_ADMIN_KEY or a generated one (returned, to be printed once). Runs under an advisory
 * lock, so processes starting together create it once.
 */
@Injectable()
export class BootstrapHubUseCase {
  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
    private readonly keys: ApiKeyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<BootstrapOutcome> {
    return this.db.transaction(async (tx) => {
      await this.orgs.lockBootstrap(tx, BOOTSTRAP_LOCK);
      if (await this.orgs.hubExists(tx)) {
        return { created: false };
      }
      const org = await this.orgs.insert(
        { name: this.config.TOCSIN_HUB_ORG_NAME, country: null, sector: null, trustLevel: 4, isHub: true },
        tx,
      );
      if (org === 'name-taken') {
        throw new Error('the hub organisation name is taken by a member organisation');
      }
      const given = this.config.TOCSIN_BOOTSTRAP_ADMIN_KEY;
      const generated = given ? null : generateApiKey((n) => randomBytes(n));
      const key = given ?? generated?.key ?? '';
      const lookupId = parseApiKey(key)?.lookupId;
      if (!lookupId) {
        throw new Error('bootstrap key is malformed');
      }
      await this.keys.insert(
        { orgId: org.id, role: 'admin', lookupId, keyHash: hashApiKey(key), label: 'bootstrap' },
        tx,
      );
      return { created: true, orgId: org.id, generatedKey: generated?.key ?? null };
    });
  }
}
