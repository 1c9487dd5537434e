// The alert detail page's HTTP calls (GET /api/v1/alerts/:id, its indicators, sightings, revoke, update and the
// coordinated alert it belongs to). Types come from the typed client (`import type`).
import type {
  AlertDetailView,
  AlertPatch,
  AlertView,
  CoordinatedAlertsPage,
  CoordinatedAlertView,
  IndicatorsPage,
  IndicatorView,
  SightingAnswer,
} from '@tocsin/client';
import { call } from './api';

export type {
  AlertDetailView,
  AlertPatch,
  AlertView,
  CoordinatedAlertView,
  IndicatorsPage,
  IndicatorView,
  SightingAnswer,
};

const path = (id: string): string => `/alerts/${encodeURIComponent(id)}`;

export function getAlertDetail(id: string): Promise<AlertDetailView> {
  return call('GET', path(id));
}

export type IndicatorSortKey = 'position' | 'type' | 'value';

/** The table's order and filters, as `GET /api/v1/alerts/:id/indicators` reads them; empty filters are left out. */
export interface IndicatorTableQuery {
  readonly sort: IndicatorSortKey;
  readonly descending: boolean;
  readonly type: string;
  readonly text: string;
  readonly actionable: '' | 'true' | 'false';
  readonly flag: string;
}

export function indicatorPage(
  id: string,
  q: IndicatorTableQuery,
  cursor: string | null,
  limit: number,
): Promise<IndicatorsPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (q.sort !== 'position') {
    params.set('sort', q.sort);
  }
  if (q.descending) {
    params.set('order', 'desc');
  }
  if (q.type !== '') {
    params.set('type', q.type);
  }
  if (q.text.trim() !== '') {
    params.set('q', q.text.trim());
  }
  if (q.actionable !== '') {
    params.set('actionable', q.actionable);
  }
  if (q.flag !== '') {
    params.set('flag', q.flag);
  }
  if (cursor !== null) {
    params.set('cursor', cursor);
  }
  return call('GET', `${path(id)}/indicators?${params.toString()}`);
}

/** A sighting or a false positive, on the alert or one of its indicator values. */
export function reportSighting(
  id: string,
  type: 'sighting' | 'false-positive',
  indicator: string | null,
): Promise<SightingAnswer> {
  return call('POST', `${path(id)}/sightings`, { type, ...(indicator !== null ? { indicator } : {}) });
}

export function revokeAlert(id: string, reason: string): Promise<AlertView> {
  return call('POST', `${path(id)}/revoke`, { reason });
}

export function updateAlert(id: string, patch: AlertPatch): Promise<AlertView> {
  return call('PATCH', path(id), patch);
}

/**
 * The coordinated alert holding this report, as the caller sees it: looked for among the 200 newest coordinated
 * alerts it may see (the API has no lookup by report yet).
 */
export async function coordinatedAlertOf(alertId: string): Promise<CoordinatedAlertView | null> {
  const page = await call<CoordinatedAlertsPage>('GET', '/coordinated-alerts?limit=200');
  return page.items.find((c) => c.reports.some((r) => r.alertId === alertId)) ?? null;
}
