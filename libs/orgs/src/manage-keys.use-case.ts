import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { decideOrgAccess, generateApiKey, hashApiKey, isUuid, parseCreateKey, type Actor } from '@tocsin/domain';
import { Conflict, Forbidden, Invalid, NotFound, SocketBroadcaster } from '@tocsin/platform';
import { ApiKeyRepository, type KeySummary } from './api-key.repository';
import { OrgRepository } from './org.repository';

async function authorize(orgs: OrgRepository, actor: Actor, orgId: string): Promise<void> {
  const d = decideOrgAccess(actor, orgId, 'key.manage');
  if (d === 'forbidden') {
    throw new Forbidden('only admins may manage keys');
  }
  if (d === 'not-found' || !(await orgs.findById(orgId))) {
    throw new NotFound('org');
  }
}

/** Issues a key: the secret is returned this once and stored only as a hash. */
@Injectable()
export class CreateApiKeyUseCase {
  private readonly log = new Logger(CreateApiKeyUseCase.name);

  constructor(
    private readonly orgs: OrgRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  async execute(actor: Actor, orgId: string, body: unknown): Promise<KeySummary & { key: string }> {
    await authorize(this.orgs, actor, orgId);
    const parsed = parseCreateKey(body);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    const { key, lookupId } = generateApiKey((n) => randomBytes(n));
    const saved = await this.keys.insert({
      orgId,
      role: parsed.value.role,
      lookupId,
      keyHash: hashApiKey(key),
      label: parsed.value.label,
    });
    this.log.log({ orgId, keyId: saved.id, role: saved.role, by: actor.keyId }, 'api key created');
    return { ...saved, key };
  }
}

/** Revokes a key at once: HTTP stops accepting it and every gateway drops its sockets. */
@Injectable()
export class RevokeApiKeyUseCase {
  private readonly log = new Logger(RevokeApiKeyUseCase.name);

  constructor(
    private readonly orgs: OrgRepository,
    private readonly keys: ApiKeyRepository,
    private readonly sockets: SocketBroadcaster,
  ) {}

  async execute(actor: Actor, orgId: string, keyId: string): Promise<KeySummary> {
    await authorize(this.orgs, actor, orgId);
    if (!isUuid(keyId)) {
      throw new NotFound('key');
    }
    const org = await this.orgs.findById(orgId);
    if (org?.isHub && (await this.keys.otherActiveAdmins(orgId, keyId)) === 0) {
      const target = (await this.keys.listForOrg(orgId)).find((k) => k.id === keyId);
      if (target?.role === 'admin' && !target.revokedAt) {
        throw new Conflict('last-hub-admin-key', 'this is the hub’s last admin key: issue another before revoking it');
      }
    }
    const revoked = await this.keys.revoke(orgId, keyId);
    if (!revoked) {
      throw new NotFound('key');
    }
    this.sockets.disconnectKey(keyId);
    this.log.log({ orgId, keyId, by: actor.keyId }, 'api key revoked');
    return revoked;
  }
}

@Injectable()
export class ListApiKeysUseCase {
  constructor(
    private readonly orgs: OrgRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  async execute(actor: Actor, orgId: string): Promise<KeySummary[]> {
    await authorize(this.orgs, actor, orgId);
    return this.keys.listForOrg(orgId);
  }
}
