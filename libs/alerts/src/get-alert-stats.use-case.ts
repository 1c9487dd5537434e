import { Inject, Injectable } from '@nestjs/common';
import { SEVERITIES, isReviewer, mayPerform, type Actor, type Severity } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, SocketPresence, type SocketPresenceCount } from '@tocsin/platform';
import { AlertStatsRepository } from './alert-stats.repository';
import { visibilityFor } from './alert-visibility';
import { reviewerMinTrust } from './get-alert.use-case';

const HOUR = 3_600_000;
/** The window: the current hour and the 23 before it. */
export const STATS_HOURS = 24;
/** How many classifications `topClassifications` lists. */
export const STATS_TOP_CLASSIFICATIONS = 10;

/** `GET /api/v1/stats`: what the console's dashboard draws, counted over the alerts the caller may see. */
export interface AlertStatsView {
  /** Start of the first hour counted (inclusive) and the time of the answer (exclusive). */
  readonly since: string;
  readonly until: string;
  /** One entry per hour, oldest first, with the published alerts of each severity (by publication time). */
  readonly hours: readonly ({ readonly hour: string } & Readonly<Record<Severity, number>>)[];
  /** The most frequent RSIT classifications (`classification` null: unclassified alerts), most frequent first. */
  readonly topClassifications: readonly {
    readonly classification: { readonly taxonomy: string; readonly type: string | null } | null;
    readonly count: number;
  }[];
  /** Alerts per source country (ISO alpha-2); anonymous alerts under `anonymous`, an org with none under `unknown`. */
  readonly sourceCountries: Readonly<Record<string, number>>;
  /** Held alerts this vetter may review; null for a caller who is not a reviewer. */
  readonly reviewQueue: number | null;
  /** Sockets open now with the caller's org, and how many orgs have one; null when a gateway did not answer. */
  readonly subscribers: SocketPresenceCount | null;
}

@Injectable()
export class GetAlertStatsUseCase {
  constructor(
    private readonly stats: AlertStatsRepository,
    private readonly presence: SocketPresence,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, now: Date = new Date()): Promise<AlertStatsView> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const minTrust = reviewerMinTrust(this.config);
    const visibility = visibilityFor(actor, minTrust);
    const since = new Date(Math.floor(now.getTime() / HOUR) * HOUR - (STATS_HOURS - 1) * HOUR);
    const until = new Date(now.getTime() + 1);
    const [perHour, classes, sources, queue, subscribers] = await Promise.all([
      this.stats.perHour(visibility, since, until),
      this.stats.topClassifications(visibility, since, until, STATS_TOP_CLASSIFICATIONS),
      this.stats.sources(visibility, since, until),
      isReviewer(actor, minTrust) ? this.stats.pendingForReview(visibility) : Promise.resolve(null),
      this.presence.count(actor.orgId),
    ]);
    const hours = Array.from({ length: STATS_HOURS }, (_, i) => {
      const hour = new Date(since.getTime() + i * HOUR);
      const counts = Object.fromEntries(
        SEVERITIES.map((s) => [
          s,
          perHour.find((r) => r.hour.getTime() === hour.getTime() && r.severity === s)?.count ?? 0,
        ]),
      ) as Record<Severity, number>;
      return { hour: hour.toISOString(), ...counts };
    });
    return {
      since: since.toISOString(),
      until: now.toISOString(),
      hours,
      topClassifications: classes.map((c) => ({
        classification: c.taxonomy === null ? null : { taxonomy: c.taxonomy, type: c.type },
        count: c.count,
      })),
      sourceCountries: Object.fromEntries(sources.map((s) => [s.source ?? 'unknown', s.count])),
      reviewQueue: queue,
      subscribers,
    };
  }
}
