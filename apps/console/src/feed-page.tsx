import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { recentAlerts, type AlertView } from './api';
import { classificationText, SeverityBadge, sourceText, TlpBadge } from './badges';
import { BASE, onLinkClick } from './router';

/** What the feed shows of an alert: the fields REST and the socket's `alert` event share. */
type FeedAlert = Pick<AlertView, 'id' | 'title' | 'severity' | 'tlp' | 'classification' | 'source' | 'seq'>;

interface FeedItem {
  readonly alert: FeedAlert;
  readonly coordinated: boolean;
  readonly constituencyHit: boolean;
}

/** The last seq received, kept per tab: a reload resumes after it (`lastSeq` in the handshake). */
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

function upsert(items: FeedItem[], alert: FeedAlert): FeedItem[] {
  const old = items.find((i) => i.alert.id === alert.id);
  const rest = items.filter((i) => i.alert.id !== alert.id);
  const next = [
    ...rest,
    { alert, coordinated: old?.coordinated ?? false, constituencyHit: old?.constituencyHit ?? false },
  ];
  // Newest first: by seq (published alerts all have one).
  return next.sort((a, b) => (b.alert.seq ?? 0) - (a.alert.seq ?? 0));
}

function mark(items: FeedItem[], ids: readonly string[], key: 'coordinated' | 'constituencyHit'): FeedItem[] {
  return items.map((i) => (ids.includes(i.alert.id) ? { ...i, [key]: true } : i));
}

export function FeedPage(): React.JSX.Element {
  const [items, setItems] = useState<FeedItem[]>([]);
  const [status, setStatus] = useState('connecting');

  useEffect(() => {
    let socket: ReturnType<typeof io> | null = null;
    let cancelled = false;
    // Recent alerts over REST first; the socket then replays everything after the last seq this tab received (or
    // after the newest one listed), so an alert published in between is not missed.
    recentAlerts().then(
      (page) => {
        if (cancelled) {
          return;
        }
        let maxSeq = 0;
        setItems((prev) => page.items.reduce((acc, a) => upsert(acc, a), prev));
        for (const a of page.items) {
          maxSeq = Math.max(maxSeq, a.seq ?? 0);
        }
        if (storedSeq() === null) {
          keepSeq(maxSeq);
        }
        socket = io('/alerts', {
          transports: ['websocket'],
          // A function: each reconnection sends the seq received last.
          auth: (cb) => cb({ lastSeq: storedSeq() ?? 0 }),
        });
        socket.on('connect', () => setStatus('live'));
        socket.on('disconnect', () => setStatus('disconnected, reconnecting'));
        socket.on('connect_error', (e: Error) => setStatus(`connection refused: ${e.message}`));
        socket.on('alert', (e: { seq: number; alert: FeedAlert }) => {
          setItems((prev) => upsert(prev, e.alert));
          keepSeq(e.seq);
        });
        socket.on('coordinated-alert', (e: { seq: number; coordinatedAlert: { reports: { alertId: string }[] } }) => {
          setItems((prev) =>
            mark(
              prev,
              e.coordinatedAlert.reports.map((r) => r.alertId),
              'coordinated',
            ),
          );
          keepSeq(e.seq);
        });
        socket.on('constituency-hit', (e: { seq: number; alertId: string }) => {
          setItems((prev) => mark(prev, [e.alertId], 'constituencyHit'));
          keepSeq(e.seq);
        });
        for (const other of ['alert-updated', 'alert-revoked', 'alert-indicators', 'coordinated-alert-updated']) {
          socket.on(other, (e: { seq: number }) => keepSeq(e.seq));
        }
      },
      (e: unknown) => setStatus(`could not load alerts: ${String(e)}`),
    );
    return () => {
      cancelled = true;
      socket?.close();
    };
  }, []);

  return (
    <section aria-labelledby="feed-title">
      <h1 id="feed-title">Live feed</h1>
      <p role="status">Feed: {status}</p>
      <table className="feed">
        <thead>
          <tr>
            <th scope="col">Seq</th>
            <th scope="col">Title</th>
            <th scope="col">Severity</th>
            <th scope="col">TLP</th>
            <th scope="col">Classification</th>
            <th scope="col">Source</th>
            <th scope="col">Badges</th>
          </tr>
        </thead>
        <tbody>
          {items.map(({ alert, coordinated, constituencyHit }) => (
            <tr key={alert.id} data-alert-id={alert.id}>
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
          ))}
        </tbody>
      </table>
      {items.length === 0 && <p>No alerts yet.</p>}
    </section>
  );
}
