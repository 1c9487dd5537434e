import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  chooseFormat,
  importDocument,
  mayPerform,
  parseSubmissionQuery,
  rebaseMispIssue,
  splitMispEvents,
  type Actor,
  type Issue,
  type MispEventPart,
  type RsitVocabulary,
  type SubmittedBody,
} from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid } from '@tocsin/platform';
import { RSIT } from './taxonomies';
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
 * A submission, with several MISP events in one body (a restSearch answer, a list of events) made one alert per
 * event. Every other body goes to {@link SubmitAlertUseCase} untouched, and so does each event: each is validated
 * and committed on its own, exactly as if it had been submitted alone with the same query. Events that fail are
 * listed with their pointer in the body while the others are created; when none can be created the answer is the
 * 400 of them all. At most TOCSIN_MAX_EVENTS_PER_SUBMISSION events, and TOCSIN_MAX_INDICATORS indicators in all.
 */
@Injectable()
export class SubmitMispEventsUseCase {
  private readonly log = new Logger(SubmitMispEventsUseCase.name);

  constructor(
    private readonly submitAlert: SubmitAlertUseCase,
    @Inject(RSIT) private readonly rsit: RsitVocabulary,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(
    actor: Actor,
    input: SubmissionInput,
    requestId: string | null,
  ): Promise<SubmissionAccepted | EventsAccepted> {
    const format = chooseFormat(input.contentType, input.query.format);
    const parts = format.ok && format.value === 'misp' ? splitMispEvents(parsed(input.body)) : undefined;
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
    this.checkBounds(parts);
    const alerts: EventAccepted[] = [];
    const failed: Issue[] = [];
    for (const part of parts) {
      const one: SubmissionInput = { ...input, body: { kind: 'json', value: part.document } };
      try {
        alerts.push({ ...(await this.submitAlert.execute(actor, one, requestId)), event: part.pointer });
      } catch (e) {
        if (!(e instanceof Invalid)) {
          throw e;
        }
        const issues = e.errors.length > 0 ? e.errors : [{ pointer: '', detail: e.message }];
        failed.push(...issues.map((i) => rebaseMispIssue(i, part.pointer)));
      }
    }
    this.log.log(
      { orgId: actor.orgId, events: parts.length, alerts: alerts.length, requestId },
      'misp events accepted',
    );
    if (alerts.length === 0) {
      throw new Invalid(failed.slice(0, 100), 'invalid-body', `none of the ${parts.length} MISP events is valid`);
    }
    return { alerts, failed: failed.slice(0, 1000) };
  }

  /** Refuses the whole body before anything is created: too many events, or too many indicators in all. */
  private checkBounds(parts: readonly MispEventPart[]): void {
    const maxEvents = this.config.TOCSIN_MAX_EVENTS_PER_SUBMISSION;
    const container = (parts[0]?.pointer ?? '').replace(/\/0$/, '');
    if (parts.length > maxEvents) {
      throw new Invalid([
        {
          pointer: container,
          detail: `holds ${parts.length} MISP events; at most ${maxEvents} are accepted in one submission`,
        },
      ]);
    }
    const limits = {
      maxIndicators: this.config.TOCSIN_MAX_INDICATORS,
      maxRecipients: this.config.TOCSIN_MAX_RECIPIENTS,
    };
    let total = 0;
    for (const part of parts) {
      const imported = importDocument('misp', { kind: 'json', value: part.document }, limits, this.rsit);
      total += imported.ok ? imported.value.indicators.length : 0;
    }
    if (total > limits.maxIndicators) {
      throw new Invalid([
        {
          pointer: container,
          detail: `the events hold ${total} indicators in all; at most ${limits.maxIndicators} are accepted in one submission`,
        },
      ]);
    }
  }
}
