import { Injectable, Logger } from '@nestjs/common';
import { RevokeAlertUseCase } from '@tocsin/alerts';
import { mayPerform, type Actor } from '@tocsin/domain';
import { AppError, Forbidden, NotFound } from '@tocsin/platform';
import { INBOX_COLLECTION_ID } from './collections';
import { TaxiiObjectsUseCase } from './objects.use-case';
import { TaxiiStatusRepository, type SubmittedObjectAlert } from './taxii-status.repository';

/** The `match[version]` and `match[spec_version]` filters of a TAXII DELETE (each a comma-separated list). */
export interface DeleteFilters {
  readonly version?: readonly string[];
  readonly specVersion?: readonly string[];
}

/** Keeps the submissions of the versions asked for: `all`, `first`, `last` or exact timestamps (default: all). */
export function selectVersions(found: readonly SubmittedObjectAlert[], filters: DeleteFilters): SubmittedObjectAlert[] {
  if (filters.specVersion && !filters.specVersion.includes('2.1')) {
    return []; // every object the hub takes is STIX 2.1
  }
  const wanted = filters.version;
  if (!wanted || wanted.length === 0 || wanted.includes('all')) {
    return [...found];
  }
  const ordered = [...found].sort((a, b) => a.version.localeCompare(b.version));
  const first = ordered[0]?.version;
  const last = ordered.at(-1)?.version;
  return found.filter(
    (f) =>
      wanted.includes(f.version) ||
      (wanted.includes('first') && f.version === first) ||
      (wanted.includes('last') && f.version === last),
  );
}

/** The filters as the object endpoint reads them (`match[version]=a,b`). */
function asQuery(filters: DeleteFilters): [string, string][] {
  return [
    ...(filters.version ? [['match[version]', filters.version.join(',')] as [string, string]] : []),
    ...(filters.specVersion ? [['match[spec_version]', filters.specVersion.join(',')] as [string, string]] : []),
  ];
}

/**
 * DELETE {api-root}/collections/{inbox}/objects/{object-id}/: withdraws an object of the caller's organisation. The
 * hub keeps no STIX object on its own: the objects of an envelope became one alert, so deleting one revokes that
 * alert (as `POST /api/v1/alerts/:id/revoke` does: recipients get `alert-revoked`, TAXII readers see its objects
 * `revoked: true`). The id is one the organisation sent over TAXII (its status records it), or one the inbox serves
 * (the hub's export of the organisation's alerts, whatever format they were sent in). Only an operator of the
 * organisation may; any other id (or one whose alert is already revoked or rejected) is a 404.
 */
@Injectable()
export class DeleteTaxiiObjectUseCase {
  private readonly log = new Logger(DeleteTaxiiObjectUseCase.name);

  constructor(
    private readonly statuses: TaxiiStatusRepository,
    private readonly revokeAlert: RevokeAlertUseCase,
    private readonly objects: TaxiiObjectsUseCase,
  ) {}

  async execute(actor: Actor, objectId: string, filters: DeleteFilters): Promise<void> {
    if (!mayPerform(actor, 'alert.submit')) {
      throw new Forbidden('this key may not delete objects (role operator required)');
    }
    const sent = await this.statuses.alertsHolding(actor.orgId, objectId);
    const alertIds =
      sent.length > 0
        ? [...new Set(selectVersions(sent, filters).map((f) => f.alertId))]
        : await this.objects.alertsServing(actor, INBOX_COLLECTION_ID, objectId, asQuery(filters));
    let revoked = 0;
    for (const alertId of alertIds) {
      try {
        await this.revokeAlert.execute(actor, alertId, { reason: `object ${objectId} deleted over TAXII` });
        revoked += 1;
      } catch (e) {
        // Already revoked or rejected: that submission of the object is gone already.
        if (!(e instanceof AppError && e.code === 'alert-final')) {
          throw e;
        }
      }
    }
    if (revoked === 0) {
      throw new NotFound('object');
    }
    this.log.log({ orgId: actor.orgId, alerts: revoked }, 'taxii object deleted');
  }
}
