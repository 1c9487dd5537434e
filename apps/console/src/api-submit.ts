// The Submit page's calls: a document previewed (POST /api/v1/alerts/preview) and submitted (POST /api/v1/alerts)
// through XMLHttpRequest, whose upload.onprogress reports the upload (fetch has none); the RED recipients a
// submitter may name (GET /api/v1/recipients); the alert read back until its outcome is known.
import type { RecipientsView, SourceFormat, SubmissionPreview, SubmitAnswer } from '@tocsin/client';
import { call, currentCsrfToken, getAlert, problemCode, ProblemError, type AlertView } from './api';

export type { RecipientsView, SourceFormat, SubmissionPreview, SubmitAnswer };

/** The media type the hub reads each format as (README, "Formats"). */
export const MEDIA_TYPE: Readonly<Record<SourceFormat, string>> = {
  native: 'application/json',
  stix: 'application/stix+json',
  misp: 'application/misp+json',
  csv: 'text/csv',
  intelmq: 'application/x-ndjson',
};

export const FORMAT_NAMES: Readonly<Record<SourceFormat, string>> = {
  native: 'Tocsin native JSON',
  stix: 'STIX 2.1 bundle',
  misp: 'MISP event(s)',
  csv: 'CSV or plain list',
  intelmq: 'IntelMQ events (JSON lines)',
};

/** One issue of a refused document: where (pointer or line) and why. */
export interface ProblemIssue {
  readonly pointer: string;
  readonly line?: number;
  readonly detail: string;
}

/** A refusal of a document, with every issue the hub listed. */
export class DocumentProblem extends ProblemError {
  constructor(
    status: number,
    code: string,
    detail: string,
    override readonly errors: readonly ProblemIssue[],
  ) {
    super(status, code, detail, errors);
  }
}

/** What the alert's fields come from when the document's format cannot carry them (query parameters). */
export interface SubmitFields {
  readonly title: string;
  readonly severity: string;
  readonly tlp: string;
  readonly recipients: readonly string[];
}

export interface Upload {
  readonly text: string;
  readonly format: SourceFormat;
  readonly fields: SubmitFields;
}

function query(u: Upload): string {
  const q = new URLSearchParams({ format: u.format });
  if (u.fields.title.trim() !== '') {
    q.set('title', u.fields.title.trim());
  }
  if (u.fields.severity !== '') {
    q.set('severity', u.fields.severity);
  }
  if (u.fields.tlp !== '') {
    q.set('tlp', u.fields.tlp);
  }
  if (u.fields.recipients.length > 0) {
    q.set('recipients', u.fields.recipients.join(','));
  }
  return q.toString();
}

/** Sends the document; `onProgress(sent, total)` follows the upload. Refusals throw a DocumentProblem. */
function send<T>(path: string, u: Upload, onProgress?: (sent: number, total: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}?${query(u)}`);
    xhr.setRequestHeader('content-type', `${MEDIA_TYPE[u.format]}; charset=utf-8`);
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = currentCsrfToken();
    if (csrf !== null) {
      xhr.setRequestHeader('x-csrf-token', csrf);
    }
    xhr.withCredentials = true;
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : e.loaded);
      xhr.upload.onload = (e) => onProgress(e.total || e.loaded, e.total || e.loaded);
    }
    xhr.onerror = () => reject(new ProblemError(0, 'network', 'the hub could not be reached'));
    xhr.onload = () => {
      let json: unknown = null;
      try {
        json = JSON.parse(xhr.responseText) as unknown;
      } catch {
        json = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(json as T);
        return;
      }
      const p = (json ?? {}) as { type?: string; detail?: string; title?: string; errors?: ProblemIssue[] };
      reject(
        new DocumentProblem(
          xhr.status,
          problemCode(p.type, xhr.status),
          p.detail ?? p.title ?? `HTTP ${xhr.status}`,
          Array.isArray(p.errors) ? p.errors : [],
        ),
      );
    };
    xhr.send(u.text);
  });
}

export function previewDocument(u: Upload, onProgress?: (sent: number, total: number) => void) {
  return send<SubmissionPreview>('/alerts/preview', u, onProgress);
}

export function submitDocument(u: Upload, onProgress?: (sent: number, total: number) => void) {
  return send<SubmitAnswer>('/alerts', u, onProgress);
}

export function redRecipients(): Promise<RecipientsView> {
  return call('GET', '/recipients');
}

/** Statuses the pipeline moves on from by itself: the outcome is not known yet. */
const IN_PROGRESS = new Set(['queued', 'normalized']);

/**
 * Reads the alert until its status is an outcome (published, pending_review, rejected, revoked), waiting 250 ms,
 * then half as long again each time, at most 5 s; gives up after `timeoutMs` with the last status read.
 */
export async function waitForOutcome(id: string, signal: AbortSignal, timeoutMs = 120_000): Promise<AlertView> {
  const deadline = Date.now() + timeoutMs;
  let wait = 250;
  for (;;) {
    const a = await getAlert(id);
    if (!IN_PROGRESS.has(a.status) || Date.now() + wait > deadline || signal.aborted) {
      return a;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, wait);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });
    wait = Math.min(5000, Math.round(wait * 1.5));
  }
}

/** A first guess at a document's format from its name and content (the person can change it before sending). */
export function guessFormat(text: string, fileName?: string): SourceFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  if (ext === 'jsonl' || ext === 'ndjson') {
    return 'intelmq';
  }
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') {
    return 'csv';
  }
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body.startsWith('{') && !body.startsWith('[')) {
    return 'csv';
  }
  let doc: unknown;
  try {
    doc = JSON.parse(body) as unknown;
  } catch {
    return 'intelmq'; // JSON lines
  }
  const rec = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const intelmq = (x: unknown) =>
    rec(x) && Object.keys(x).some((k) => /^(source|destination|classification|feed)\./.test(k));
  if (Array.isArray(doc)) {
    return doc.every(intelmq) ? 'intelmq' : 'misp';
  }
  if (!rec(doc)) {
    return 'native';
  }
  if (doc.type === 'bundle') {
    return 'stix';
  }
  if ('Event' in doc || 'response' in doc || 'Attribute' in doc) {
    return 'misp';
  }
  if (Array.isArray(doc.indicators)) {
    return 'native';
  }
  return intelmq(doc) ? 'intelmq' : 'native';
}
