import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/platform';
import type { Tx } from '@tocsin/db';
import { OrgRepository, type Org } from './org.repository';
import { ApiKeyRepository } from './api-key.repository';
import { SessionRepository } from './session.repository';
import { sessionPolicy } from './sessions.use-case';

/** Read-only look-ups other contexts need (an org's current trust, whether keys still stand). */
@Injectable()
export class OrgDirectory {
  constructor(
    private readonly orgs: OrgRepository,
    private readonly keys: ApiKeyRepository,
    private readonly sessions: SessionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Pass the caller's transaction when inside one: a second pooled connection there can deadlock the pool. */
  find(id: string, tx?: Tx): Promise<Org | null> {
    return this.orgs.findById(id, tx);
  }

  findMany(ids: readonly string[], tx?: Tx): Promise<Org[]> {
    return this.orgs.findByIds(ids, tx);
  }

  /** Of these credential ids (API keys, or the sessions of sockets opened with a session), those still standing. */
  async validKeys(ids: readonly string[]): Promise<Set<string>> {
    const [keys, sessions] = await Promise.all([
      this.keys.stillValid(ids),
      this.sessions.stillLive(
        ids,
        new Date(),
        sessionPolicy(this.config).idleMs,
        this.config.TOCSIN_TOTP_REQUIRED_ROLES,
      ),
    ]);
    return new Set([...keys, ...sessions]);
  }
}
