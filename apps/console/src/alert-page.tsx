import { useCallback, useEffect, useState } from 'react';
import { exportUrl, type SessionUser } from './api';
import {
  coordinatedAlertOf,
  getAlertDetail,
  reportSighting,
  revokeAlert,
  updateAlert,
  type AlertDetailView,
  type AlertPatch,
  type CoordinatedAlertView,
} from './api-detail';
import { classificationText, SeverityBadge, sourceText, TlpBadge } from './badges';
import { IndicatorTable } from './indicator-table';
import { LazyWorldMap } from './world-map-lazy';
import { BASE, onLinkClick } from './router';
import './detail.css';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function AlertPage({ id, user }: { readonly id: string; readonly user: SessionUser }): React.JSX.Element {
  const [alert, setAlert] = useState<AlertDetailView | null>(null);
  const [coordinated, setCoordinated] = useState<CoordinatedAlertView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback((): void => {
    getAlertDetail(id).then(setAlert, (e: unknown) => setError(message(e)));
  }, [id]);

  useEffect(() => {
    setAlert(null);
    setError(null);
    setCoordinated(null);
    reload();
    coordinatedAlertOf(id).then(setCoordinated, () => setCoordinated(null));
  }, [id, reload]);

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
  // The indicators load beside the alert, not after it (both take a while on a 100,000-indicator alert); the
  // table stays the section's last child either way, so it is not mounted twice.
  return (
    <section aria-labelledby={alert === null ? undefined : 'alert-title'} className="alert-detail">
      {alert === null ? (
        <p>Loading…</p>
      ) : (
        <AlertDetails alert={alert} user={user} coordinated={coordinated} reload={reload} setAlert={setAlert} />
      )}
      <IndicatorTable alertId={id} />
    </section>
  );
}

function AlertDetails({
  alert,
  user,
  coordinated,
  reload,
  setAlert,
}: {
  readonly alert: AlertDetailView;
  readonly user: SessionUser;
  readonly coordinated: CoordinatedAlertView | null;
  readonly reload: () => void;
  readonly setAlert: (a: AlertDetailView) => void;
}): React.JSX.Element {
  const own = alert.sourceOrgId !== undefined && alert.sourceOrgId === user.orgId;
  const mayChange = own && user.role === 'operator' && alert.revokedAt === null && alert.status === 'published';
  const mayReport = !own && alert.status === 'published' && alert.revokedAt === null;
  return (
    <>
      <h1 id="alert-title">{alert.title}</h1>
      {alert.revokedAt !== null && (
        <p className="revoked" role="note">
          Revoked on {alert.revokedAt}
          {alert.revokeReason ? `: ${alert.revokeReason}` : ''}
        </p>
      )}
      <dl className="fields">
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={alert.severity} />
        </dd>
        <dt>TLP</dt>
        <dd>
          <TlpBadge tlp={alert.tlp} />
          {alert.tlpDefaulted ? ' (defaulted)' : ''}
        </dd>
        <dt>Classification</dt>
        <dd>{classificationText(alert.classification)}</dd>
        <dt>Source</dt>
        <dd>
          {sourceText(alert.source)}
          {alert.source.org ? ` (${alert.source.org.name})` : ''}
        </dd>
        <dt>Submitted</dt>
        <dd>{alert.submittedAt}</dd>
        <dt>Revision</dt>
        <dd>{alert.revision}</dd>
        {alert.validUntil !== null && (
          <>
            <dt>Valid until</dt>
            <dd>{alert.validUntil}</dd>
          </>
        )}
        <dt>Indicators</dt>
        <dd>
          {alert.indicatorCount} accepted, {alert.rejectedCount} rejected, {alert.warningCount} warning-listed
        </dd>
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
      <TrustDecision alert={alert} />
      <Corroborations alert={alert} />
      <CoordinatedSection coordinated={coordinated} />
      {mayReport && <SightingForm alertId={alert.id} onRecorded={reload} />}
      {mayChange && <ChangeAlert alert={alert} onChanged={setAlertKeepingLinks(alert, setAlert)} />}
    </>
  );
}

