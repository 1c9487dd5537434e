import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { indicatorPage, type IndicatorSortKey, type IndicatorTableQuery, type IndicatorView } from './api-detail';

/** Rows per request: the first screenful and a good margin, small enough to answer fast on a 100,000-row alert. */
const PAGE = 200;
const ROW_HEIGHT = 32;

/** Every indicator type, checked against the client's type: a new type on the hub fails to compile here. */
const TYPES = Object.keys({
  ipv4: 1,
  ipv6: 1,
  cidr: 1,
  domain: 1,
  url: 1,
  email: 1,
  md5: 1,
  sha1: 1,
  sha256: 1,
  sha512: 1,
  cve: 1,
  asn: 1,
} satisfies Record<NonNullable<IndicatorView['type']>, 1>);

const FLAGS = [
  'refanged',
  'type-inferred',
  'warning-listed',
  'not-actionable',
  'idn',
  'false-positive',
  'unknown-suffix',
];

const COLUMNS: readonly { readonly label: string; readonly sort?: IndicatorSortKey }[] = [
  { label: '#', sort: 'position' },
  { label: 'Type', sort: 'type' },
  { label: 'Value', sort: 'value' },
  { label: 'Flags' },
  { label: 'Actionable' },
  { label: 'Rejected' },
];

const INITIAL: IndicatorTableQuery = {
  sort: 'position',
  descending: false,
  type: '',
  text: '',
  actionable: '',
  flag: '',
};

interface Loaded {
  readonly rows: IndicatorView[];
  readonly total: number | null;
  readonly nextCursor: string | null;
}

const number = new Intl.NumberFormat('en');

/**
 * An alert's indicators, sorted and filtered by the hub, a page at a time as the reader scrolls: only the rows in
 * view are in the page (@tanstack/react-virtual), inside ARIA table roles (the row count and each row's index).
 */
export function IndicatorTable({ alertId }: { readonly alertId: string }): React.JSX.Element {
  const [query, setQuery] = useState<IndicatorTableQuery>(INITIAL);
  const [text, setText] = useState('');
  const [loaded, setLoaded] = useState<Loaded>({ rows: [], total: null, nextCursor: null });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const scroller = useRef<HTMLDivElement>(null);

  const load = useCallback(
    (q: IndicatorTableQuery, cursor: string | null, before: IndicatorView[]): void => {
      const mine = ++generation.current;
      setLoading(true);
      indicatorPage(alertId, q, cursor, PAGE).then(
        (page) => {
          if (mine !== generation.current) {
            return;
          }
          setLoaded({ rows: [...before, ...page.items], total: page.total, nextCursor: page.nextCursor });
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          if (mine !== generation.current) {
            return;
          }
          setError(e instanceof Error ? e.message : String(e));
          setLoading(false);
        },
      );
    },
    [alertId],
  );

  // A new order or filter starts from the top.
  useEffect(() => {
    setLoaded({ rows: [], total: null, nextCursor: null });
    scroller.current?.scrollTo({ top: 0 });
    load(query, null, []);
  }, [query, load]);

  // Typing in the value filter applies once the reader pauses.
  useEffect(() => {
    if (text === query.text) {
      return;
    }
    const t = window.setTimeout(() => setQuery((q) => ({ ...q, text })), 250);
    return () => window.clearTimeout(t);
  }, [text, query.text]);

  const { rows, total, nextCursor } = loaded;
  const virtualizer = useVirtualizer({
    count: rows.length + (nextCursor !== null ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;

  // The next page when the rows in view reach the end of what is loaded.
  useEffect(() => {
    if (nextCursor !== null && !loading && error === null && lastIndex >= rows.length - 1) {
      load(query, nextCursor, rows);
    }
  }, [lastIndex, nextCursor, loading, error, rows, query, load]);

  const sortBy = (key: IndicatorSortKey): void =>
    setQuery((q) => ({ ...q, sort: key, descending: q.sort === key ? !q.descending : false }));

  return (
    <section aria-labelledby="indicators-heading" className="indicators-section">
      <h2 id="indicators-heading">Indicators</h2>
      <form className="indicator-filters" aria-label="Filter indicators" onSubmit={(e) => e.preventDefault()}>
        <label>
          Type
          <select value={query.type} onChange={(e) => setQuery((q) => ({ ...q, type: e.target.value }))}>
            <option value="">any</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Value contains
          <input type="search" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          Actionable
          <select
            value={query.actionable}
            onChange={(e) =>
              setQuery((q) => ({ ...q, actionable: e.target.value as IndicatorTableQuery['actionable'] }))
            }
          >
            <option value="">any</option>
            <option value="true">yes</option>
            <option value="false">no</option>
          </select>
        </label>
        <label>
          Flag
          <select value={query.flag} onChange={(e) => setQuery((q) => ({ ...q, flag: e.target.value }))}>
            <option value="">any</option>
            {FLAGS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p id="indicator-count" className="indicator-count" role="status">
        {total === null
          ? 'Loading indicators…'
          : `${number.format(total)} indicator${total === 1 ? '' : 's'}${
              rows.length < total ? ` (${number.format(rows.length)} loaded; scroll for more)` : ''
            }`}
      </p>
      {error !== null && <p role="alert">{error}</p>}
      <div
        ref={scroller}
        className="indicator-table"
        role="table"
        aria-label="Indicators"
        aria-rowcount={(total ?? rows.length) + 1}
        aria-busy={loading}
        tabIndex={0}
      >
        <div role="rowgroup" className="indicator-head">
          <div role="row" aria-rowindex={1} className="indicator-row">
            {COLUMNS.map((c) => {
              const active = c.sort !== undefined && query.sort === c.sort;
              return (
                <div
                  key={c.label}
                  role="columnheader"
                  aria-sort={active ? (query.descending ? 'descending' : 'ascending') : c.sort ? 'none' : undefined}
                >
                  {c.sort !== undefined ? (
                    <button type="button" onClick={() => sortBy(c.sort!)}>
                      {c.label === '#' ? 'Position' : c.label}
                      <span aria-hidden="true">{active ? (query.descending ? ' ▼' : ' ▲') : ''}</span>
                    </button>
                  ) : (
                    c.label
                  )}
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="indicator-body" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {items.map((v) => {
            const i = rows[v.index];
            const style = { transform: `translateY(${v.start}px)`, height: `${v.size}px` };
            if (i === undefined) {
              return (
                <div key="more" role="row" aria-rowindex={v.index + 2} className="indicator-row" style={style}>
                  <div role="cell">Loading more indicators…</div>
                </div>
              );
            }
            return (
              <div
                key={i.position}
                role="row"
                aria-rowindex={v.index + 2}
                className={`indicator-row${i.actionable ? '' : ' not-actionable'}`}
                style={style}
              >
                <div role="cell">{i.position}</div>
                <div role="cell">{i.type ?? 'unknown'}</div>
                <div role="cell" className="value">
                  {i.canonicalValue ?? i.rawValue}
                </div>
                <div role="cell">{i.flags.join(', ')}</div>
                <div role="cell">{i.actionable ? 'yes' : 'no'}</div>
                <div role="cell">{i.rejection ?? ''}</div>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
