import type { SocketEvent, Subscriber } from './alert-feed';
import type { LogEntry } from '@tocsin/db';

/**
 * A source of extra per-recipient events for published entries (e.g. a constituency hit), produced where the
 * engine decides what each socket gets, so they share its order, cursor and replay. `prepare` reads what it needs
 * for a batch of entries and the recipients that may be offered them (one query per batch, not per socket); the
 * function it answers is asked only for an entry the recipient may see (mayReceive), and its events are sent after
 * the entry's own event and chunks, whether or not a subscription matches. Return [] for none.
 */
export interface RecipientEventSource {
  prepare(
    entries: readonly LogEntry[],
    recipients: readonly Subscriber[],
    now: Date,
  ): Promise<(entry: LogEntry, recipient: Subscriber) => readonly SocketEvent[]>;
}
