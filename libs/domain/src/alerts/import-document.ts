import { importCsv } from '../formats/csv';
import { importIntelMq } from '../formats/intelmq';
import { importMispEvent } from '../formats/misp';
import { importStixBundle } from '../formats/stix';
import type { ImportedAlert, SourceFormat } from '../model/canonical';
import type { RsitVocabulary } from '../model/taxonomies';
import { err, type Result } from '../shared/result';
import { importNative, type SubmissionLimits } from './compose-submission';

/** The body as the HTTP layer read it: parsed JSON for JSON media types, text for the others. */
export type SubmittedBody =
  { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'text'; readonly value: string };

function asJson(body: SubmittedBody): Result<unknown> {
  if (body.kind === 'json') {
    return { ok: true, value: body.value };
  }
  try {
    return { ok: true, value: JSON.parse(body.value) as unknown };
  } catch (e) {
    return err([{ pointer: '', detail: `the body is not valid JSON (${(e as Error).message.slice(0, 200)})` }]);
  }
}

function asText(body: SubmittedBody): string {
  return body.kind === 'text' ? body.value : JSON.stringify(body.value);
}

/** Runs the importer of the chosen format; every failure names where (pointer or line) and why. */
export function importDocument(
  format: SourceFormat,
  body: SubmittedBody,
  limits: SubmissionLimits,
  rsit: RsitVocabulary,
): Result<ImportedAlert> {
  switch (format) {
    case 'native': {
      const j = asJson(body);
      return j.ok ? importNative(j.value, limits) : j;
    }
    case 'stix': {
      const j = asJson(body);
      return j.ok ? importStixBundle(j.value) : j;
    }
    case 'misp': {
      const j = asJson(body);
      return j.ok ? importMispEvent(j.value) : j;
    }
    case 'csv':
      if (body.kind === 'json') {
        return err([{ pointer: '', detail: 'a CSV list must be sent as text/csv or text/plain' }]);
      }
      return importCsv(body.value, { maxRows: limits.maxIndicators });
    case 'intelmq':
      return importIntelMq(asText(body), { maxEvents: limits.maxIndicators, rsit });
  }
}
