import { Inject, Injectable } from '@nestjs/common';
import { mayPerform, type Actor } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid, NotFound } from '@tocsin/platform';
import { AlertRepository } from './alert.repository';
import { toIndicatorView, type IndicatorView } from './indicator-view';
import { mayView, reviewerMinTrust } from './get-alert.use-case';

export interface IndicatorPage {
  readonly items: IndicatorView[];
  readonly nextCursor: string | null;
}

/** Pages through an alert's indicators by position (an alert can hold 100,000). */
@Injectable()
export class ListIndicatorsUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, alertId: string, cursor: string | null, limit: number): Promise<IndicatorPage> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const a = await this.alerts.findForViewer(alertId);
    if (!a || !mayView(actor, a, reviewerMinTrust(this.config))) {
      throw new NotFound('alert');
    }
    let after = -1;
    if (cursor !== null) {
      if (!/^\d{1,9}$/.test(cursor)) {
        throw new Invalid([{ pointer: '/cursor', detail: 'is not a cursor this API returned' }], 'invalid-query');
      }
      after = Number(cursor);
    }
    const rows = await this.alerts.findIndicators(alertId, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toIndicatorView), nextCursor: rows.length > limit && last ? String(last.position) : null };
  }
}
