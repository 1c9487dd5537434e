import { useEffect, useRef, useState } from 'react';
import type { AlertView } from './api';
import {
  DocumentProblem,
  FORMAT_NAMES,
  guessFormat,
  MEDIA_TYPE,
  previewDocument,
  redRecipients,
  submitDocument,
  waitForOutcome,
  type ProblemIssue,
  type RecipientsView,
  type SourceFormat,
  type SubmissionPreview,
  type SubmitAnswer,
} from './api-submit';
import { TlpBadge } from './badges';
import { onLinkClick } from './router';
import './submit.css';

const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const FORMATS = Object.keys(MEDIA_TYPE) as SourceFormat[];

const n = (x: number): string => x.toLocaleString('en');

function where(i: { readonly pointer: string; readonly line?: number }): string {
  return i.line !== undefined ? `line ${i.line}` : i.pointer === '' ? 'the document' : i.pointer;
}

/** A refusal of the whole document: the hub's detail and each issue, where and why. */
function Refusal({ error }: { readonly error: unknown }): React.JSX.Element {
  const issues: readonly ProblemIssue[] = error instanceof DocumentProblem ? error.errors : [];
  return (
    <div role="alert" className="refusal">
      <p>
        Refused: {error instanceof Error ? error.message : String(error)}
        {error instanceof DocumentProblem ? ` (${error.status} ${error.code})` : ''}
      </p>
      {issues.length > 0 && (
        <ul>
          {issues.map((i, k) => (
            <li key={k}>
              {where(i)}: {i.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PreviewView({ preview }: { readonly preview: SubmissionPreview }): React.JSX.Element {
  return (
    <section aria-labelledby="preview-heading" className="preview">
      <h2 id="preview-heading">Preview</h2>
      <p role="status">
        {FORMAT_NAMES[preview.format as SourceFormat] ?? preview.format}: {n(preview.read)} indicators read,{' '}
        {n(preview.accepted)} accepted, {n(preview.duplicates)} duplicates merged, {n(preview.refusedTotal)} refused,{' '}
        {n(preview.warned)} warning-listed.
      </p>
      <ul aria-label="Alerts to be created">
        {preview.alerts.map((a, k) => (
          <li key={k}>
            <strong>{a.title}</strong> · <TlpBadge tlp={a.tlp as AlertView['tlp']} />
            {a.tlpDefaulted ? ' (the default: no TLP was given)' : ''} · severity {a.severity}
            {a.recipients.length > 0 ? ` · ${a.recipients.length} named recipients` : ''}
            {a.event !== undefined ? ` · event ${a.event}` : ''}
          </li>
        ))}
      </ul>
      {preview.refusedTotal > 0 && (
        <table aria-label="Refused records">
          <caption>
            Refused records ({n(preview.refusedTotal)}
            {preview.refused.length < preview.refusedTotal ? `, the first ${n(preview.refused.length)} listed` : ''})
          </caption>
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Value</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {preview.refused.map((r, k) => (
              <tr key={k}>
                <td>{where(r)}</td>
                <td>
                  <code>{r.value ?? ''}</code>
                </td>
                <td>{r.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview.indicators.length > 0 && (
        <table aria-label="Indicators read">
          <caption>
            Indicators read (the first {n(preview.indicators.length)} of {n(preview.accepted)})
          </caption>
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Type</th>
              <th scope="col">As sent</th>
              <th scope="col">Canonical value</th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {preview.indicators.map((i) => (
              <tr key={i.position}>
                <td>{i.source}</td>
                <td>{i.type}</td>
                <td>
                  <code>{i.rawValue}</code>
                </td>
                <td>
                  <code>{i.canonicalValue}</code>
                </td>
                <td>
                  {i.flags.join(', ')}
                  {i.warning ? ` (${i.warning.list}: ${i.warning.reason})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const OUTCOME: Record<string, string> = {
  published: 'published',
  pending_review: 'held for review',
  rejected: 'rejected',
  revoked: 'revoked',
};

/** One created alert: its outcome once known (read back with backoff), and a link to its detail page. */
function Outcome({ id, label }: { readonly id: string; readonly label: string }): React.JSX.Element {
  const [alert, setAlert] = useState<AlertView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const stop = new AbortController();
    waitForOutcome(id, stop.signal).then(
      (a) => {
        if (!stop.signal.aborted) {
          setAlert(a);
        }
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
    return () => stop.abort();
  }, [id]);
  const status = alert?.status;
  const known = status !== undefined && status in OUTCOME;
  return (
    <li>
      <a href={`/console/alerts/${encodeURIComponent(id)}`} onClick={onLinkClick}>
        {label}
      </a>
      {': '}
      <span role="status">
        {error !== null
          ? `could not read its outcome (${error})`
          : known
            ? `Outcome: ${OUTCOME[status] ?? status}${alert?.statusReason ? ` (${alert.statusReason})` : ''}`
            : `accepted, being processed (${status ?? 'queued'})…`}
      </span>
    </li>
  );
}

function created(answer: SubmitAnswer): { id: string; label: string }[] {
  if ('alerts' in answer) {
    return answer.alerts.map((a) => ({ id: a.id, label: `Alert of event ${a.event}` }));
  }
  return [{ id: answer.id, label: 'Open the alert' }];
}

/** The Submit page: a document pasted or uploaded, previewed, then sent; its progress and outcome. */
export function SubmitPage(): React.JSX.Element {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [format, setFormat] = useState<SourceFormat>('csv');
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState('');
  const [tlp, setTlp] = useState('');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [directory, setDirectory] = useState<RecipientsView | null>(null);
  const [directoryError, setDirectoryError] = useState<string | null>(null);
  const [preview, setPreview] = useState<SubmissionPreview | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'submit' | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [answer, setAnswer] = useState<SubmitAnswer | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (tlp === 'RED' && directory === null) {
      redRecipients().then(setDirectory, (e: unknown) => setDirectoryError(e instanceof Error ? e.message : String(e)));
    }
  }, [tlp, directory]);

  /** Any change to what would be sent makes the preview stale: it must be taken again before sending. */
  const changed = (): void => {
    setPreview(null);
    setRefusal(null);
    setAnswer(null);
    setProgress(null);
  };

  const upload = {
    text,
    format,
    fields: { title, severity, tlp, recipients: tlp === 'RED' ? recipients : [] },
  };
  const onProgress = (sent: number, total: number): void => setProgress({ sent, total });

  const doPreview = (): void => {
    setBusy('preview');
    setRefusal(null);
    setPreview(null);
    setProgress(null);
    previewDocument(upload, onProgress)
      .then(setPreview, setRefusal)
      .finally(() => setBusy(null));
  };

  const doSubmit = (): void => {
    setBusy('submit');
    setRefusal(null);
    setProgress({ sent: 0, total: new Blob([text]).size });
    submitDocument(upload, onProgress)
      .then(setAnswer, setRefusal)
      .finally(() => setBusy(null));
  };

  const percent = progress && progress.total > 0 ? Math.round((100 * progress.sent) / progress.total) : 0;

  return (
    <section aria-labelledby="submit-heading" className="submit">
      <h1 id="submit-heading">Submit an alert</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          doPreview();
        }}
      >
        <fieldset>
          <legend>Document</legend>
          <label htmlFor="submit-text">Paste a document</label>
          <textarea
            id="submit-text"
            rows={10}
            value={fileName === null ? text : ''}
            disabled={fileName !== null}
            placeholder={fileName === null ? '' : `${fileName} is loaded`}
            onChange={(e) => {
              setText(e.target.value);
              setFormat(guessFormat(e.target.value));
              changed();
            }}
          />
          <label htmlFor="submit-file">Or upload a file</label>
          <input
            id="submit-file"
            ref={fileInput}
            type="file"
            accept=".csv,.tsv,.txt,.json,.jsonl,.ndjson"
            onChange={(e) => {
              const file = e.target.files?.[0];
              changed();
              if (!file) {
                setFileName(null);
                setText('');
                return;
              }
              void file.text().then((t) => {
                setText(t);
                setFileName(file.name);
                setFormat(guessFormat(t, file.name));
              });
            }}
          />
          {fileName !== null && (
            <p>
              Loaded <strong>{fileName}</strong> ({n(new Blob([text]).size)} bytes).{' '}
              <button
                type="button"
                onClick={() => {
                  setFileName(null);
                  setText('');
                  if (fileInput.current) {
                    fileInput.current.value = '';
                  }
                  changed();
                }}
              >
                Remove the file
              </button>
            </p>
          )}
          <label htmlFor="submit-format">Format</label>
          <select
            id="submit-format"
            value={format}
            onChange={(e) => {
              setFormat(e.target.value as SourceFormat);
              changed();
            }}
          >
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_NAMES[f]}
              </option>
            ))}
          </select>
        </fieldset>
        <fieldset>
          <legend>Alert</legend>
          <p className="hint">What the document states wins; these fill what its format cannot carry.</p>
          <label htmlFor="submit-title">Title</label>
          <input
            id="submit-title"
            value={title}
            maxLength={300}
            onChange={(e) => {
              setTitle(e.target.value);
              changed();
            }}
          />
          <label htmlFor="submit-severity">Severity</label>
          <select
            id="submit-severity"
            value={severity}
            onChange={(e) => {
              setSeverity(e.target.value);
              changed();
            }}
          >
            <option value="">as the document says (else medium)</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <label htmlFor="submit-tlp">TLP</label>
          <select
            id="submit-tlp"
            value={tlp}
            onChange={(e) => {
              setTlp(e.target.value);
              changed();
            }}
          >
            <option value="">as the document says (else TLP:AMBER)</option>
            {TLPS.map((t) => (
              <option key={t} value={t}>
                TLP:{t}
              </option>
            ))}
          </select>
          {tlp === 'RED' && (
            <fieldset className="recipients">
              <legend>RED recipients</legend>
              {directoryError !== null && <p role="alert">{directoryError}</p>}
              {directory === null && directoryError === null && <p>Loading the organisations you may name…</p>}
              {directory !== null && directory.items.length === 0 && (
                <p>No organisation may be named on a TLP:RED alert.</p>
              )}
              {directory?.items.map((o) => (
                <label key={o.id} className="check">
                  <input
                    type="checkbox"
                    checked={recipients.includes(o.id)}
                    onChange={(e) => {
                      setRecipients((old) => (e.target.checked ? [...old, o.id] : old.filter((id) => id !== o.id)));
                      changed();
                    }}
                  />
                  {o.name}
                  {o.country !== null ? ` (${o.country})` : ''}
                </label>
              ))}
            </fieldset>
          )}
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy !== null || text.trim() === ''}>
            Preview
          </button>
          <button type="button" disabled={busy !== null || preview === null || answer !== null} onClick={doSubmit}>
            Submit
          </button>
        </div>
        {preview === null && text.trim() !== '' && answer === null && (
          <p className="hint">Preview the document before submitting it.</p>
        )}
      </form>
      {progress !== null && (
        <p className="progress">
          <label htmlFor="upload-progress">Upload progress</label>{' '}
          <progress id="upload-progress" max={100} value={percent}>
            {percent}%
          </progress>{' '}
          <span>
            {percent}% ({n(progress.sent)} of {n(progress.total)} bytes)
            {percent === 100 ? ' — upload complete' : ''}
          </span>
        </p>
      )}
      {refusal !== null && <Refusal error={refusal} />}
      {preview !== null && <PreviewView preview={preview} />}
      {answer !== null && (
        <section aria-labelledby="outcome-heading">
          <h2 id="outcome-heading">Outcome</h2>
          {'failed' in answer && answer.failed.length > 0 && (
            <ul aria-label="Events refused">
              {answer.failed.map((f, k) => (
                <li key={k}>
                  {where(f)}: {f.detail}
                </li>
              ))}
            </ul>
          )}
          <ul aria-label="Alerts created">
            {created(answer).map((c) => (
              <Outcome key={c.id} id={c.id} label={c.label} />
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
