// The dashboard's one call: `GET /api/v1/stats`, counted by the hub over the alerts the caller may see.
import type { AlertStatsView } from '@tocsin/client';
import { call } from './api';

export type { AlertStatsView };

export function getStats(): Promise<AlertStatsView> {
  return call('GET', '/stats');
}
