import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db, Outbox, type Tx } from '@tocsin/db';
import {
  chooseFormat,
  firstJob,
  composeSubmission,
  importDocument,
  mayPerform,
  parseSubmissionQuery,
  refusedRecipients,
  type Actor,
  type ComposedSubmission,
  type IdempotencyClaim,
  type Issue,
  type RsitVocabulary,
  type SubmittedBody,
} from '@tocsin/domain';
import { OrgDirectory } from '@tocsin/orgs';
import {
  APP_CONFIG,
  type AppConfig,
  CrashPoints,
  errorFacts,
  Forbidden,
  Invalid,
  Metrics,
  UnsupportedMediaType,
} from '@tocsin/platform';
import { alertJob, JobDispatcher, JOBS, type DispatchJob } from '@tocsin/queues';
import { AlertRepository, type NewAlert } from './alert.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { RSIT } from './taxonomies';

export interface SubmissionAccepted {
  readonly id: string;
  readonly status: 'queued';
  readonly format: string;
  readonly indicators: number;
  readonly tlp: string;
  readonly tlpDefaulted: boolean;
  /** Parts of the document the hub could not use (pointer + why); never silently dropped. */
  readonly unsupported: readonly Issue[];
}

export interface SubmissionInput {
  readonly body: SubmittedBody;
  readonly contentType: string | undefined;
  readonly query: Record<string, unknown>;
  /** From `Idempotency-Key`: the answer is recorded in the alert's transaction, and a retry gets it again. */
  readonly idempotency?: IdempotencyClaim | null;
}

/** What `write` committed: the answer, and the one-hop job the api hands to BullMQ itself (when it does). */
interface Written {
  readonly answer: SubmissionAccepted;
  readonly direct: { readonly alertId: string; readonly job: DispatchJob } | null;
}

/**
 * Accepts a submission in any supported format: the importer reads it (4xx naming where and why), the
 * query fills what the format cannot carry, then the alert, its raw indicators and its first job commit in
 * one transaction (the transactional outbox), so an accepted alert is never lost, even while Redis is away.
 * A small alert's one-hop job is then handed to BullMQ at once by `execute` (no relay pass on its way); its outbox
 * row stays as the fallback, due to the relay only after TOCSIN_OUTBOX_DIRECT_GRACE_MS, and the job deletes it.
 */
@Injectable()
export class SubmitAlertUseCase {
  private readonly log = new Logger(SubmitAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly outbox: Outbox,
    private readonly orgs: OrgDirectory,
    private readonly metrics: Metrics,
    private readonly dispatcher: JobDispatcher,
    private readonly crash: CrashPoints,
    @Inject(RSIT) private readonly rsit: RsitVocabulary,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, input: SubmissionInput, requestId: string | null): Promise<SubmissionAccepted> {
    const s = await this.prepare(actor, input);
    const grace = this.config.TOCSIN_OUTBOX_DIRECT_GRACE_MS > 0 ? this.config.TOCSIN_OUTBOX_DIRECT_GRACE_MS : null;
    // Most submissions are one statement (the alert, its indicators, its job: atomic on its own, no transaction); an
    // Idempotency-Key's claim and record, or a large alert's batches, need the transaction around them.
    const written =
      !input.idempotency && s.indicators.length <= ONE_STATEMENT_MAX
        ? await this.write(undefined, actor, s, requestId, grace)
        : await this.db.transaction(async (tx) => {
            await this.idempotency.claim(tx, actor.orgId, input.idempotency);
            const one = await this.write(tx, actor, s, requestId, grace);
            await this.idempotency.record(tx, actor.orgId, input.idempotency, one.answer);
            return one;
          });
    this.accepted(actor, s, written.answer.id, requestId);
    if (written.direct) {
      this.dispatch(written.direct.alertId, written.direct.job);
    }
    return written.answer;
  }

  /**
   * After the commit: the one-hop job goes to BullMQ now, without waiting (the answer does not depend on Redis). Should
   * it not get there, its outbox row becomes due to the relay after the grace period: nothing is lost.
   */
  private dispatch(alertId: string, job: DispatchJob): void {
    this.crash.reach('submit.after-commit');
    this.dispatcher.later(JOBS['alert.process'], [job], (e) => {
      this.metrics.jobsDispatched.inc({ outcome: 'failed' });
      this.log.warn(
        { alertId, error: errorFacts(e) },
        'could not hand the job to BullMQ; the outbox relay sends it after the grace period',
      );
    });
    this.metrics.jobsDispatched.inc({ outcome: 'started' });
  }

