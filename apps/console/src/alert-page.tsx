import { useEffect, useState } from 'react';
import { exportUrl, getAlert, getIndicators, type AlertView, type IndicatorsPage } from './api';
import { classificationText, SeverityBadge, sourceText, TlpBadge } from './badges';
import { BASE, onLinkClick } from './router';

export function AlertPage({ id }: { readonly id: string }): React.JSX.Element {
  const [alert, setAlert] = useState<AlertView | null>(null);
  const [indicators, setIndicators] = useState<IndicatorsPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([getAlert(id), getIndicators(id)]).then(
      ([a, i]) => {
        setAlert(a);
        setIndicators(i);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [id]);

  if (error !== null) {
    return (
      <section>
        <h1>Alert</h1>
        <p role="alert">{error}</p>
        <a href={BASE} onClick={onLinkClick}>
          Back to the feed
        </a>
      </section>
    );
  }
  if (alert === null || indicators === null) {
    return <p>Loading…</p>;
  }
  return (
    <section aria-labelledby="alert-title">
      <h1 id="alert-title">{alert.title}</h1>
      <dl className="fields">
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={alert.severity} />
        </dd>
        <dt>TLP</dt>
        <dd>
          <TlpBadge tlp={alert.tlp} />
        </dd>
        <dt>Classification</dt>
        <dd>{classificationText(alert.classification)}</dd>
        <dt>Source</dt>
        <dd>{sourceText(alert.source)}</dd>
        <dt>Status</dt>
        <dd>{alert.status}</dd>
        <dt>Submitted</dt>
        <dd>{alert.submittedAt}</dd>
        <dt>Indicators</dt>
        <dd>{alert.indicatorCount}</dd>
        {alert.description !== null && (
          <>
            <dt>Description</dt>
            <dd>{alert.description}</dd>
          </>
        )}
      </dl>
      <p>
        Download: <a href={exportUrl(alert.id, 'stix')}>STIX 2.1 bundle</a> ·{' '}
        <a href={exportUrl(alert.id, 'misp')}>MISP event</a>
      </p>
      <table className="indicators" aria-label="Indicators">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Type</th>
            <th scope="col">Value</th>
            <th scope="col">Flags</th>
            <th scope="col">Actionable</th>
            <th scope="col">Rejected</th>
          </tr>
        </thead>
        <tbody>
          {indicators.items.map((i) => (
            <tr key={i.position}>
              <td>{i.position}</td>
              <td>{i.type ?? 'unknown'}</td>
              <td>{i.canonicalValue ?? i.rawValue}</td>
              <td>{i.flags.join(', ')}</td>
              <td>{i.actionable ? 'yes' : 'no'}</td>
              <td>{i.rejection ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {indicators.nextCursor !== null && <p>Only the first page of indicators is shown.</p>}
    </section>
  );
}
