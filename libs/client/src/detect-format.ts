import { MEDIA_TYPES, SOURCE_FORMATS, type SourceFormat } from '@tocsin/domain';
import { TocsinUsageError } from './errors';

export interface DetectedFormat {
  readonly format: SourceFormat;
  readonly contentType: string;
  /** Why: what in the name or the content decided it (shown by `tocsin submit --verbose`). */
  readonly reason: string;
}

/** How much of a document is looked at to decide: the whole when it is JSON, the first lines otherwise. */
const SNIFF_LINES = 20;

/** The Content-Type the hub reads as each format: the first media type MEDIA_TYPES lists for it. */
export function contentTypeFor(format: SourceFormat, fileName?: string): string {
  if (format === 'csv' && fileName !== undefined && !/\.(csv|tsv)$/i.test(fileName)) {
    return 'text/plain';
  }
  const media = Object.keys(MEDIA_TYPES).find((m) => MEDIA_TYPES[m] === format);
  if (!media) {
    throw new TocsinUsageError(`no media type for format ${format}`);
  }
  return media;
}

export function isSourceFormat(x: unknown): x is SourceFormat {
  return typeof x === 'string' && (SOURCE_FORMATS as readonly string[]).includes(x);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A MISP event as it stands in each container shape: `{"Event": …}`, or the bare event (`info`, `Attribute`, …). */
function isMispEvent(x: unknown): boolean {
  if (!isRecord(x)) {
    return false;
  }
  if (isRecord(x.Event)) {
    return true;
  }
  return (
    Array.isArray(x.Attribute) ||
    Array.isArray(x.Object) ||
    (typeof x.info === 'string' && ('threat_level_id' in x || 'analysis' in x || 'Tag' in x || 'Orgc' in x))
  );
}

/** An IntelMQ event, flat (`"source.ip": …`) or hierarchical (`"source": {"ip": …}`), or marked `__type`. */
function isIntelMqEvent(x: unknown): boolean {
  if (!isRecord(x)) {
    return false;
  }
  if (x.__type === 'Event' || x.__type === 'Report') {
    return true;
  }
  const keys = Object.keys(x);
  const dotted = keys.some((k) => /^(source|destination|classification|feed|malware|time|event_description)\./.test(k));
  const nested =
    keys.some((k) => k === 'source' || k === 'destination') &&
    keys.some((k) => k === 'classification' || k === 'feed' || k === 'time');
  return dotted || (nested && isRecord(x.source ?? x.destination));
}

/** Tocsin's own JSON: an object with `indicators` (and usually `title`, `tlp`, …). */
function isNative(x: unknown): boolean {
  return isRecord(x) && Array.isArray(x.indicators);
}

function detectJson(doc: unknown, what: string): DetectedFormat | string {
  const json = (format: SourceFormat, reason: string): DetectedFormat => ({
    format,
    contentType: format === 'intelmq' ? contentTypeFor('intelmq') : contentTypeFor(format),
    reason,
  });
  if (isRecord(doc)) {
    if (doc.type === 'bundle') {
      return json('stix', `${what} is a STIX bundle ({"type": "bundle"})`);
    }
    if (isRecord(doc.Event)) {
      return json('misp', `${what} is a MISP event ({"Event": …})`);
    }
    if (Array.isArray(doc.response)) {
      return doc.response.length > 0 && doc.response.every(isMispEvent)
        ? json('misp', `${what} is a MISP restSearch answer ({"response": [{"Event": …}]})`)
        : `${what} has a "response" list that does not hold MISP events`;
    }
    if (isNative(doc)) {
      return json('native', `${what} is a Tocsin native alert (an object with "indicators")`);
    }
    if (isIntelMqEvent(doc)) {
      return json('intelmq', `${what} is one IntelMQ event`);
    }
    if (isMispEvent(doc)) {
      return json('misp', `${what} is a bare MISP event (info, Attribute, …)`);
    }
    if (typeof doc.type === 'string' && typeof doc.id === 'string' && doc.id.includes('--')) {
      return `${what} is a single STIX object (${doc.type.slice(0, 50)}), not a bundle: wrap it in {"type": "bundle", "objects": […]}`;
    }
    return `${what} is a JSON object of no known shape (not a STIX bundle, a MISP event, a Tocsin alert with "indicators" or an IntelMQ event)`;
  }
  if (Array.isArray(doc)) {
    if (doc.length === 0) {
      return `${what} is an empty JSON list`;
    }
    if (doc.every(isMispEvent)) {
      return json('misp', `${what} is a list of MISP events`);
    }
    if (doc.every(isIntelMqEvent)) {
      return json('intelmq', `${what} is a list of IntelMQ events`);
    }
    return `${what} is a JSON list whose items are neither all MISP events nor all IntelMQ events`;
  }
  return `${what} is a bare JSON value, not a document`;
}

function tryJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * Decides the format of a document and the Content-Type to send it with, from its content and, to break ties, its
 * file name. Pure. JSON documents by shape: STIX bundle `{"type": "bundle"}`; MISP `{"Event": …}`, a restSearch
 * answer `{"response": [{"Event": …}]}`, a bare event or a list of events; Tocsin native JSON (`indicators`);
 * IntelMQ events (one object, a list, or JSON lines). Anything else that is text is a CSV file (with a header) or a
 * plain list (`.txt`, one value a line), which the hub reads both as format `csv`. Throws a TocsinUsageError saying
 * why when it cannot tell (binary content, empty, JSON of no known shape): name the format to send it anyway.
 */
export function detectFormat(content: string | Uint8Array, fileName?: string): DetectedFormat {
  const what = fileName ?? 'the document';
  const text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: false }).decode(content);
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') {
    throw new TocsinUsageError(`${what} is empty: there is nothing to submit`);
  }
  if (body.includes('\u0000')) {
    throw new TocsinUsageError(`${what} holds NUL bytes: it looks binary, not a threat-intelligence document`);
  }
  const ext = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  if (ext === 'jsonl' || ext === 'ndjson') {
    return {
      format: 'intelmq',
      contentType: contentTypeFor('intelmq'),
      reason: `${what} is named .${ext} (JSON lines)`,
    };
  }
  const explicitText = ext === 'csv' || ext === 'tsv' || ext === 'txt';
  if (!explicitText && (body.startsWith('{') || body.startsWith('['))) {
    const whole = tryJson(body);
    if (whole) {
      const found = detectJson(whole.value, what);
      if (typeof found !== 'string') {
        return found;
      }
      throw new TocsinUsageError(`cannot tell the format: ${found}; name it (${SOURCE_FORMATS.join(', ')})`);
    }
    const lines = body.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
    const parsed = lines.slice(0, SNIFF_LINES).map((l) => tryJson(l.trim()));
    if (parsed.every((p) => p !== undefined && isRecord(p.value))) {
      const intelmq = parsed.some((p) => isIntelMqEvent(p?.value));
      if (intelmq) {
        return {
          format: 'intelmq',
          contentType: contentTypeFor('intelmq'),
          reason: `${what} is JSON lines of IntelMQ events`,
        };
      }
      throw new TocsinUsageError(
        `cannot tell the format: ${what} is JSON lines, but not of IntelMQ events; name the format (${SOURCE_FORMATS.join(', ')})`,
      );
    }
    throw new TocsinUsageError(
      `cannot tell the format: ${what} starts like JSON but is not valid JSON, nor JSON lines; fix it or name the format (${SOURCE_FORMATS.join(', ')})`,
    );
  }
  return {
    format: 'csv',
    contentType: contentTypeFor('csv', fileName ?? (looksLikeCsv(body) ? 'x.csv' : 'x.txt')),
    reason: explicitText ? `${what} is named .${ext}` : `${what} is text: a CSV file or a plain list`,
  };
}

/** A first non-comment line with a comma, semicolon or tab: a CSV header or row, rather than one value a line. */
function looksLikeCsv(body: string): boolean {
  const first = body
    .split(/\r\n|\r|\n/)
    .find((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && !l.trimStart().startsWith(';'));
  return first !== undefined && /[,;\t]/.test(first);
}
