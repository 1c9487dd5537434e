import { Inject, Injectable } from '@nestjs/common';
import { mayPerform, parseIndicatorQuery, type Actor } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid, NotFound } from '@tocsin/platform';
import { AlertRepository } from './alert.repository';
import { toIndicatorView, type IndicatorView } from './indicator-view';
import { mayView, reviewerMinTrust } from './get-alert.use-case';

export interface IndicatorPage {
  readonly items: IndicatorView[];
  readonly nextCursor: string | null;
  /** How many indicators pass the filters, over every page. */
  readonly total: number;
}

/**
 * Pages through an alert's indicators (an alert can hold 100,000): in submission order, or sorted by type or value,
 * filtered by type, part of the value, actionability and flags (parseIndicatorQuery), with the filtered total.
 */
@Injectable()
export class ListIndicatorsUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(
    actor: Actor,
    alertId: string,
    cursor: string | null,
    limit: number,
    query: Readonly<Record<string, unknown>> = {},
  ): Promise<IndicatorPage> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const q = parseIndicatorQuery(query);
    if (!q.ok) {
      throw new Invalid(q.error, 'invalid-query');
    }
    const a = await this.alerts.findForViewer(alertId);
    if (!a || !mayView(actor, a, reviewerMinTrust(this.config))) {
      throw new NotFound('alert');
    }
    let after: number | null = null;
    if (cursor !== null) {
      if (!/^\d{1,9}$/.test(cursor)) {
        throw new Invalid([{ pointer: '/cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
      }
      after = Number(cursor);
    }
    const [rows, total] = await Promise.all([
      this.alerts.findIndicatorPage(alertId, q.value, after, limit + 1),
      this.alerts.countIndicators(alertId, q.value),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toIndicatorView),
      nextCursor: rows.length > limit && last ? String(last.position) : null,
      total,
    };
  }
}
