import { Injectable, Logger } from '@nestjs/common';
import { Db } from '@tocsin/db';
import type { CoordinatedSnapshot } from '@tocsin/domain';
import { SocketBroadcaster } from '@tocsin/platform';
import type { AlertJobPayload } from '@tocsin/queues';
import { CoordinatedAlertRepository } from './coordinated-alert.repository';
import { snapshotFromJson } from './coordinated-snapshot';
import { CoordinatedVersions } from './coordinated-versions';

/**
 * A revoked report leaves every coordinated alert it was part of: a new version in which it has left, in the
 * publish log, so each recipient whose own view changes is told (`coordinated-alert-updated`, or
 * `coordinated-alert-withdrawn` when what it may see no longer meets the thresholds). Runs as the `alert.withdraw`
 * job, written by the revocation's transaction; idempotent (a report that has left is not withdrawn again).
 */
@Injectable()
export class WithdrawReportUseCase {
  private readonly log = new Logger(WithdrawReportUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly coordinated: CoordinatedAlertRepository,
    private readonly versions: CoordinatedVersions,
    private readonly sockets: SocketBroadcaster,
  ) {}

  async execute(job: AlertJobPayload): Promise<'withdrawn' | 'none'> {
    const seqs = await this.db.transaction(async (tx) => {
      await this.coordinated.lock(tx);
      const out: number[] = [];
      for (const row of await this.coordinated.findHolding(job.alertId, tx)) {
        const before = snapshotFromJson(row.snapshot);
        if (!before) {
          this.log.error({ coordinatedAlertId: row.id }, 'stored coordinated alert unreadable; not withdrawing');
          continue;
        }
        const version = row.version + 1;
        const snapshot: CoordinatedSnapshot = {
          ...before,
          version,
          previousStatus: before.status,
          parts: before.parts.map((p) =>
            p.alertId === job.alertId && p.leftVersion === undefined ? { ...p, leftVersion: version } : p,
          ),
        };
        await this.coordinated.markLeft(row.id, job.alertId, version, tx);
        const left = snapshot.parts.find((p) => p.alertId === job.alertId)!;
        out.push(await this.versions.record(snapshot, left, tx));
      }
      return out;
    });
    const last = seqs[seqs.length - 1];
    if (last === undefined) {
      return 'none';
    }
    this.sockets.published(String(last));
    this.log.log({ alertId: job.alertId, coordinatedAlerts: seqs.length }, 'report withdrawn from coordinated alerts');
    return 'withdrawn';
  }
}
