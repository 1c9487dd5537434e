import { Injectable, Logger } from '@nestjs/common';
import { decideOrgAccess, parseCreateOrg, type Actor } from '@tocsin/domain';
import { Conflict, Forbidden, Invalid } from '@tocsin/platform';
import { OrgRepository, type Org } from './org.repository';

@Injectable()
export class CreateOrgUseCase {
  private readonly log = new Logger(CreateOrgUseCase.name);

  constructor(private readonly orgs: OrgRepository) {}

  async execute(actor: Actor, body: unknown): Promise<Org> {
    if (decideOrgAccess(actor, actor.orgId, 'org.manage') !== 'allow') {
      throw new Forbidden('only the hub’s admins may create organisations');
    }
    const parsed = parseCreateOrg(body);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    const org = await this.orgs.insert(parsed.value);
    if (org === 'name-taken') {
      throw new Conflict('org-name-taken', 'an organisation with this name exists');
    }
    this.log.log({ orgId: org.id, trustLevel: org.trustLevel, by: actor.keyId }, 'org created');
    return org;
  }
}
