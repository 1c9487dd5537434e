import { Injectable } from '@nestjs/common';
import { decideOrgAccess, type Actor } from '@tocsin/domain';
import { Forbidden, Invalid, NotFound } from '@tocsin/platform';
import { OrgRepository, isUuid, type Org } from './org.repository';

export interface OrgPage {
  readonly items: Org[];
  readonly nextCursor: string | null;
}

/** Lists and reads orgs: a hub admin sees every org, any other key only its own. */
@Injectable()
export class ReadOrgsUseCase {
  constructor(private readonly orgs: OrgRepository) {}

  async list(actor: Actor, limit: number, cursor: string | null): Promise<OrgPage> {
    const all = decideOrgAccess(actor, '', 'org.manage') === 'allow';
    if (!all && decideOrgAccess(actor, actor.orgId, 'org.read-own') !== 'allow') {
      throw new Forbidden();
    }
    if (cursor !== null && !isUuid(cursor)) {
      throw new Invalid([{ pointer: '/cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
    }
    const items = await this.orgs.list(limit + 1, cursor, all ? null : actor.orgId);
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  async get(actor: Actor, id: string): Promise<Org> {
    const d = decideOrgAccess(actor, id, 'org.read-own');
    if (d === 'forbidden') {
      throw new Forbidden();
    }
    const org = d === 'allow' ? await this.orgs.findById(id) : null;
    if (!org) {
      throw new NotFound('org');
    }
    return org;
  }
}
