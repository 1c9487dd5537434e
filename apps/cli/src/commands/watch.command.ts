import { FileCursorStore, TocsinWatchError, type CursorStore, type WatchOptions } from '@tocsin/client';
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { collect } from '../program-helpers';
import { safeText } from '../output/colors';
import { PRINTED_EVENTS, renderWatchEvent, watchJsonLine, type WatchPayload } from '../output/watch-text';
import { watchCursorPath } from './watch-cursor';

interface WatchFlags {
  subscription?: string[];
  json?: boolean;
  fromStart?: boolean;
}

const MAX_SUBSCRIPTIONS = 20;

/** `tocsin watch`: the live tail, resuming where it stopped. */
export function registerWatchCommand(program: Command, ctx: CommandContext): void {
  program
    .command('watch')
    .description('live tail of the alerts this key may see, resuming where the last watch stopped')
    .option(
      '--subscription <id>',
      'attach to this subscription (repeat, or comma-separate, up to 20): only what it matches, resuming from the cursor the hub keeps for it',
      collect,
    )
    .option('--json', 'one JSON object per event and line (NDJSON): {"event":"alert","seq":…,"alert":{…}}')
    .option('--from-start', 'replay everything this key may see from the beginning, then go live')
    .addHelpText(
      'after',
      `
Resuming: without --subscription, the last seq printed is kept in a cursor file per profile, key and
subscription set under $XDG_STATE_HOME/tocsin/cursors (~/.local/state/tocsin/cursors); the first watch
starts with what is published from now on. With --subscription, the hub keeps the cursor: each event
is acknowledged once printed. The cursor is saved after each event is printed, so a watch stopped any
way (even kill -9) resumes after the last event it saved: a clean stop (Ctrl-C, SIGTERM) repeats
nothing; a kill -9 between printing an event and saving it prints that one event again.
Connection news (connected, reconnecting, lagging) goes to stderr; stdout has only events.`,
    )
    .action(async (opts: WatchFlags) => {
      const subscriptions = opts.subscription ?? [];
      if (subscriptions.length > MAX_SUBSCRIPTIONS) {
        throw new CliUsageError(`--subscription: at most ${MAX_SUBSCRIPTIONS} subscriptions`);
      }
      const { client, connection } = await ctx.client();
      const json = opts.json === true;
      const e = ctx.err;

      let cursor: CursorStore | undefined;
      let cursorPath: string | undefined;
      if (subscriptions.length === 0 || opts.fromStart === true) {
        cursorPath = watchCursorPath(ctx.stateDir, connection, subscriptions);
        cursor = new FileCursorStore(cursorPath);
        if (opts.fromStart === true) {
          await cursor.save(0);
        }
      }
      const watchOptions: WatchOptions = {
        ...(subscriptions.length > 0 ? { subscriptions } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const startSeq = cursor ? await cursor.load() : undefined;
      const watcher = client.watch(watchOptions);

      for (const name of PRINTED_EVENTS) {
        watcher.on(name, (payload) =>
          ctx.print(json ? watchJsonLine(name, payload) : renderWatchEvent(name, payload as WatchPayload, ctx.out)),
        );
      }
      if (json) {
        // The rest of a large alert's indicators, in order, before any later event: pipes get whole alerts.
        watcher.on('alert-indicators', (payload) => ctx.print(watchJsonLine('alert-indicators', payload)));
      }
      let connectedOnce = false;
      watcher.on('connected', () => {
        const from =
          startSeq !== undefined
            ? `after seq ${startSeq}`
            : subscriptions.length > 0
              ? 'after the subscriptions’ acknowledged cursor'
              : 'from now';
        ctx.note(
          e.dim(
            connectedOnce
              ? `reconnected to ${connection.url}`
              : `watching ${connection.url}${connection.profile ? ` (profile ${connection.profile})` : ''} ${from}; Ctrl-C to stop`,
          ),
        );
        connectedOnce = true;
      });
      watcher.on('disconnected', (d) => ctx.note(e.yellow(`disconnected: ${safeText(d.reason)}`)));
      watcher.on('reconnecting', (r) =>
        ctx.note(e.yellow(`reconnecting in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt})`)),
      );
      watcher.on('lagging', (l) =>
        ctx.note(
          e.yellow(
            `lagging: this terminal reads slower than alerts come (${l.queued} queued); the hub replays after seq ${l.seq}, nothing is lost`,
          ),
        ),
      );

      let fatal: TocsinWatchError | undefined;
      watcher.on('error', (err) => {
        if (err.fatal) {
          fatal = err;
        } else {
          ctx.warn(safeText(err.message));
        }
      });
      // SIGINT/SIGTERM: the event being printed finishes, its cursor is saved (and acked), then the watch ends.
      const removeSignals = ctx.deps.onStopSignal(() => void watcher.close());
      try {
        await watcher.done;
      } finally {
        removeSignals();
      }
      if (fatal) {
        throw fatal;
      }
      const last = watcher.lastSeq;
      ctx.note(
        e.dim(
          `stopped${last !== undefined ? ` after seq ${last}` : ''}${cursorPath ? `; cursor in ${cursorPath}` : ''}`,
        ),
      );
    });
}
