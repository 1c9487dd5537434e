import { Injectable } from '@nestjs/common';
import type { Tx } from '@tocsin/db';
import { AlertRepository, type AlertRecord, type IndicatorRow } from './alert.repository';

/**
 * What the pipeline contexts (normalization, vetting, delivery) may do to an alert, inside their own
 * transactions. The repository itself stays private to this context.
 */
@Injectable()
export class AlertStore {
  constructor(private readonly alerts: AlertRepository) {}

  lock(id: string, tx: Tx): Promise<AlertRecord | null> {
    return this.alerts.lockById(id, tx);
  }

  update(id: string, patch: Parameters<AlertRepository['update']>[1], tx: Tx): Promise<void> {
    return this.alerts.update(id, patch, tx);
  }

  indicators(id: string, afterPosition: number, limit: number, tx?: Tx): Promise<IndicatorRow[]> {
    return this.alerts.findIndicators(id, afterPosition, limit, tx);
  }

  replaceIndicators(id: string, rows: readonly IndicatorRow[], tx: Tx): Promise<void> {
    return this.alerts.replaceIndicators(id, rows, tx);
  }
}
