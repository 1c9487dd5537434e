import { useCallback, useEffect, useState } from 'react';
import { ProblemError, type SessionUser } from './api';
import { getStats, type AlertStatsView } from './api-dashboard';
import { LazyWorldMap } from './world-map-lazy';
import './dashboard.css';

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
type Severity = (typeof SEVERITIES)[number];
/** How often the figures are asked for again while the page is open. */
const REFRESH_MS = 30_000;

const hourLabel = (iso: string): string =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** Alerts per hour by severity: stacked SVG bars, and the same figures as a table for screen readers and tests. */
function HourlyChart({ hours }: { readonly hours: AlertStatsView['hours'] }): React.JSX.Element {
  const W = 720;
  const H = 200;
  const bar = W / hours.length;
  const totals = hours.map((h) => SEVERITIES.reduce((n, s) => n + h[s], 0));
  const max = Math.max(1, ...totals);
  const sum = (s: Severity): number => hours.reduce((n, h) => n + h[s], 0);
  const spoken = SEVERITIES.map((s) => `${sum(s)} ${s}`).join(', ');
  const last = hours.length - 1;
  return (
    <>
      <svg
        className="hourly"
        viewBox={`0 0 ${W} ${H + 20}`}
        role="img"
        aria-label={`Alerts per hour by severity over the last 24 hours: ${spoken}`}
      >
        {hours.map((h, i) => {
          let y = H;
          return (
            <g key={h.hour}>
              {SEVERITIES.map((s) => {
                const height = (h[s] / max) * H;
                y -= height;
                return height > 0 ? (
                  <rect key={s} className={`bar-${s}`} x={i * bar + 1} y={y} width={bar - 2} height={height}>
                    <title>{`${hourLabel(h.hour)}: ${h[s]} ${s}`}</title>
                  </rect>
                ) : null;
              })}
              {i % 6 === 0 || i === last ? (
                <text x={i * bar + bar / 2} y={H + 15} textAnchor="middle" className="hour-tick">
                  {hourLabel(h.hour)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <ul className="legend" aria-hidden="true">
        {SEVERITIES.map((s) => (
          <li key={s}>
            <span className={`swatch bar-${s}`} /> {s}
          </li>
        ))}
      </ul>
      <table className="visually-hidden">
        <caption>Alerts per hour by severity</caption>
        <thead>
          <tr>
            <th scope="col">Hour</th>
            {SEVERITIES.map((s) => (
              <th key={s} scope="col">
                {s}
              </th>
            ))}
            <th scope="col">total</th>
          </tr>
        </thead>
        <tbody>
          {hours.map((h, i) => (
            <tr key={h.hour}>
              <th scope="row">{i === last ? `${hourLabel(h.hour)} (this hour)` : hourLabel(h.hour)}</th>
              {SEVERITIES.map((s) => (
                <td key={s}>{h[s]}</td>
              ))}
              <td>{totals[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function TopClassifications({ items }: { readonly items: AlertStatsView['topClassifications'] }): React.JSX.Element {
  if (items.length === 0) {
    return <p>No alerts in the last 24 hours.</p>;
  }
  const max = Math.max(1, ...items.map((c) => c.count));
  return (
    <table className="top-classes">
      <caption>Top classifications</caption>
      <thead>
        <tr>
          <th scope="col">Classification</th>
          <th scope="col">Alerts</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => {
          const name = c.classification
            ? `${c.classification.taxonomy}/${c.classification.type ?? '*'}`
            : 'unclassified';
          return (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>
                <span className="count">{c.count}</span>
                <svg className="meter" viewBox="0 0 100 10" aria-hidden="true">
                  <rect x="0" y="0" width={(c.count / max) * 100} height="10" />
                </svg>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function DashboardPage({ user }: { readonly user: SessionUser }): React.JSX.Element {
  const [stats, setStats] = useState<AlertStatsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    getStats().then(
      (s) => {
        setStats(s);
        setError(null);
      },
      (e: unknown) => setError(e instanceof ProblemError ? e.message : String(e)),
    );
  }, []);

  useEffect(() => {
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const countries = stats
    ? Object.fromEntries(Object.entries(stats.sourceCountries).filter(([k]) => k !== 'anonymous' && k !== 'unknown'))
    : {};
  return (
    <section className="dashboard" aria-labelledby="dashboard-title">
      <div className="dashboard-head">
        <h1 id="dashboard-title">Dashboard</h1>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      {error !== null && <p role="alert">{error}</p>}
      {stats === null ? (
        <p>Loading…</p>
      ) : (
        <>
          <p className="window">
            Published alerts you may see, from {new Date(stats.since).toLocaleString()} to{' '}
            {new Date(stats.until).toLocaleString()}.
          </p>
          <dl className="tiles">
            {stats.reviewQueue !== null && (
              <div>
                <dt>Review queue</dt>
                <dd>{stats.reviewQueue}</dd>
              </div>
            )}
            <div>
              <dt>Your organisation's connected sockets</dt>
              <dd>{stats.subscribers ? stats.subscribers.ownSockets : 'unknown'}</dd>
            </div>
            <div>
              <dt>Organisations connected</dt>
              <dd>{stats.subscribers ? stats.subscribers.organisations : 'unknown'}</dd>
            </div>
          </dl>
          <div className="panels">
            <section aria-labelledby="hourly-title">
              <h2 id="hourly-title">Alerts per hour</h2>
              <HourlyChart hours={stats.hours} />
            </section>
            <section aria-labelledby="classes-title">
              <h2 id="classes-title">Top classifications</h2>
              <TopClassifications items={stats.topClassifications} />
            </section>
            <section aria-labelledby="countries-title" className="wide">
              <h2 id="countries-title">Source countries</h2>
              <LazyWorldMap counts={countries} label="Alerts by source country" />
              <p>
                Anonymous sources (country not shown): <strong>{stats.sourceCountries.anonymous ?? 0}</strong>
                {stats.sourceCountries.unknown ? `; no country: ${stats.sourceCountries.unknown}` : ''}
              </p>
            </section>
          </div>
          <p className="who-sees">
            Counted by the hub over what {user.email}&apos;s organisation may see: the same rule as the alert list.
          </p>
        </>
      )}
    </section>
  );
}
