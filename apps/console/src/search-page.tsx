import { useState } from 'react';
import { lookupIndicator, searchAlerts, type AlertFilters, type AlertView, type IndicatorLookupView } from './api';
import { classificationText, SeverityBadge, sourceText, TlpBadge } from './badges';
import { onLinkClick } from './router';

const STATUSES = ['', 'queued', 'normalized', 'pending_review', 'published', 'rejected', 'revoked'];
const SEVERITIES = ['', 'low', 'medium', 'high', 'critical'];
const TLPS = ['', 'CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];

const NO_FILTERS: AlertFilters = { status: '', severity: '', tlp: '', q: '' };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function alertHref(id: string): string {
  return `/console/alerts/${encodeURIComponent(id)}`;
}

function Select(props: {
  readonly label: string;
  readonly value: string;
  readonly options: readonly string[];
  readonly onChange: (v: string) => void;
}): React.JSX.Element {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o === '' ? 'any' : o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The alert list with filters and "more" paging by cursor (`GET /api/v1/alerts`). */
function AlertSearch(): React.JSX.Element {
  const [filters, setFilters] = useState<AlertFilters>(NO_FILTERS);
  const [items, setItems] = useState<AlertView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [limit, setLimit] = useState(20);

  const load = (cursor: string | null): void => {
    setBusy(true);
    setError(null);
    searchAlerts(filters, cursor, limit).then(
      (page) => {
        setItems((old) => (cursor === null ? page.items : [...(old ?? []), ...page.items]));
        setNext(page.nextCursor);
        setBusy(false);
      },
      (e: unknown) => {
        setError(message(e));
        setBusy(false);
      },
    );
  };

  return (
    <section aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Alerts</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          load(null);
        }}
      >
        <Select
          label="Status"
          value={filters.status}
          options={STATUSES}
          onChange={(status) => setFilters({ ...filters, status })}
        />
        <Select
          label="Severity"
          value={filters.severity}
          options={SEVERITIES}
          onChange={(severity) => setFilters({ ...filters, severity })}
        />
        <Select label="TLP" value={filters.tlp} options={TLPS} onChange={(tlp) => setFilters({ ...filters, tlp })} />
        <label>
          Words
          <input type="search" value={filters.q} onChange={(e) => setFilters({ ...filters, q: e.target.value })} />
        </label>
        <label>
          Per page
          <input
            type="number"
            min={1}
            max={200}
            value={limit}
            onChange={(e) => setLimit(Math.min(200, Math.max(1, Number(e.target.value) || 1)))}
          />
        </label>
        <button type="submit" disabled={busy}>
          Search alerts
        </button>
      </form>
      {error !== null && <p role="alert">{error}</p>}
      {items !== null && (
        <>
          <table aria-label="Search results">
            <thead>
              <tr>
                <th scope="col">Submitted</th>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Severity</th>
                <th scope="col">TLP</th>
                <th scope="col">Classification</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>{a.submittedAt}</td>
                  <td>
                    <a href={alertHref(a.id)} onClick={onLinkClick}>
                      {a.title}
                    </a>
                  </td>
                  <td>{a.status}</td>
                  <td>
                    <SeverityBadge severity={a.severity} />
                  </td>
                  <td>
                    <TlpBadge tlp={a.tlp} />
                  </td>
                  <td>{classificationText(a.classification)}</td>
                  <td>{sourceText(a.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length === 0 && <p>No alert matches.</p>}
          {next !== null && (
            <button type="button" disabled={busy} onClick={() => load(next)}>
              More alerts
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** "Who else reported this?": every visible alert carrying a value (`GET /api/v1/indicators?value=`). */
function IndicatorLookup(): React.JSX.Element {
  const [value, setValue] = useState('');
  const [result, setResult] = useState<IndicatorLookupView | null>(null);
  const [error, setError] = useState<string | null>(null);

  return (
    <section aria-labelledby="lookup-heading">
      <h2 id="lookup-heading">Indicator lookup</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          lookupIndicator(value.trim()).then(setResult, (err: unknown) => {
            setResult(null);
            setError(message(err));
          });
        }}
      >
        <label>
          Indicator value
          <input value={value} required onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit">Look up</button>
      </form>
      {error !== null && <p role="alert">{error}</p>}
      {result !== null && (
        <>
          <p role="status">
            {result.type} <code>{result.value}</code>: {result.alertCount} alert{result.alertCount === 1 ? '' : 's'}
            {result.firstSeen !== null && `, first seen ${result.firstSeen}, last seen ${result.lastSeen ?? ''}`}
          </p>
          <table aria-label="Alerts carrying the value">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Severity</th>
                <th scope="col">TLP</th>
                <th scope="col">Source</th>
                <th scope="col">Reported</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((s) => (
                <tr key={s.alertId}>
                  <td>
                    <a href={alertHref(s.alertId)} onClick={onLinkClick}>
                      {s.title}
                    </a>
                  </td>
                  <td>{s.severity}</td>
                  <td>TLP:{s.tlp}</td>
                  <td>{sourceText(s.source)}</td>
                  <td>{s.reportedAt}</td>
                  <td>{s.firstSeen ?? s.reportedAt}</td>
                  <td>{s.lastSeen ?? s.reportedAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.nextCursor !== null && <p>Only the first page of alerts is shown.</p>}
        </>
      )}
    </section>
  );
}

export function SearchPage(): React.JSX.Element {
  return (
    <>
      <h1>Search</h1>
      <AlertSearch />
      <IndicatorLookup />
    </>
  );
}
