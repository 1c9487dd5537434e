import { memo, useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { recentAlerts, type AlertView } from './api';
import { listSubscriptions, type SubscriptionView } from './api-feed';
import { classificationText, SeverityBadge, sourceText, TlpBadge } from './badges';
import { BASE, onLinkClick } from './router';
import './feed.css';

/** What the feed shows of an alert: the fields REST and the socket's `alert` event share. */
type FeedAlert = Pick<AlertView, 'id' | 'title' | 'severity' | 'tlp' | 'classification' | 'source' | 'seq'>;

interface FeedItem {
  readonly alert: FeedAlert;
  readonly coordinated: boolean;
  readonly constituencyHit: boolean;
}

/** The rows kept (and rendered): the newest ones; older alerts are in Search. */
export const FEED_MAX_ROWS = 500;
/** How long socket events gather before one render applies them. */
const FEED_FLUSH_MS = 250;

/** The last seq received by the whole feed, kept per tab: a reload resumes after it (`lastSeq` in the handshake). */
const SEQ_KEY = 'tocsin.console.lastSeq';

function storedSeq(): number | null {
  const v = sessionStorage.getItem(SEQ_KEY);
  return v !== null && /^\d+$/.test(v) ? Number(v) : null;
}

function keepSeq(seq: number): void {
  const prev = storedSeq();
  if (prev === null || seq > prev) {
    sessionStorage.setItem(SEQ_KEY, String(seq));
  }
}

/** What the socket said, gathered between two frames and applied in one state update. */
type FeedChange =
  | { readonly kind: 'alert'; readonly alert: FeedAlert }
  | { readonly kind: 'coordinated' | 'constituencyHit'; readonly ids: readonly string[] };

/** Applies a batch of changes: upserts by id, marks, newest first by seq, at most FEED_MAX_ROWS. */
function apply(items: readonly FeedItem[], changes: readonly FeedChange[]): FeedItem[] {
  const byId = new Map(items.map((i) => [i.alert.id, i]));
  const marks: FeedChange[] = [];
  for (const c of changes) {
    if (c.kind === 'alert') {
      const old = byId.get(c.alert.id);
      byId.set(c.alert.id, {
        alert: c.alert,
        coordinated: old?.coordinated ?? false,
        constituencyHit: old?.constituencyHit ?? false,
      });
    } else {
      marks.push(c);
    }
  }
  for (const m of marks) {
    if (m.kind === 'alert') {
      continue;
    }
    for (const id of m.ids) {
      const old = byId.get(id);
      if (old && !old[m.kind]) {
        byId.set(id, { ...old, [m.kind]: true });
      }
    }
  }
  // Published alerts all have a seq.
  return [...byId.values()].sort((a, b) => (b.alert.seq ?? 0) - (a.alert.seq ?? 0)).slice(0, FEED_MAX_ROWS);
}

const FeedRow = memo(function FeedRow({ item }: { readonly item: FeedItem }): React.JSX.Element {
  const { alert, coordinated, constituencyHit } = item;
  return (
    <tr data-alert-id={alert.id}>
      <td>{alert.seq}</td>
      <td>
        <a href={`${BASE}alerts/${alert.id}`} onClick={onLinkClick}>
          {alert.title}
        </a>
      </td>
      <td>
        <SeverityBadge severity={alert.severity} />
      </td>
      <td>
        <TlpBadge tlp={alert.tlp} />
      </td>
      <td>{classificationText(alert.classification)}</td>
      <td>{sourceText(alert.source)}</td>
      <td>
        {coordinated && <span className="badge">coordinated</span>}
        {constituencyHit && <span className="badge">constituency hit</span>}
      </td>
    </tr>
  );
});

/** Which events the feed takes from a socket attached to `subscription` (all of them for the whole feed). */
function matches(subscription: string, e: { subscriptions?: readonly string[] }): boolean {
  return subscription === '' || (e.subscriptions ?? []).includes(subscription);
}

export function FeedPage(): React.JSX.Element {
  const [items, setItems] = useState<FeedItem[]>([]);
  const [status, setStatus] = useState('connecting');
  const [subscriptions, setSubscriptions] = useState<SubscriptionView[] | null>(null);
  const [subsError, setSubsError] = useState<string | null>(null);
  // '' is the whole feed; otherwise one of the organisation's subscription ids.
  const [view, setView] = useState('');
  // The lowest seq the whole feed holds: a subscription's view replays from there, so it shows the same window.
  const floorRef = useRef(0);

  useEffect(() => {
    listSubscriptions().then(setSubscriptions, (e: unknown) =>
      setSubsError(`could not load subscriptions: ${e instanceof Error ? e.message : String(e)}`),
    );
  }, []);

  useEffect(() => {
    let socket: ReturnType<typeof io> | null = null;
    let cancelled = false;
    let pending: FeedChange[] = [];
    let pendingSeq = 0;
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // This view's last seq, for its reconnections (the whole feed also keeps it in sessionStorage).
    let viewSeq = 0;

    // Everything received in a FEED_FLUSH_MS window is applied in one state update (and one sessionStorage write), in
    // the next animation frame (at once in a hidden tab, which runs no frames).
    const flush = (): void => {
      if (frame !== null) {
        cancelAnimationFrame(frame);
        frame = null;
      }
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      if (cancelled || pending.length === 0) {
        return;
      }
      const batch = pending;
      pending = [];
      setItems((prev) => apply(prev, batch));
      if (view === '' && pendingSeq > 0) {
        keepSeq(pendingSeq);
      }
    };
    const push = (change: FeedChange | null, seq: number): void => {
      viewSeq = Math.max(viewSeq, seq);
      pendingSeq = Math.max(pendingSeq, seq);
      if (change) {
        pending.push(change);
      }
      // At most one render per FEED_FLUSH_MS: at 200 alerts/s a render per frame left the main thread too little time
      // to read the socket (npm run bench -- console-feed).
      timer ??= setTimeout(() => {
        timer = null;
        if (document.hidden) {
          flush(); // no frames run in a hidden tab
        } else {
          frame ??= requestAnimationFrame(flush);
        }
      }, FEED_FLUSH_MS);
    };

    const connect = (lastSeq: number): void => {
      viewSeq = lastSeq;
      socket = io('/alerts', {
        transports: ['websocket'],
        // A function: each reconnection sends the seq received last.
        auth: (cb) =>
          cb(view === '' ? { lastSeq: storedSeq() ?? viewSeq } : { lastSeq: viewSeq, subscriptions: [view] }),
      });
      socket.on('connect', () => setStatus('live'));
      socket.on('disconnect', () => setStatus('disconnected, reconnecting'));
      socket.on('connect_error', (e: Error) => setStatus(`connection refused: ${e.message}`));
      socket.on('alert', (e: { seq: number; alert: FeedAlert; subscriptions?: string[] }) => {
        push(matches(view, e) ? { kind: 'alert', alert: e.alert } : null, e.seq);
      });
      socket.on(
        'coordinated-alert',
        (e: { seq: number; coordinatedAlert: { reports: { alertId: string }[] }; subscriptions?: string[] }) => {
          const ids = e.coordinatedAlert.reports.map((r) => r.alertId);
          push(matches(view, e) ? { kind: 'coordinated', ids } : null, e.seq);
        },
      );
      socket.on('constituency-hit', (e: { seq: number; alertId: string; subscriptions?: string[] }) => {
        push({ kind: 'constituencyHit', ids: [e.alertId] }, e.seq);
      });
      for (const other of ['alert-updated', 'alert-revoked', 'alert-indicators', 'coordinated-alert-updated']) {
        socket.on(other, (e: { seq: number }) => push(null, e.seq));
      }
    };

    setItems([]);
    setStatus('connecting');
    if (view === '') {
      // Recent alerts over REST first; the socket then replays everything after the last seq this tab received (or
      // after the newest one listed), so an alert published in between is not missed.
      recentAlerts().then(
        (page) => {
          if (cancelled) {
            return;
          }
          let maxSeq = 0;
          for (const a of page.items) {
            maxSeq = Math.max(maxSeq, a.seq ?? 0);
          }
          setItems((prev) =>
            apply(
              prev,
              page.items.map((alert) => ({ kind: 'alert', alert })),
            ),
          );
          if (storedSeq() === null) {
            keepSeq(maxSeq);
          }
          connect(storedSeq() ?? maxSeq);
        },
        (e: unknown) => setStatus(`could not load alerts: ${String(e)}`),
      );
    } else {
      // A subscription's view: the socket attached to it replays what it matched since the whole feed's oldest row,
      // then live; each event names the subscriptions it matched.
      connect(floorRef.current);
    }
    return () => {
      cancelled = true;
      flush();
      socket?.close();
    };
  }, [view]);

  useEffect(() => {
    if (view === '' && items.length > 0) {
      floorRef.current = Math.max(0, (items[items.length - 1]!.alert.seq ?? 1) - 1);
    }
  }, [view, items]);

  return (
    <section aria-labelledby="feed-title">
      <h1 id="feed-title">Live feed</h1>
      <div className="feed-controls">
        <label>
          Subscription
          <select value={view} onChange={(e) => setView(e.target.value)} disabled={subscriptions === null}>
            <option value="">All alerts</option>
            {(subscriptions ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name ?? s.id}
              </option>
            ))}
          </select>
        </label>
        <p role="status">Feed: {status}</p>
      </div>
      {subsError !== null && <p role="alert">{subsError}</p>}
      <table className="feed" aria-label="Alerts">
        <thead>
          <tr>
            <th scope="col" className="col-seq">
              Seq
            </th>
            <th scope="col" className="col-title">
              Title
            </th>
            <th scope="col">Severity</th>
            <th scope="col">TLP</th>
            <th scope="col">Classification</th>
            <th scope="col">Source</th>
            <th scope="col">Badges</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <FeedRow key={item.alert.id} item={item} />
          ))}
        </tbody>
      </table>
      {items.length === 0 && <p>No alerts yet.</p>}
      {items.length >= FEED_MAX_ROWS && <p>The newest {FEED_MAX_ROWS} alerts are shown; older ones are in Search.</p>}
    </section>
  );
}