  /**
   * Everything short of writing: the key's role, the format, the query, the import and the composed alert, the
   * RED recipients. Throws the 4xx that names what is wrong; writes nothing.
   */
  async prepare(actor: Actor, input: SubmissionInput): Promise<ComposedSubmission> {
    if (!mayPerform(actor, 'alert.submit')) {
      throw new Forbidden('this key may not submit alerts (role operator required)');
    }
    const format = chooseFormat(input.contentType, input.query.format);
    if (!format.ok) {
      if (format.error.status === 415) {
        throw new UnsupportedMediaType(format.error.detail);
      }
      throw new Invalid([{ pointer: format.error.pointer, detail: format.error.detail }], 'invalid-query');
    }
    const query = parseSubmissionQuery(input.query);
    if (!query.ok) {
      throw new Invalid(query.error, 'invalid-query');
    }
    const limits = {
      maxIndicators: this.config.TOCSIN_MAX_INDICATORS,
      maxRecipients: this.config.TOCSIN_MAX_RECIPIENTS,
    };
    const imported = importDocument(format.value, input.body, limits, this.rsit);
    if (!imported.ok) {
      throw new Invalid(imported.error.slice(0, 100), 'invalid-body', `the ${format.value} document is invalid`);
    }
    const composed = composeSubmission(imported.value, query.value, limits, (c) => this.rsit.check(c));
    if (!composed.ok) {
      throw new Invalid(composed.error);
    }
    const s = composed.value;
    if (s.recipients.length > 0) {
      const known = new Map((await this.orgs.findMany(s.recipients)).map((o) => [o.id.toLowerCase(), o.trustLevel]));
      const refused = refusedRecipients(s, known, this.config.TOCSIN_RED_RECIPIENT_MIN_TRUST);
      if (refused.length > 0) {
        throw new Invalid(refused);
      }
    }
    return s;
  }

  /**
   * Writes one prepared alert, its raw indicators and its first job (the transactional outbox) in the caller's
   * transaction; the answer is what the submitter gets.
   */
  async persist(tx: Tx, actor: Actor, s: ComposedSubmission, requestId: string | null): Promise<SubmissionAccepted> {
    return (await this.write(tx, actor, s, requestId, null)).answer;
  }

  /**
   * `persist`, in `tx` or (for at most ONE_STATEMENT_MAX indicators) in one statement of its own. With `graceMs`, a
   * one-hop job's outbox row is due only that much later, and the job is returned for the caller to dispatch once
   * committed.
   */
  private async write(
    tx: Tx | undefined,
    actor: Actor,
    s: ComposedSubmission,
    requestId: string | null,
    graceMs: number | null,
  ): Promise<Written> {
    const values: NewAlert = {
      sourceOrgId: actor.orgId,
      attribution: s.attribution ?? this.config.TOCSIN_DEFAULT_ATTRIBUTION,
      title: s.title,
      description: s.description,
      severity: s.severity,
      confidence: s.confidence,
      tlp: s.tlp,
      tlpDefaulted: s.tlpDefaulted,
      classificationTaxonomy: s.classification?.taxonomy ?? null,
      classificationType: s.classification?.type ?? null,
      sectors: [...s.sectors],
      countries: [...s.countries],
      firstSeen: s.firstSeen ? new Date(s.firstSeen) : null,
      lastSeen: s.lastSeen ? new Date(s.lastSeen) : null,
      validUntil: s.validUntil ? new Date(s.validUntil) : null,
      references: [...s.references],
      unsupported: [...s.unsupported],
      recipients: s.recipients,
      sourceFormat: s.format,
      requestId,
      indicatorCount: s.indicators.length,
    };
    // A small alert goes in one hop (normalized, vetted and published by one job, in one transaction); a large one
    // takes the chunked path, one job per stage.
    const first = firstJob(s.indicators.length, this.config.TOCSIN_ONE_HOP_MAX_INDICATORS);
    if (s.indicators.length <= ONE_STATEMENT_MAX) {
      const id = randomUUID();
      const job = alertJob(first, { alertId: id, requestId });
      const direct = first === 'alert.process' ? graceMs : null;
      const outboxId = await this.alerts.insertSubmitted(id, values, s.indicators, job, direct, tx);
      return {
        answer: accepted(id, s),
        direct:
          direct === null
            ? null
            : {
                alertId: id,
                job: { name: job.name, jobId: job.jobId, payload: { ...job.payload, outboxId }, orgId: actor.orgId },
              },
      };
    }
    if (!tx) {
      throw new Error('a large submission is written in a transaction'); // a bug in the caller
    }
    const a = await this.alerts.insert(values, tx);
    await this.alerts.insertRawIndicators(a.id, s.indicators, tx);
    await this.outbox.enqueue(tx, alertJob(first, { alertId: a.id, requestId }));
    return { answer: accepted(a.id, s), direct: null };
  }

  /** After the commit: counts and logs one accepted alert (ids and counts only). */
  accepted(actor: Actor, s: ComposedSubmission, alertId: string, requestId: string | null): void {
    this.metrics.alertsSubmitted.inc();
    this.log.log(
      { alertId, orgId: actor.orgId, format: s.format, indicators: s.indicators.length, requestId },
      'alert accepted',
    );
  }
}

/** Indicators that one statement writes with their alert and job (AlertRepository.insertSubmitted). */
const ONE_STATEMENT_MAX = 10_000;

function accepted(id: string, s: ComposedSubmission): SubmissionAccepted {
  return {
    id,
    status: 'queued',
    format: s.format,
    indicators: s.indicators.length,
    tlp: s.tlp,
    tlpDefaulted: s.tlpDefaulted,
    unsupported: s.unsupported,
  };
}