/** PATCH and revoke answer the alert without its links: keep those of the detail. */
function setAlertKeepingLinks(
  before: AlertDetailView,
  set: (a: AlertDetailView) => void,
): (a: Omit<AlertDetailView, 'linkedAlerts'>) => void {
  return (a) => set({ ...a, linkedAlerts: before.linkedAlerts });
}

function TrustDecision({ alert }: { readonly alert: AlertDetailView }): React.JSX.Element {
  return (
    <section aria-labelledby="trust-heading">
      <h2 id="trust-heading">Trust decision</h2>
      <dl className="fields">
        <dt>Status</dt>
        <dd>{alert.status}</dd>
        <dt>Why</dt>
        <dd>{alert.statusReason ?? 'not shown to your organisation (the submitter and its reviewer see it)'}</dd>
        <dt>Source trust</dt>
        <dd>{alert.source.trustBand}</dd>
        <dt>Confidence</dt>
        <dd>{alert.confidence ?? 'not given'}</dd>
        {alert.review !== undefined && alert.review !== null && (
          <>
            <dt>Review</dt>
            <dd>
              {alert.review.decision === 'approve' ? 'approved' : 'rejected'} on {alert.review.at}:{' '}
              {alert.review.reason}
            </dd>
          </>
        )}
        <dt>Sightings</dt>
        <dd>
          {alert.sightingCount} sighting{alert.sightingCount === 1 ? '' : 's'}, {alert.falsePositiveCount} false
          positive{alert.falsePositiveCount === 1 ? '' : 's'}
        </dd>
      </dl>
    </section>
  );
}

