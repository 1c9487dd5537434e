import { Injectable } from '@nestjs/common';
import { parseApiKey, verifyApiKey, type Actor } from '@tocsin/domain';
import { ApiKeyRepository } from './api-key.repository';

/** Turns a presented API key into an Actor, or null (unknown, malformed, revoked, or org suspended). */
@Injectable()
export class AuthenticateKeyUseCase {
  constructor(private readonly keys: ApiKeyRepository) {}

  async execute(token: string | null | undefined): Promise<Actor | null> {
    if (typeof token !== 'string') {
      return null;
    }
    const parsed = parseApiKey(token);
    if (!parsed) {
      return null;
    }
    const rec = await this.keys.findForAuth(parsed.lookupId);
    if (!rec || !verifyApiKey(token, rec.keyHash) || rec.revokedAt) {
      return null;
    }
    if (rec.orgTrustLevel === 0 && !rec.orgIsHub) {
      return null;
    }
    return { keyId: rec.id, orgId: rec.orgId, role: rec.role, orgIsHub: rec.orgIsHub, trustLevel: rec.orgTrustLevel };
  }
}
