import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db } from '@tocsin/db';
import {
  constituencySize,
  decideOrgAccess,
  EMPTY_CONSTITUENCY,
  parseConstituency,
  type Actor,
  type Constituency,
  auditActor,
} from '@tocsin/domain';
import { AuditTrail, OrgDirectory } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid, NotFound } from '@tocsin/platform';
import { ConstituencyRepository, type StoredConstituency } from './constituency.repository';

/** An org's constituency as the API shows it; `version` 0 and `updatedAt` null when it never set one. */
export interface ConstituencyView extends Constituency {
  readonly orgId: string;
  readonly version: number;
  readonly updatedAt: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toView = (orgId: string, c: StoredConstituency | null): ConstituencyView => ({
  orgId,
  countries: c?.countries ?? EMPTY_CONSTITUENCY.countries,
  asns: c?.asns ?? EMPTY_CONSTITUENCY.asns,
  cidrs: c?.cidrs ?? EMPTY_CONSTITUENCY.cidrs,
  domains: c?.domains ?? EMPTY_CONSTITUENCY.domains,
  version: c?.version ?? 0,
  updatedAt: c?.updatedAt.toISOString() ?? null,
});

const counts = (c: Constituency | null) => ({
  countries: c?.countries.length ?? 0,
  asns: c?.asns.length ?? 0,
  cidrs: c?.cidrs.length ?? 0,
  domains: c?.domains.length ?? 0,
});

/** The org's own admin or a hub admin; another org is a 404 (no existence leak), a role without the right a 403. */
async function authorize(actor: Actor, orgId: string, orgs: OrgDirectory): Promise<void> {
  const d = decideOrgAccess(actor, orgId, 'constituency.manage');
  if (d === 'forbidden') {
    throw new Forbidden('only the organisation’s admins and the hub’s admins manage its constituency');
  }
  if (d === 'not-found' || !UUID.test(orgId) || !(await orgs.find(orgId))) {
    throw new NotFound('org');
  }
}

/** Reads an organisation's constituency. */
@Injectable()
export class GetConstituencyUseCase {
  constructor(
    private readonly orgs: OrgDirectory,
    private readonly constituencies: ConstituencyRepository,
  ) {}

  async execute(actor: Actor, orgId: string): Promise<ConstituencyView> {
    await authorize(actor, orgId, this.orgs);
    return toView(orgId, await this.constituencies.findForOrg(orgId));
  }
}

/**
 * Replaces an organisation's constituency with the one given (validated and normalized; every kind optional), and
 * records the change, counts only, in the audit trail. Gateways see the new version on the next alert they route.
 */
@Injectable()
export class SetConstituencyUseCase {
  private readonly log = new Logger(SetConstituencyUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly orgs: OrgDirectory,
    private readonly constituencies: ConstituencyRepository,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, orgId: string, body: unknown): Promise<ConstituencyView> {
    await authorize(actor, orgId, this.orgs);
    const parsed = parseConstituency(body, this.config.TOCSIN_CONSTITUENCY_MAX_ENTRIES);
    if (!parsed.ok) {
      throw new Invalid(parsed.error);
    }
    const stored = await this.db.transaction(async (tx) => {
      const before = await this.constituencies.findForOrg(orgId, tx);
      const after = await this.constituencies.replace(orgId, parsed.value, tx);
      await this.audit.record(
        {
          action: 'org.constituency-changed',
          ...auditActor(actor),
          subjectOrgId: orgId,
          oldValue: { version: before?.version ?? 0, ...counts(before) },
          newValue: { version: after.version, ...counts(after) },
          reason: 'constituency replaced through the API',
        },
        tx,
      );
      return after;
    });
    this.log.log(
      { orgId, version: stored.version, entries: constituencySize(stored), by: actor.keyId },
      'constituency set',
    );
    return toView(orgId, stored);
  }
}
