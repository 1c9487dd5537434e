import { Inject, Injectable } from '@nestjs/common';
import { mayPerform, parseAlertQuery, sourceViewerOf, type Actor, type RsitVocabulary } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid } from '@tocsin/platform';
import { AlertSearchRepository } from './alert-search.repository';
import { toAlertView, type AlertView } from './alert-view';
import { visibilityFor } from './alert-visibility';
import { reviewerMinTrust } from './get-alert.use-case';
import { formatSearchCursor, parseSearchCursor } from './search-cursor';
import { RSIT } from './taxonomies';

/**
 * GET /api/v1/alerts: the alerts the caller may see (exactly those `GET /api/v1/alerts/:id` shows it), newest
 * first, filtered. No total is given; the cursor names the last item returned, which the caller saw.
 */
@Injectable()
export class ListAlertsUseCase {
  constructor(
    private readonly search: AlertSearchRepository,
    @Inject(RSIT) private readonly rsit: RsitVocabulary,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(
    actor: Actor,
    query: Readonly<Record<string, unknown>>,
    limit: number,
    cursor: string | null,
  ): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    const filters = parseAlertQuery(query, this.rsit);
    if (!filters.ok) {
      throw new Invalid(filters.error, 'invalid-query');
    }
    const before = parseSearchCursor(cursor);
    const rows = await this.search.list(
      visibilityFor(actor, reviewerMinTrust(this.config)),
      filters.value,
      before,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toAlertView(r.alert, sourceViewerOf(actor))),
      nextCursor: rows.length > limit && last ? formatSearchCursor(last.cursor) : null,
    };
  }
}
