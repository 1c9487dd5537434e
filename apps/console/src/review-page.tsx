import { useEffect, useState } from 'react';
import { reviewAlert, reviewQueue, type AlertView, type SessionUser } from './api';
import { classificationText, SeverityBadge, sourceText, TlpBadge } from './badges';
import { onLinkClick } from './router';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function submitter(a: AlertView): string {
  const name = a.source.org?.name;
  return name ? `${name} (${sourceText(a.source)})` : sourceText(a.source);
}

/** One held alert: why it was held, who submitted it, and approve or reject with a reason. */
function HeldAlert({
  alert,
  user,
  onDecided,
}: {
  readonly alert: AlertView;
  readonly user: SessionUser;
  readonly onDecided: (a: AlertView) => void;
}): React.JSX.Element {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ownOrg = alert.sourceOrgId === user.orgId;
  const reasonId = `reason-${alert.id}`;

  const decide = (decision: 'approve' | 'reject'): void => {
    setBusy(true);
    setError(null);
    reviewAlert(alert.id, decision, reason.trim()).then(onDecided, (e: unknown) => {
      setError(message(e));
      setBusy(false);
    });
  };

  return (
    <li className="held" aria-labelledby={`title-${alert.id}`}>
      <h3 id={`title-${alert.id}`}>
        <a href={`/console/alerts/${encodeURIComponent(alert.id)}`} onClick={onLinkClick}>
          {alert.title}
        </a>
      </h3>
      <p>
        <SeverityBadge severity={alert.severity} /> <TlpBadge tlp={alert.tlp} />{' '}
        {classificationText(alert.classification)} · {alert.indicatorCount} indicators · submitted {alert.submittedAt}
      </p>
      <dl className="fields">
        <dt>Held because</dt>
        <dd>{alert.statusReason ?? 'no reason recorded'}</dd>
        <dt>Submitted by</dt>
        <dd>{submitter(alert)}</dd>
        <dt>Four eyes</dt>
        <dd>
          {ownOrg
            ? 'Your organisation submitted this alert: another organisation must review it.'
            : `A second pair of eyes: you (${user.email}) review what ${submitter(alert)} submitted.`}
        </dd>
      </dl>
      {!ownOrg && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <label htmlFor={reasonId}>Reason</label>
          <textarea id={reasonId} value={reason} required onChange={(e) => setReason(e.target.value)} />
          <button type="button" disabled={busy || reason.trim() === ''} onClick={() => decide('approve')}>
            Approve
          </button>
          <button type="button" disabled={busy || reason.trim() === ''} onClick={() => decide('reject')}>
            Reject
          </button>
        </form>
      )}
      {error !== null && <p role="alert">{error}</p>}
    </li>
  );
}

/** The review queue (`GET /api/v1/alerts?status=pending_review`, oldest first) for vetters. */
export function ReviewPage({ user }: { readonly user: SessionUser }): React.JSX.Element {
  const [items, setItems] = useState<AlertView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [decided, setDecided] = useState<AlertView[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = (cursor: string | null): void => {
    reviewQueue(cursor).then(
      (page) => {
        setItems((old) => (cursor === null ? page.items : [...(old ?? []), ...page.items]));
        setNext(page.nextCursor);
      },
      (e: unknown) => setError(message(e)),
    );
  };
  useEffect(() => load(null), []);

  return (
    <section aria-labelledby="review-heading">
      <h1 id="review-heading">Review queue</h1>
      {error !== null && <p role="alert">{error}</p>}
      {items === null && error === null && <p>Loading…</p>}
      {items !== null && items.length === 0 && <p>Nothing is waiting for review.</p>}
      {items !== null && items.length > 0 && (
        <ul className="queue" aria-label="Held alerts">
          {items.map((a) => (
            <HeldAlert
              key={a.id}
              alert={a}
              user={user}
              onDecided={(done) => {
                setItems((old) => (old ?? []).filter((i) => i.id !== done.id));
                setDecided((old) => [done, ...old]);
              }}
            />
          ))}
        </ul>
      )}
      {next !== null && (
        <button type="button" onClick={() => load(next)}>
          More held alerts
        </button>
      )}
      {decided.length > 0 && (
        <section aria-labelledby="decided-heading">
          <h2 id="decided-heading">Decided here</h2>
          <ul aria-label="Decided alerts">
            {decided.map((a) => (
              <li key={a.id}>
                {a.title}: {a.review?.decision === 'reject' ? 'rejected' : 'approved'} by {user.email} — now {a.status}
                {a.review ? ` (“${a.review.reason}”)` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
