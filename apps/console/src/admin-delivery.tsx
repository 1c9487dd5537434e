import { useCallback, useEffect, useState } from 'react';
import { entries, fieldProblems, type ConstituencyKind } from './admin-checks';
import { fieldErrors, message } from './admin-orgs';
import {
  createSubscription,
  deleteSubscription,
  getConstituency,
  listSubscriptions,
  setConstituency,
  type ConstituencyView,
  type OrgView,
  type SubscriptionInput,
  type SubscriptionView,
} from './api-admin';

const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

type ListFilter = 'countries' | 'sourceCountries' | 'classifications' | 'indicatorTypes' | 'sectors';
const LIST_FILTERS: readonly { key: ListFilter; label: string; hint: string }[] = [
  { key: 'countries', label: 'Targeted countries', hint: 'ISO codes, comma-separated: FI, EE' },
  { key: 'sourceCountries', label: 'Source countries', hint: 'ISO codes, comma-separated: SE' },
  { key: 'classifications', label: 'Classifications', hint: 'RSIT: malicious-code or fraud/phishing' },
  { key: 'indicatorTypes', label: 'Indicator types', hint: 'ipv4, domain, sha256…' },
  { key: 'sectors', label: 'Sectors', hint: 'comma-separated' },
];

function filtersText(s: SubscriptionView): string {
  const parts = Object.entries(s.filters as Record<string, unknown>).map(
    ([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`,
  );
  return parts.length === 0 ? 'everything it may see' : parts.join('; ');
}

/** The organisation's subscriptions (any key of it manages them): list, create with filters, delete. */
export function SubscriptionsPanel({ org }: { org: OrgView }) {
  const [subs, setSubs] = useState<SubscriptionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [minSeverity, setMinSeverity] = useState('');
  const [tlp, setTlp] = useState<string[]>([]);
  const [lists, setLists] = useState<Record<ListFilter, string>>({
    countries: '',
    sourceCountries: '',
    classifications: '',
    indicatorTypes: '',
    sectors: '',
  });
  const [coordinatedOnly, setCoordinatedOnly] = useState(false);
  const [refused, setRefused] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useCallback(() => {
    listSubscriptions().then(
      (p) => setSubs(p.items),
      (e: unknown) => setError(message(e)),
    );
  }, []);
  useEffect(load, [load]);

  const body = (): SubscriptionInput => {
    const filters: Record<string, unknown> = {};
    if (minSeverity !== '') {
      filters.minSeverity = minSeverity;
    }
    if (tlp.length > 0) {
      filters.tlp = tlp;
    }
    for (const { key } of LIST_FILTERS) {
      const values = entries(lists[key]);
      if (values.length > 0) {
        filters[key] = values;
      }
    }
    if (coordinatedOnly) {
      filters.coordinatedOnly = true;
    }
    return { ...(name.trim() === '' ? {} : { name: name.trim() }), filters };
  };
  const errorsOf = (pointer: string): string[] => fieldErrors(refused, pointer);
  const errorNote = (id: string, pointer: string) =>
    errorsOf(pointer).length > 0 ? (
      <p id={id} className="field-error">
        {errorsOf(pointer).join(' ')}
      </p>
    ) : null;

  return (
    <section aria-labelledby="subs-heading">
      <h2 id="subs-heading">Subscriptions of {org.name}</h2>
      <form
        className="admin-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          createSubscription(body()).then(
            (s) => {
              setRefused(null);
              setDone(`Subscription ${s.name} created.`);
              setName('');
              load();
            },
            (err: unknown) => setRefused(err),
          );
        }}
      >
        <h3>New subscription</h3>
        <label htmlFor="sub-name">Name</label>
        <input id="sub-name" value={name} onChange={(e) => setName(e.target.value)} />
        {errorNote('sub-name-error', '/name')}
        <label htmlFor="sub-min-severity">Minimum severity</label>
        <select id="sub-min-severity" value={minSeverity} onChange={(e) => setMinSeverity(e.target.value)}>
          <option value="">any</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        {errorNote('sub-min-severity-error', '/filters/minSeverity')}
        <fieldset>
          <legend>TLP labels (none: all it may see)</legend>
          {TLPS.map((t) => (
            <label key={t} className="inline">
              <input
                type="checkbox"
                checked={tlp.includes(t)}
                onChange={(e) => setTlp((old) => (e.target.checked ? [...old, t] : old.filter((x) => x !== t)))}
              />
              {t}
            </label>
          ))}
        </fieldset>
        {errorNote('sub-tlp-error', '/filters/tlp')}
        {LIST_FILTERS.map(({ key, label, hint }) => (
          <div key={key} className="admin-field">
            <label htmlFor={`sub-${key}`}>{label}</label>
            <input
              id={`sub-${key}`}
              value={lists[key]}
              placeholder={hint}
              aria-invalid={errorsOf(`/filters/${key}`).length > 0}
              aria-describedby={errorsOf(`/filters/${key}`).length > 0 ? `sub-${key}-error` : undefined}
              onChange={(e) => setLists((old) => ({ ...old, [key]: e.target.value }))}
            />
            {errorNote(`sub-${key}-error`, `/filters/${key}`)}
          </div>
        ))}
        <label className="inline">
          <input type="checkbox" checked={coordinatedOnly} onChange={(e) => setCoordinatedOnly(e.target.checked)} />
          Coordinated alerts only
        </label>
        <button type="submit">Create subscription</button>
        {refused !== null && <p role="alert">Refused: {message(refused)}</p>}
        {done !== null && <p role="status">{done}</p>}
      </form>
      {error !== null && <p role="alert">{error}</p>}
      {subs === null && error === null && <p>Loading…</p>}
      {subs !== null && (
        <table>
          <caption>Subscriptions of {org.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Filters</th>
              <th scope="col">Acknowledged up to</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {subs.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{filtersText(s)}</td>
                <td>{s.ackedSeq}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      deleteSubscription(s.id).then(load, (e: unknown) => setError(message(e)));
                    }}
                  >
                    Delete {s.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const KINDS: readonly { kind: ConstituencyKind; label: string; hint: string }[] = [
  { kind: 'countries', label: 'Countries', hint: 'ISO 3166-1 alpha-2, one per line: LU' },
  { kind: 'asns', label: 'AS numbers', hint: 'one per line: AS64500' },
  { kind: 'cidrs', label: 'CIDR ranges', hint: 'one per line: 203.0.113.0/24 or 2001:db8::/32' },
  { kind: 'domains', label: 'Domains', hint: 'one per line: example.lu' },
];

type Texts = Record<ConstituencyKind, string>;

function textsOf(c: ConstituencyView): Texts {
  return {
    countries: c.countries.join('\n'),
    asns: c.asns.join('\n'),
    cidrs: c.cidrs.join('\n'),
    domains: c.domains.join('\n'),
  };
}

/** The organisation's constituency, checked as it is typed; saving replaces it whole (the API normalizes). */
export function ConstituencyPanel({ org }: { org: OrgView }) {
  const [current, setCurrent] = useState<ConstituencyView | null>(null);
  const [texts, setTexts] = useState<Texts>({ countries: '', asns: '', cidrs: '', domains: '' });
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    getConstituency(org.id).then(
      (c) => {
        setCurrent(c);
        setTexts(textsOf(c));
      },
      (e: unknown) => setError(message(e)),
    );
  }, [org.id]);
  const problems = Object.fromEntries(KINDS.map(({ kind }) => [kind, fieldProblems(kind, texts[kind])])) as Record<
    ConstituencyKind,
    ReturnType<typeof fieldProblems>
  >;
  const count = KINDS.reduce((n, { kind }) => n + problems[kind].length, 0);

  return (
    <section aria-labelledby="constituency-heading">
      <h2 id="constituency-heading">Constituency of {org.name}</h2>
      {error !== null && <p role="alert">{error}</p>}
      {current !== null && (
        <p>
          Version {current.version}
          {current.updatedAt !== null ? `, changed ${current.updatedAt}` : ', never set'}.
        </p>
      )}
      <form
        className="admin-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          if (count > 0) {
            setRefused(new Error(`Fix the ${count} marked entr${count === 1 ? 'y' : 'ies'} first.`));
            return;
          }
          const body = Object.fromEntries(KINDS.map(({ kind }) => [kind, entries(texts[kind])]));
          setConstituency(org.id, body).then(
            (c) => {
              setRefused(null);
              setCurrent(c);
              setTexts(textsOf(c));
              setDone(`Saved: version ${c.version}.`);
            },
            (err: unknown) => setRefused(err),
          );
        }}
      >
        {KINDS.map(({ kind, label, hint }) => {
          const mine = problems[kind];
          const fromApi = fieldErrors(refused, `/${kind}`);
          const errorId = `constituency-${kind}-error`;
          const invalid = mine.length + fromApi.length > 0;
          return (
            <div key={kind} className="admin-field">
              <label htmlFor={`constituency-${kind}`}>{label}</label>
              <textarea
                id={`constituency-${kind}`}
                value={texts[kind]}
                rows={4}
                placeholder={hint}
                aria-invalid={invalid}
                aria-describedby={invalid ? errorId : undefined}
                onChange={(e) => setTexts((old) => ({ ...old, [kind]: e.target.value }))}
              />
              {invalid && (
                <ul id={errorId} className="field-error">
                  {mine.map((p) => (
                    <li key={`c${p.index}`}>
                      {p.value}: {p.why}
                    </li>
                  ))}
                  {fromApi.map((d, i) => (
                    <li key={`a${i}`}>The hub refused: {d}</li>
                  ))}
                </ul>
              )}
            </div>
          );
        })}
        <button type="submit">Save constituency</button>
        {refused !== null && <p role="alert">{message(refused)}</p>}
        {done !== null && <p role="status">{done}</p>}
      </form>
    </section>
  );
}
