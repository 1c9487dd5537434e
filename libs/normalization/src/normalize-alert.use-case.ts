import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AlertStore,
  alertSteps,
  toIndicatorRow,
  type AlertRecord,
  type IndicatorRow,
  type NormalizedRow,
  type PathStep,
} from '@tocsin/alerts';
import { Db, Outbox, type Tx } from '@tocsin/db';
import { normalizeIndicator, type IndicatorFlag, type WarningListMatcher } from '@tocsin/domain';
import { alertJob, type AlertJobPayload } from '@tocsin/queues';
import { WARNING_LISTS } from './warning-lists.provider';

const READ_BATCH = 10_000;

/** An indicator row as the database now holds it, from its raw row and what normalization wrote. */
function stored(raw: IndicatorRow, r: NormalizedRow): IndicatorRow {
  return toIndicatorRow({
    position: r.position,
    type: r.type,
    raw_value: raw.rawValue,
    canonical_value: r.canonicalValue,
    rejection: r.rejection,
    flags: [...r.flags],
    warning_list: r.warningList,
    warning_reason: r.warningReason,
    source: raw.source,
    comment: raw.comment,
    actionable: raw.senderActionable,
  });
}
const BIG_ALERT = 10_000;

/**
 * queued → normalized: every indicator gets its canonical type and value (or its rejection reason), its
 * flags and any warning-list match; duplicates inside the alert are merged. Work is batched: rows are read
 * and written 10,000 at a time in bulk statements.
 */
