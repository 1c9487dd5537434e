import { Injectable } from '@nestjs/common';
import { mayReceive, type TrustLevel } from '@tocsin/domain';
import { PublishLogRepository, type LogEntry } from './publish-log.repository';

export interface Subscriber {
  readonly orgId: string;
  readonly trustLevel: TrustLevel;
}

/** The `alert` event as sent on the socket. */
export interface AlertEvent {
  readonly seq: number;
  readonly alert: Record<string, unknown>;
}

export const toEvent = (e: LogEntry): AlertEvent => ({ seq: e.seq, alert: { ...e.payload, seq: e.seq } });

/**
 * Reads the publish log for delivery. The gateway tails it (`tail`) and replays it per subscriber
 * (`replayPage`); both decide visibility with the one policy, mayReceive.
 */
@Injectable()
export class AlertFeed {
  constructor(private readonly log: PublishLogRepository) {}

  mayReceive(e: LogEntry, s: Subscriber): boolean {
    return mayReceive(e, { id: s.orgId, trustLevel: s.trustLevel });
  }

  head(): Promise<number> {
    return this.log.maxSeq();
  }

  tail(afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.log.readAfter(afterSeq, limit);
  }

  /**
   * One page of replay for a subscriber: entries in (afterSeq, upTo], at most `limit` scanned. Returns the
   * visible events and the seq scanned up to, so the caller continues from there.
   */
  async replayPage(
    s: Subscriber,
    afterSeq: number,
    upTo: number,
    limit: number,
  ): Promise<{ events: AlertEvent[]; scannedTo: number }> {
    const rows = await this.log.readCandidatesFor(s.orgId, afterSeq, upTo, limit);
    const last = rows[rows.length - 1];
    return {
      events: rows.filter((r) => this.mayReceive(r, s)).map(toEvent),
      scannedTo: rows.length < limit || !last ? upTo : last.seq,
    };
  }
}
