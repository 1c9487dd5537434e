import { Injectable, Logger } from '@nestjs/common';
import { AlertStore, type IndicatorRow } from '@tocsin/alerts';
import { Db, Outbox } from '@tocsin/db';
import { normalizeIndicators } from '@tocsin/domain';
import { alertJob, type AlertJobPayload } from '@tocsin/queues';

const READ_BATCH = 10_000;

/** queued → normalized: canonical indicators, duplicates merged, rejections kept with their reason. */
@Injectable()
export class NormalizeAlertUseCase {
  private readonly log = new Logger(NormalizeAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly outbox: Outbox,
  ) {}

  async execute(job: AlertJobPayload): Promise<'done' | 'skipped'> {
    return this.db.transaction(async (tx) => {
      const a = await this.alerts.lock(job.alertId, tx);
      if (!a || a.status !== 'queued') {
        return 'skipped';
      }
      const raw: IndicatorRow[] = [];
      for (let after = -1; ;) {
        const batch = await this.alerts.indicators(a.id, after, READ_BATCH, tx);
        raw.push(...batch);
        const last = batch[batch.length - 1];
        if (!last || batch.length < READ_BATCH) {
          break;
        }
        after = last.position;
      }
      const normalized = normalizeIndicators(raw.map((r) => ({ type: r.type, value: r.rawValue })));
      const rows: IndicatorRow[] = normalized.map((n, i) => ({
        position: i,
        type: n.type,
        rawValue: n.rawValue,
        canonicalValue: n.canonicalValue,
        rejection: n.rejection,
      }));
      const rejected = rows.filter((r) => r.rejection !== null).length;
      await this.alerts.replaceIndicators(a.id, rows, tx);
      await this.alerts.update(
        a.id,
        { status: 'normalized', indicatorCount: rows.length - rejected, rejectedCount: rejected },
        tx,
      );
      await this.outbox.enqueue(tx, alertJob('alert.vet', { alertId: a.id, requestId: job.requestId }));
      this.log.log(
        { alertId: a.id, accepted: rows.length - rejected, rejected, requestId: job.requestId },
        'alert normalized',
      );
      return 'done';
    });
  }
}