@Injectable()
export class NormalizeAlertUseCase {
  private readonly log = new Logger(NormalizeAlertUseCase.name);

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertStore,
    private readonly outbox: Outbox,
    @Inject(WARNING_LISTS) private readonly warnings: WarningListMatcher,
  ) {}

  async execute(job: AlertJobPayload): Promise<'done' | 'skipped'> {
    let written = 0;
    const outcome = await this.db.transaction(async (tx) => {
      const a = await this.alerts.lock(job.alertId, tx);
      if (!a || a.status !== 'queued') {
        return 'skipped';
      }
      const n = await this.normalizeLocked(a, job.requestId, tx);
      await this.outbox.enqueue(tx, alertJob('alert.vet', { alertId: a.id, requestId: job.requestId }));
      written = n.written;
      return 'done' as const;
    });
    if (written >= BIG_ALERT) {
      // A large alert changes the table's shape at once: refresh the planner's statistics now rather than when
      // autovacuum gets to it, so chunked delivery reads by index instead of scanning the whole alert.
      await this.alerts.refreshStatistics();
    }
    return outcome;
  }

  /**
   * The step itself, in the caller's transaction on an alert it holds locked in status `queued`: writes the
   * normalized indicators and the status `normalized`, and returns the alert as it now stands (counts included)
   * and how many indicator rows were written. Its own job and the one-hop job (alert.process) both run it; the
   * caller chooses what follows. With `keepFirst`, it also returns the first accepted indicators as now stored (what
   * publishing would read back), and whether any of them may link to other alerts (what vetting's correlation
   * lock checks). `raw`: all the alert's indicator rows, when the caller read them already (a one-hop group).
   * `defer`: write nothing; return what to write as `pending` (the indicator rows for applyNormalizationMany and the
   * markNormalized step for transitionMany), the alert as it will then stand: a one-hop group writes them for all its
   * alerts in one statement each.
   */
  async normalizeLocked(
    a: AlertRecord,
    requestId: string | null,
    tx: Tx,
    keepFirst = 0,
    raw?: readonly IndicatorRow[],
    defer = false,
  ): Promise<{
    alert: AlertRecord;
    written: number;
    first: IndicatorRow[];
    linkable: boolean;
    pending?: { rows: NormalizedRow[]; mergedAway: number[]; step: PathStep };
  }> {
    const rawAt = new Map<number, IndicatorRow>();
    const out: NormalizedRow[] = [];
    const mergedAway: number[] = [];
    /** Index in `out` of the first occurrence of each (type, canonical value). */
    const firstOf = new Map<string, number>();
    let rejected = 0;
    let warned = 0;
    // The chunked path streams: the next batch is read, and this batch's rows written, while this batch is being
    // normalized (the statements queue on the transaction's connection, so PostgreSQL works while this process
    // does). Rows already written that a later duplicate changes (see below) are written again at the end.
    const stream = !raw && !defer;
    let written = 0;
    const rewrite = new Set<number>();
    let writing: Promise<void> = Promise.resolve();
    const read = (after: number): Promise<readonly IndicatorRow[]> => {
      const p = this.alerts.indicators(a.id, after, READ_BATCH, tx);
      p.catch(() => undefined); // awaited below; a failure meanwhile must not go unhandled
      return p;
    };
    let next: Promise<readonly IndicatorRow[]> | null = raw ? null : read(-1);
    for (;;) {
      const batch: readonly IndicatorRow[] = raw ?? (await next!);
      const last = batch[batch.length - 1];
      const more = !raw && last !== undefined && batch.length >= READ_BATCH;
      next = more ? read(last.position) : null;
      for (const row of batch) {
        if (keepFirst > 0) {
          rawAt.set(row.position, row);
        }
        const n = normalizeIndicator({ ...(row.type ? { type: row.type } : {}), value: row.rawValue });
        const flags: IndicatorFlag[] = [...n.flags];
        if (!row.senderActionable) {
          flags.push('not-actionable');
        }
        let warning: { list: string; reason: string } | null = null;
        if (n.canonicalValue !== null) {
          const key = `${n.type}\u0000${n.canonicalValue}`;
          const kept = firstOf.get(key);
          if (kept !== undefined) {
            // A duplicate merges into the first occurrence; one actionable mention makes it actionable.
            const first = out[kept];
            if (first && row.senderActionable && first.flags.includes('not-actionable')) {
              out[kept] = { ...first, flags: first.flags.filter((f) => f !== 'not-actionable') };
              if (kept < written) {
                rewrite.add(kept);
              }
            }
            mergedAway.push(row.position);
            continue;
          }
          firstOf.set(key, out.length);
          warning = this.warnings.match(n.type, n.canonicalValue);
          if (warning) {
            flags.push('warning-listed');
            warned += 1;
          }
        } else {
          rejected += 1;
        }
        out.push({
          position: row.position,
          type: n.type,
          canonicalValue: n.canonicalValue,
          rejection: n.rejection,
          flags,
          warningList: warning?.list ?? null,
          warningReason: warning?.reason ?? null,
        });
      }
      if (stream && more) {
        await writing;
        const rows = out.slice(written);
        written = out.length;
        writing = this.alerts.applyNormalization(a.id, rows, [], tx);
        writing.catch(() => undefined); // awaited below
      }
      if (!more) {
        break;
      }
    }
    const counts = { indicatorCount: out.length - rejected, rejectedCount: rejected, warningCount: warned };
    const step = alertSteps.markNormalized(counts);
    let normalized: AlertRecord;
    if (defer) {
      normalized = this.alerts.preview(a, [step]);
    } else {
      await writing;
      // What is left, with the rows written earlier that changed since, in position order (applyNormalization
      // walks each batch's position range).
      const rest = [...[...rewrite].map((i) => out[i]!), ...out.slice(written)].sort((x, y) => x.position - y.position);
      await this.alerts.applyNormalization(a.id, rest, mergedAway, tx);
      normalized = await this.alerts.markNormalized(a, counts, tx);
    }
    this.log.log(
      {
        alertId: a.id,
        accepted: out.length - rejected,
        rejected,
        warned,
        merged: mergedAway.length,
        requestId,
      },
      'alert normalized',
    );
    const first: IndicatorRow[] = [];
    for (const r of out) {
      const kept = rawAt.get(r.position);
      if (first.length >= keepFirst || !kept) {
        break;
      }
      if (r.canonicalValue !== null) {
        first.push(stored(kept, r));
      }
    }
    return {
      alert: normalized,
      written: out.length + mergedAway.length,
      first,
      linkable: out.some((r) => r.canonicalValue !== null && r.warningList === null),
      ...(defer ? { pending: { rows: out, mergedAway, step } } : {}),
    };
  }
}
