import { useCallback, useEffect, useState } from 'react';
import { ProblemError } from './api';
import { changeTrust, listOrgs, orgAudit, type AuditPage, type OrgView } from './api-admin';

export const TRUST_NAMES = ['suspended', 'provisional', 'member', 'trusted', 'coordinator'] as const;

export function trustText(level: number): string {
  return `${level} ${TRUST_NAMES[level] ?? ''}`.trim();
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The API's field errors of a problem at `pointer` or inside it (`/cidrs/3` names the 4th entry). */
export function fieldErrors(e: unknown, pointer: string): string[] {
  if (!(e instanceof ProblemError)) {
    return [];
  }
  return e.errors.flatMap((f) => {
    if (f.pointer === pointer) {
      return [f.detail];
    }
    const rest = f.pointer?.startsWith(`${pointer}/`) ? f.pointer.slice(pointer.length + 1) : null;
    return rest === null
      ? []
      : [/^\d+$/.test(rest) ? `entry ${Number(rest) + 1}: ${f.detail}` : `${rest}: ${f.detail}`];
  });
}

function valuesText(v: Record<string, unknown>): string {
  const entries = Object.entries(v);
  return entries.length === 0 ? '—' : entries.map(([k, x]) => `${k}: ${JSON.stringify(x)}`).join(', ');
}

/** One organisation's audit trail, newest first, as the API gives it. */
function AuditTrail({ org, names, version }: { org: OrgView; names: Map<string, string>; version: number }) {
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPage(null);
    orgAudit(org.id).then(setPage, (e: unknown) => setError(message(e)));
  }, [org.id, version]);
  return (
    <section aria-labelledby="audit-heading" className="admin-audit">
      <h3 id="audit-heading">Audit trail of {org.name}</h3>
      {error !== null && <p role="alert">{error}</p>}
      {page === null && error === null && <p>Loading…</p>}
      {page !== null && page.items.length === 0 && <p>No entries yet.</p>}
      {page !== null && page.items.length > 0 && (
        <table>
          <caption>Audit trail of {org.name}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
              <th scope="col">Reason</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((a) => (
              <tr key={a.id}>
                <td>{a.at}</td>
                <td>{a.action}</td>
                <td>{valuesText(a.oldValue)}</td>
                <td>{valuesText(a.newValue)}</td>
                <td>{a.reason}</td>
                <td>
                  {names.get(a.actorOrgId) ?? a.actorOrgId}
                  {a.actorUserId !== null ? ` (user ${a.actorUserId.slice(0, 8)})` : ''}
                  {a.actorKeyId !== null ? ` (key ${a.actorKeyId.slice(0, 8)})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Changes an organisation's trust level: a reason is required, the API records both in the audit trail. */
function TrustForm({ org, onChanged }: { org: OrgView; onChanged: (o: OrgView) => void }) {
  const [level, setLevel] = useState(String(org.trustLevel));
  const [reason, setReason] = useState('');
  const [refused, setRefused] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    setReason('');
    setRefused([]);
    setDone(null);
  }, [org.id]);
  useEffect(() => setLevel(String(org.trustLevel)), [org.id, org.trustLevel]);

  const save = (): void => {
    setDone(null);
    if (reason.trim() === '') {
      setRefused(['A reason is required: it is recorded in the audit trail.']);
      return;
    }
    setBusy(true);
    setRefused([]);
    changeTrust(org.id, Number(level), reason.trim()).then(
      (o) => {
        setBusy(false);
        setReason('');
        setDone(`${o.name} is now trust ${trustText(o.trustLevel)}.`);
        onChanged(o);
      },
      (e: unknown) => {
        setBusy(false);
        const fields = [...fieldErrors(e, '/reason'), ...fieldErrors(e, '/trustLevel')];
        setRefused(fields.length > 0 ? fields : [message(e)]);
      },
    );
  };

  return (
    <form
      className="admin-form"
      noValidate
      aria-labelledby="trust-heading"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3 id="trust-heading">Trust level of {org.name}</h3>
      <p>Now: {trustText(org.trustLevel)}</p>
      <label htmlFor="trust-level">New trust level</label>
      <select id="trust-level" value={level} onChange={(e) => setLevel(e.target.value)}>
        {TRUST_NAMES.map((name, i) => (
          <option key={name} value={String(i)}>
            {trustText(i)}
          </option>
        ))}
      </select>
      <label htmlFor="trust-reason">Reason (required)</label>
      <textarea
        id="trust-reason"
        value={reason}
        aria-invalid={refused.length > 0}
        aria-describedby={refused.length > 0 ? 'trust-refused' : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      {refused.length > 0 && (
        <p id="trust-refused" role="alert" className="field-error">
          {refused.join(' ')}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Change trust level
      </button>
      {done !== null && <p role="status">{done}</p>}
    </form>
  );
}

/** Organisations the admin may see (all of them for a hub admin), the chosen one's trust and audit trail. */
export function OrgsPanel({ ownOrg }: { ownOrg: OrgView }) {
  const [orgs, setOrgs] = useState<OrgView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string>(ownOrg.id);
  const [version, setVersion] = useState(0);
  const load = useCallback(() => {
    listOrgs().then(
      (p) => setOrgs(p.items),
      (e: unknown) => setError(message(e)),
    );
  }, []);
  useEffect(load, [load]);
  const org = orgs?.find((o) => o.id === chosen) ?? null;
  const names = new Map((orgs ?? []).map((o) => [o.id, o.name]));
  // The API lets the hub's admins change any other organisation's level, nobody their own.
  const mayChangeTrust = ownOrg.isHub && org !== null && org.id !== ownOrg.id;

  return (
    <div className="admin-orgs">
      <section aria-labelledby="orgs-heading">
        <h2 id="orgs-heading">Organisations</h2>
        {error !== null && <p role="alert">{error}</p>}
        {orgs === null && error === null && <p>Loading…</p>}
        {orgs !== null && (
          <table>
            <caption>Organisations you may see</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Country</th>
                <th scope="col">Sector</th>
                <th scope="col">Trust level</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {orgs.map((o) => (
                <tr key={o.id} aria-current={o.id === chosen ? 'true' : undefined}>
                  <td>
                    {o.name}
                    {o.isHub ? ' (the hub)' : ''}
                  </td>
                  <td>{o.country}</td>
                  <td>{o.sector ?? '—'}</td>
                  <td>{trustText(o.trustLevel)}</td>
                  <td>
                    <button type="button" onClick={() => setChosen(o.id)} aria-pressed={o.id === chosen}>
                      Show {o.name}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {org !== null && (
        <div className="admin-beside">
          {mayChangeTrust ? (
            <TrustForm
              org={org}
              onChanged={(o) => {
                setOrgs((old) => (old ?? []).map((x) => (x.id === o.id ? o : x)));
                setVersion((v) => v + 1);
              }}
            />
          ) : (
            <p>
              {org.name}: trust {trustText(org.trustLevel)}.{' '}
              {ownOrg.isHub
                ? 'No organisation changes its own trust level.'
                : 'Only the hub’s admins change trust levels.'}
            </p>
          )}
          <AuditTrail org={org} names={names} version={version} />
        </div>
      )}
    </div>
  );
}
