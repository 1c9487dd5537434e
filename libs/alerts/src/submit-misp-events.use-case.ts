import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  chooseFormat,
  mayPerform,
  parseSubmissionQuery,
  rebaseMispIssue,
  splitMispEvents,
  type Actor,
  type ComposedSubmission,
  type Issue,
  type MispEventPart,
  type SubmittedBody,
} from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid } from '@tocsin/platform';
import { Db } from '@tocsin/db';
import { IdempotencyRepository } from './idempotency.repository';
import { SubmitAlertUseCase, type SubmissionAccepted, type SubmissionInput } from './submit-alert.use-case';

/** One alert of a several-event submission: the one-event answer, plus where its event stands in the body. */
export interface EventAccepted extends SubmissionAccepted {
  /** JSON pointer of the event in the body (`/response/2`); the alert's own pointers are relative to it. */
  readonly event: string;
}

/** The answer to a body of several MISP events: the alerts created, and the events refused (with full pointers). */
export interface EventsAccepted {
  readonly alerts: readonly EventAccepted[];
  readonly failed: readonly Issue[];
}

function parsed(body: SubmittedBody): unknown {
  if (body.kind === 'json') {
    return body.value;
  }
  try {
    return JSON.parse(body.value) as unknown;
  } catch {
    return undefined; // the one-event path answers the JSON error
  }
}

/**
 * The events of a body that holds several MISP events (a restSearch answer, a list of events), or undefined for
 * any other body: the one test the submission and its preview both make before reading a body as one alert.
 */
export function mispEventsIn(input: SubmissionInput): ReturnType<typeof splitMispEvents> | undefined {
  const format = chooseFormat(input.contentType, input.query.format);
  return format.ok && format.value === 'misp' ? splitMispEvents(parsed(input.body)) : undefined;
}

/**
 * A submission, with several MISP events in one body (a restSearch answer, a list of events) made one alert per
 * event. Every other body goes to {@link SubmitAlertUseCase} untouched. Each event is validated exactly as if it had
 * been submitted alone with the same query; events that fail are listed with their pointer in the body, and the
 * valid ones are committed together in one transaction (with the `Idempotency-Key`'s record of the whole answer);
 * when none is valid the answer is the 400 of them all. At most TOCSIN_MAX_EVENTS_PER_SUBMISSION events, and TOCSIN_MAX_INDICATORS indicators in all.
 */
@Injectable()
export class SubmitMispEventsUseCase {
  private readonly log = new Logger(SubmitMispEventsUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly submitAlert: SubmitAlertUseCase,
    private readonly idempotency: IdempotencyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(
    actor: Actor,
    input: SubmissionInput,
    requestId: string | null,
  ): Promise<SubmissionAccepted | EventsAccepted> {
    const parts = mispEventsIn(input);
    if (parts === undefined) {
      return this.submitAlert.execute(actor, input, requestId);
    }
    if (!mayPerform(actor, 'alert.submit')) {
      throw new Forbidden('this key may not submit alerts (role operator required)');
    }
    const query = parseSubmissionQuery(input.query);
    if (!query.ok) {
      throw new Invalid(query.error, 'invalid-query');
    }
    this.checkEventCount(parts);
    const prepared: { part: MispEventPart; submission: ComposedSubmission }[] = [];
    const failed: Issue[] = [];
    for (const part of parts) {
      const one: SubmissionInput = { ...input, body: { kind: 'json', value: part.document }, idempotency: null };
      try {
        prepared.push({ part, submission: await this.submitAlert.prepare(actor, one) });
      } catch (e) {
        if (!(e instanceof Invalid)) {
          throw e;
        }
        const issues = e.errors.length > 0 ? e.errors : [{ pointer: '', detail: e.message }];
        failed.push(...issues.map((i) => rebaseMispIssue(i, part.pointer)));
      }
    }
    this.checkIndicatorTotal(parts, prepared);
    if (prepared.length === 0) {
      throw new Invalid(failed.slice(0, 100), 'invalid-body', `none of the ${parts.length} MISP events is valid`);
    }
    // Every valid event commits in one transaction, with the Idempotency-Key's claim and the whole answer:
    // a retried body gets the same alerts, never a second set, and a failure part-way creates none.
    const answer = await this.db.transaction(async (tx) => {
      await this.idempotency.claim(tx, actor.orgId, input.idempotency);
      const alerts: EventAccepted[] = [];
      for (const { part, submission } of prepared) {
        alerts.push({ ...(await this.submitAlert.persist(tx, actor, submission, requestId)), event: part.pointer });
      }
      const all: EventsAccepted = { alerts, failed: failed.slice(0, 1000) };
      await this.idempotency.record(tx, actor.orgId, input.idempotency, all);
      return all;
    });
    prepared.forEach(({ submission }, i) => {
      const id = answer.alerts[i]?.id;
      if (id) {
        this.submitAlert.accepted(actor, submission, id, requestId);
      }
    });
    this.log.log(
      { orgId: actor.orgId, events: parts.length, alerts: answer.alerts.length, requestId },
      'misp events accepted',
    );
    return answer;
  }

  /**
   * Refuses the whole body before any event is read: more events than TOCSIN_MAX_EVENTS_PER_SUBMISSION (the
   * submission and its preview both check it).
   */
  checkEventCount(parts: readonly MispEventPart[]): void {
    const maxEvents = this.config.TOCSIN_MAX_EVENTS_PER_SUBMISSION;
    if (parts.length > maxEvents) {
      throw new Invalid([
        {
          pointer: containerOf(parts),
          detail: `holds ${parts.length} MISP events; at most ${maxEvents} are accepted in one submission`,
        },
      ]);
    }
  }

  /**
   * Refuses the whole body before anything is created when its read events hold more than TOCSIN_MAX_INDICATORS
   * indicators in all (each event was read once, by prepare; they are not read again here).
   */
  checkIndicatorTotal(parts: readonly MispEventPart[], prepared: readonly { submission: ComposedSubmission }[]): void {
    const max = this.config.TOCSIN_MAX_INDICATORS;
    const total = prepared.reduce((n, p) => n + p.submission.indicators.length, 0);
    if (total > max) {
      throw new Invalid([
        {
          pointer: containerOf(parts),
          detail: `the events hold ${total} indicators in all; at most ${max} are accepted in one submission`,
        },
      ]);
    }
  }
}

/** The pointer of the list that holds the events (`/response`, or the body itself). */
function containerOf(parts: readonly MispEventPart[]): string {
  return (parts[0]?.pointer ?? '').replace(/\/0$/, '');
}
