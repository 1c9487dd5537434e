import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db, PublishLogRepository } from '@tocsin/db';
import {
  FALSE_POSITIVE_REPORTER_TRUST,
  applyFeedback,
  mayPerform,
  normalizeIndicator,
  parseFeedback,
  type Actor,
  type FeedbackType,
} from '@tocsin/domain';
import { OrgDirectory } from '@tocsin/orgs';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid, NotFound, SocketBroadcaster } from '@tocsin/platform';
import { AlertStore } from './alert-store';
import { mayView, reviewerMinTrust } from './get-alert.use-case';

export interface FeedbackRecorded {
  readonly alertId: string;
  readonly type: FeedbackType;
  readonly indicator: string | null;
  /** False when this organisation had already given the same feedback: counted once. */
  readonly recorded: boolean;
  readonly sightingCount: number;
  readonly falsePositiveCount: number;
  readonly confidence: number | null;
  readonly indicatorFlaggedFalsePositive: boolean;
}

/**
 * POST /api/v1/alerts/:id/sightings: a recipient reports a sighting or a false positive, on the alert or one of
 * its indicators. Each organisation counts once per target; confidence moves by the reporter's trust (shown on REST
 * and in the `sighting` event; not a revision: reports on each indicator of a large alert would each make a new
 * version of all its objects); the submitter is told with a `sighting` event (its own seq, to the submitter only);
 * false positives from enough trusted organisations flag the indicator `false-positive` for everyone.
 */
@Injectable()
export class ReportFeedbackUseCase {
  private readonly log = new Logger(ReportFeedbackUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly orgs: OrgDirectory,
    private readonly publishLog: PublishLogRepository,
    private readonly sockets: SocketBroadcaster,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, alertId: string, body: unknown): Promise<FeedbackRecorded> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const input = parseFeedback(body);
    if (!input.ok) {
      throw new Invalid(input.error);
    }
    const { type, indicator } = input.value;
    const result = await this.db.transaction(async (tx) => {
      const a = await this.alerts.lock(alertId, tx);
      if (!a || a.status !== 'published' || !mayView(actor, a, reviewerMinTrust(this.config))) {
        throw new NotFound('alert');
      }
      if (a.sourceOrgId === actor.orgId) {
        throw new Forbidden('sightings and false positives are reported by recipients, not by the submitter');
      }
      let position = -1;
      if (indicator !== null) {
        const n = normalizeIndicator({ value: indicator });
        const found =
          n.canonicalValue === null ? null : await this.alerts.feedback.position(a.id, n.type, n.canonicalValue, tx);
        if (found === null) {
          throw new Invalid([{ pointer: '/indicator', detail: 'is not an indicator of this alert' }]);
        }
        position = found;
      }
      const recorded = await this.alerts.feedback.insert(
        { alertId: a.id, orgId: actor.orgId, keyId: actor.keyId, type, position },
        tx,
      );
      const counts = await this.alerts.feedback.count(a.id, tx);
      const confidence = recorded ? applyFeedback(a.confidence, type, actor.trustLevel) : a.confidence;
      await this.alerts.feedback.setCounts(a.id, counts, confidence, tx);
      let flagged = false;
      if (recorded && type === 'false-positive' && position >= 0) {
        const trusted = await this.alerts.feedback.trustedFalsePositiveOrgs(
          a.id,
          position,
          FALSE_POSITIVE_REPORTER_TRUST,
          tx,
        );
        if (trusted >= this.config.TOCSIN_FALSE_POSITIVE_MIN_ORGS) {
          await this.alerts.feedback.flag(a.id, position, 'false-positive', tx);
          flagged = true;
        }
      }
      let seq: number | null = null;
      if (recorded) {
        const reporter = await this.orgs.find(actor.orgId, tx);
        // To the submitter only: a RED-shaped audience with no named recipient.
        seq = await this.publishLog.append(
          {
            event: 'sighting',
            alertId: a.id,
            tlp: 'RED',
            sourceOrgId: a.sourceOrgId,
            recipients: [],
            payload: {
              alertId: a.id,
              type,
              indicator,
              reporter: { id: actor.orgId, country: reporter?.country ?? null },
              sightingCount: counts.sightings,
              falsePositiveCount: counts.falsePositives,
              confidence,
              at: new Date().toISOString(),
            },
          },
          tx,
        );
      }
      return { seq, recorded, counts, confidence, flagged };
    });
    if (result.seq !== null) {
      this.sockets.published(String(result.seq));
    }
    this.log.log({ alertId, type, recorded: result.recorded, by: actor.keyId }, 'feedback reported');
    return {
      alertId,
      type,
      indicator,
      recorded: result.recorded,
      sightingCount: result.counts.sightings,
      falsePositiveCount: result.counts.falsePositives,
      confidence: result.confidence,
      indicatorFlaggedFalsePositive: result.flagged,
    };
  }
}
