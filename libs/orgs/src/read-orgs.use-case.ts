import { Inject, Injectable } from '@nestjs/common';
import { decideOrgAccess, mayPerform, type Actor } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid, NotFound } from '@tocsin/platform';
import { OrgRepository, isUuid, type Org, type RedRecipient } from './org.repository';

export interface OrgPage {
  readonly items: Org[];
  readonly nextCursor: string | null;
}

/** `GET /api/v1/recipients`. */
export interface RecipientList {
  readonly items: RedRecipient[];
}

/** At most this many recipients are listed (TOCSIN_MAX_RECIPIENTS bounds how many one alert names). */
export const MAX_LISTED_RECIPIENTS = 1000;

/** Lists and reads orgs: a hub admin sees every org, any other key only its own. */
@Injectable()
export class ReadOrgsUseCase {
  constructor(
    private readonly orgs: OrgRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The organisations a submitter may name on a TLP:RED alert, for those who may submit (operators): id, name and
   * country only, never a trust level, sector or the others. Listing them says that each may be named, which the
   * submission would tell anyway; the orgs left out are not told apart (unknown, suspended, or below the trust
   * TOCSIN_RED_RECIPIENT_MIN_TRUST asks), as the submission's refusal does not tell them apart either.
   */
  async recipients(actor: Actor): Promise<RecipientList> {
    if (!mayPerform(actor, 'alert.submit')) {
      throw new Forbidden('this key may not submit alerts (role operator required)');
    }
    const items = await this.orgs.redRecipients(
      this.config.TOCSIN_RED_RECIPIENT_MIN_TRUST,
      actor.orgId,
      MAX_LISTED_RECIPIENTS,
    );
    return { items };
  }

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
