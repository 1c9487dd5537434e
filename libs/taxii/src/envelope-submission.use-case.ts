import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RSIT, SubmitAlertUseCase } from '@tocsin/alerts';
import { Db } from '@tocsin/db';
import { mayPerform, type Actor, type ComposedSubmission, type RsitVocabulary } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid, TooLarge, Unprocessable } from '@tocsin/platform';
import {
  issuesMessage,
  notesByObject,
  readEnvelope,
  screenObjects,
  statusResource,
  type EnvelopeObject,
  type StatusObject,
  type TaxiiStatusResource,
} from './taxii-status';
import { TaxiiStatusRepository } from './taxii-status.repository';

/** The title of an alert whose objects name none (no report, grouping, named indicator or malware). */
export const TAXII_DEFAULT_TITLE = 'TAXII 2.1 submission';

/**
 * POST of a TAXII 2.1 envelope to the inbox collection: a submission through the normal pipeline, by the caller's
 * organisation with the caller's rights (an operator key, as `POST /api/v1/alerts`). Each object is first read
 * alone by the STIX importer: the ones it refuses are failures with its reason; the others become one STIX 2.1
 * bundle, submitted as one alert. The alert, its first job and the status (each object's id, version and refusal)
 * commit in one transaction before the 202, so the status outlives restarts; its pending objects follow the alert.
 */
@Injectable()
export class EnvelopeSubmissionUseCase {
  private readonly log = new Logger(EnvelopeSubmissionUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly submitAlert: SubmitAlertUseCase,
    private readonly statuses: TaxiiStatusRepository,
    @Inject(RSIT) private readonly rsit: RsitVocabulary,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, body: unknown, requestId: string | null): Promise<TaxiiStatusResource> {
    if (!mayPerform(actor, 'alert.submit')) {
      throw new Forbidden('this key may not add objects (role operator required)');
    }
    const requestTimestamp = new Date();
    const envelope = readEnvelope(body, requestTimestamp.toISOString());
    if (!envelope.ok) {
      const e = envelope.error;
      throw e.status === 413
        ? new TooLarge(e.detail)
        : new Unprocessable('unprocessable-envelope', e.pointer === '' ? e.detail : `${e.pointer}: ${e.detail}`);
    }
    const limits = {
      maxIndicators: this.config.TOCSIN_MAX_INDICATORS,
      maxRecipients: this.config.TOCSIN_MAX_RECIPIENTS,
    };
    const refusals = screenObjects(envelope.value, limits, this.rsit);
    const accepted = envelope.value.filter((_, i) => refusals[i] === null);
    const prepared = accepted.length === 0 ? null : await this.prepare(actor, accepted);

    const id = randomUUID();
    const objects = statusObjects(envelope.value, refusals, accepted, prepared);
    const alertId = await this.db.transaction(async (tx) => {
      const alert =
        prepared !== null && 'submission' in prepared
          ? await this.submitAlert.persist(tx, actor, prepared.submission, requestId)
          : null;
      await this.statuses.insert({ id, orgId: actor.orgId, alertId: alert?.id ?? null, requestTimestamp, objects }, tx);
      return alert?.id ?? null;
    });
    if (alertId !== null && prepared !== null && 'submission' in prepared) {
      this.submitAlert.accepted(actor, prepared.submission, alertId, requestId);
    }
    this.log.log(
      { statusId: id, alertId, orgId: actor.orgId, objects: objects.length, refused: objects.length - accepted.length },
      'taxii envelope accepted',
    );
    return statusResource({
      id,
      requestTimestamp,
      objects,
      alert: alertId === null ? null : { status: 'queued', statusReason: null },
    });
  }

  /** The accepted objects as one STIX bundle through the normal submission checks; a refusal is every object's. */
  private async prepare(
    actor: Actor,
    accepted: readonly EnvelopeObject[],
  ): Promise<{ submission: ComposedSubmission } | { refusal: string }> {
    const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: accepted.map((o) => o.value) };
    try {
      const submission = await this.submitAlert.prepare(actor, {
        body: { kind: 'json', value: bundle },
        contentType: 'application/stix+json;version=2.1',
        query: { title: TAXII_DEFAULT_TITLE },
      });
      return { submission };
    } catch (e) {
      if (e instanceof Invalid) {
        return {
          refusal: `the objects were refused together: ${issuesMessage(e.errors.length > 0 ? e.errors : [{ pointer: '', detail: e.message }])}`,
        };
      }
      throw e;
    }
  }
}

function statusObjects(
  all: readonly EnvelopeObject[],
  refusals: readonly (string | null)[],
  accepted: readonly EnvelopeObject[],
  prepared: { submission: ComposedSubmission } | { refusal: string } | null,
): StatusObject[] {
  const notes =
    prepared !== null && 'submission' in prepared
      ? notesByObject(prepared.submission.unsupported, accepted.length)
      : new Map<number, string>();
  let j = 0;
  return all.map((o, i) => {
    const base = { id: o.id, version: o.version };
    const refusal = refusals[i];
    if (refusal !== null && refusal !== undefined) {
      return { ...base, refusal };
    }
    const note = notes.get(j);
    j += 1;
    if (prepared !== null && 'refusal' in prepared) {
      return { ...base, refusal: prepared.refusal };
    }
    return note === undefined ? base : { ...base, note };
  });
}
