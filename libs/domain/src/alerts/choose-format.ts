import { SOURCE_FORMATS, type SourceFormat } from '../model/canonical';
import { err, ok, type Result } from '../shared/result';

/**
 * Which importer reads a submission. An explicit `format` query parameter wins; otherwise the media type:
 *
 * | Content-Type | format |
 * | --- | --- |
 * | `application/json` | native |
 * | `application/stix+json` (any `version` parameter) | stix |
 * | `application/misp+json` | misp |
 * | `text/csv`, `text/plain` | csv (a header row, or one value a line) |
 * | `application/x-ndjson`, `application/jsonl`, `application/intelmq+json` | intelmq (JSON lines) |
 */
export const MEDIA_TYPES: Readonly<Record<string, SourceFormat>> = {
  'application/json': 'native',
  'application/stix+json': 'stix',
  'application/misp+json': 'misp',
  'text/csv': 'csv',
  'text/plain': 'csv',
  'application/x-ndjson': 'intelmq',
  'application/jsonl': 'intelmq',
  'application/intelmq+json': 'intelmq',
};

/** Media types read as JSON (parsed before the importer) and as text. */
export const JSON_MEDIA_TYPES = [
  'application/json',
  'application/stix+json',
  'application/misp+json',
  'application/intelmq+json',
];
export const TEXT_MEDIA_TYPES = ['text/csv', 'text/plain', 'application/x-ndjson', 'application/jsonl'];

export function mediaTypeOf(contentType: string | undefined): string | null {
  const t = contentType?.split(';')[0]?.trim().toLowerCase();
  return t ? t : null;
}

export type FormatChoice = Result<SourceFormat, { status: 400 | 415; pointer: string; detail: string }>;

export function chooseFormat(contentType: string | undefined, formatParam: unknown): FormatChoice {
  if (formatParam !== undefined) {
    if (typeof formatParam === 'string' && (SOURCE_FORMATS as readonly string[]).includes(formatParam)) {
      return ok(formatParam as SourceFormat);
    }
    return err({ status: 400, pointer: '?format', detail: `must be one of ${SOURCE_FORMATS.join(', ')}` });
  }
  const media = mediaTypeOf(contentType);
  const format = media ? MEDIA_TYPES[media] : undefined;
  if (!format) {
    return err({
      status: 415,
      pointer: '',
      detail: `send one of ${Object.keys(MEDIA_TYPES).join(', ')} (got ${media ?? 'no content type'}), or name the format with ?format=`,
    });
  }
  return ok(format);
}