function Corroborations({ alert }: { readonly alert: AlertDetailView }): React.JSX.Element {
  return (
    <section aria-labelledby="corroborations-heading">
      <h2 id="corroborations-heading">Corroborations</h2>
      {alert.linkedAlerts.length === 0 ? (
        <p>No other organisation&apos;s report you may see shares an indicator with this one.</p>
      ) : (
        <table aria-labelledby="corroborations-heading">
          <thead>
            <tr>
              <th scope="col">Report</th>
              <th scope="col">Source</th>
              <th scope="col">Submitted</th>
              <th scope="col">Shared indicators</th>
            </tr>
          </thead>
          <tbody>
            {alert.linkedAlerts.map((l) => (
              <tr key={l.alertId}>
                <td>
                  <a href={`${BASE}alerts/${encodeURIComponent(l.alertId)}`} onClick={onLinkClick}>
                    Linked report {l.alertId.slice(0, 8)}
                  </a>
                </td>
                <td>
                  {sourceText(l.source)}
                  {l.source.org ? ` (${l.source.org.name})` : ''}
                </td>
                <td>{l.submittedAt}</td>
                <td>
                  {l.sharedCount}: {l.sharedIndicators.join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Each country of the coordinated alert with the number of its reports from there (at least 1). */
function reportsByCountry(coordinated: CoordinatedAlertView): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const country of coordinated.countries) {
    const reports = coordinated.reports.filter((r) => r.country === country).length;
    counts[country] = Math.max(1, reports);
  }
  return counts;
}

function CoordinatedSection({ coordinated }: { readonly coordinated: CoordinatedAlertView | null }): React.JSX.Element {
  return (
    <section aria-labelledby="coordinated-heading">
      <h2 id="coordinated-heading">Coordinated alert</h2>
      {coordinated === null ? (
        <p>This report is not part of a coordinated alert you may see.</p>
      ) : (
        <>
          <p>
            {coordinated.status}: {coordinated.orgCount} organisations, {coordinated.reportCount} reports,{' '}
            {coordinated.sharedIndicators.length} shared indicators, from {coordinated.firstReport} to{' '}
            {coordinated.lastReport}.
          </p>
          <LazyWorldMap counts={reportsByCountry(coordinated)} label="Countries of the coordinated alert" />
        </>
      )}
    </section>
  );
}

function SightingForm({ alertId, onRecorded }: { readonly alertId: string; readonly onRecorded: () => void }) {
  const [type, setType] = useState<'sighting' | 'false-positive'>('sighting');
  const [indicator, setIndicator] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="sighting-heading">
      <h2 id="sighting-heading">Report a sighting or a false positive</h2>
      <form
        className="stacked"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          reportSighting(alertId, type, indicator.trim() === '' ? null : indicator.trim()).then(
            (r) => {
              setBusy(false);
              setOutcome(
                `${r.recorded ? 'Recorded' : 'Already reported by your organisation'}: ${r.sightingCount} sightings, ${r.falsePositiveCount} false positives.`,
              );
              onRecorded();
            },
            (err: unknown) => {
              setBusy(false);
              setOutcome(`Not recorded: ${message(err)}`);
            },
          );
        }}
      >
        <label>
          Report
          <select value={type} onChange={(e) => setType(e.target.value as 'sighting' | 'false-positive')}>
            <option value="sighting">Sighting</option>
            <option value="false-positive">False positive</option>
          </select>
        </label>
        <label>
          Indicator value (empty: the whole alert)
          <input value={indicator} onChange={(e) => setIndicator(e.target.value)} maxLength={2048} />
        </label>
        <button type="submit" disabled={busy}>
          Send report
        </button>
      </form>
      {outcome !== null && <p role="status">{outcome}</p>}
    </section>
  );
}

/** datetime-local ↔ ISO 8601 in UTC. */
const toLocalInput = (iso: string | null): string => (iso === null ? '' : iso.slice(0, 16));

function ChangeAlert({
  alert,
  onChanged,
}: {
  readonly alert: AlertDetailView;
  readonly onChanged: (a: Omit<AlertDetailView, 'linkedAlerts'>) => void;
}): React.JSX.Element {
  const [title, setTitle] = useState(alert.title);
  const [description, setDescription] = useState(alert.description ?? '');
  const [severity, setSeverity] = useState(alert.severity);
  const [validUntil, setValidUntil] = useState(toLocalInput(alert.validUntil));
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = (p: Promise<Omit<AlertDetailView, 'linkedAlerts'>>, done: string): void => {
    setBusy(true);
    p.then(
      (a) => {
        setBusy(false);
        setOutcome(done);
        onChanged(a);
      },
      (err: unknown) => {
        setBusy(false);
        setOutcome(message(err));
      },
    );
  };

  return (
    <section aria-labelledby="change-heading">
      <h2 id="change-heading">Update or revoke (your organisation&apos;s alert)</h2>
      <form
        className="stacked"
        aria-label="Update the alert"
        onSubmit={(e) => {
          e.preventDefault();
          const patch: AlertPatch = {};
          if (title !== alert.title) {
            patch.title = title;
          }
          if (description !== (alert.description ?? '')) {
            patch.description = description === '' ? null : description;
          }
          if (severity !== alert.severity) {
            patch.severity = severity;
          }
          if (validUntil !== toLocalInput(alert.validUntil)) {
            patch.validUntil = validUntil === '' ? null : `${validUntil}:00Z`;
          }
          if (Object.keys(patch).length === 0) {
            setOutcome('Nothing changed.');
            return;
          }
          run(updateAlert(alert.id, patch), 'Updated: a new revision was sent to the recipients.');
        }}
      >
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} required />
        </label>
        <label>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={20000} />
        </label>
        <label>
          Severity
          <select value={severity} onChange={(e) => setSeverity(e.target.value as AlertDetailView['severity'])}>
            <option value="low">low</option>
            <option value="medium">medium</option>
            <option value="high">high</option>
            <option value="critical">critical</option>
          </select>
        </label>
        <label>
          Valid until (UTC)
          <input type="datetime-local" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Update alert
        </button>
      </form>
      <form
        className="stacked"
        aria-label="Revoke the alert"
        onSubmit={(e) => {
          e.preventDefault();
          run(revokeAlert(alert.id, reason), 'Revoked: the recipients were told.');
        }}
      >
        <label>
          Reason for revoking
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} required />
        </label>
        <button type="submit" disabled={busy}>
          Revoke alert
        </button>
      </form>
      {outcome !== null && <p role="status">{outcome}</p>}
    </section>
  );
}
