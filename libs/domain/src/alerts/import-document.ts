import { importCsv } from '../formats/csv';
import { importIntelMq } from '../formats/intelmq';
import { importMispEvent } from '../formats/misp';
import { importStixBundle } from '../formats/stix';
import type { ImportedAlert, SourceFormat } from '../model/canonical';
import type { RsitVocabulary } from '../model/taxonomies';
import { err, type Issue, type Result } from '../shared/result';
import {
  findUnstorableLines,
  findUnstorableText,
  isStorableText,
  UNSTORABLE_TEXT_DETAIL,
} from '../shared/storable-text';
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
  const bad = body.kind === 'json' ? findUnstorableText(body.value) : findUnstorableLines(body.value);
  if (bad.length > 0) {
    return err(bad);
  }
  const imported = runImporter(format, body, limits, rsit);
  if (!imported.ok) {
    return imported;
  }
  // What an importer read from an escape (`\u0000` in a JSON line or a JSON document sent as text) is caught here.
  const unstorable = unstorableIn(imported.value);
  return unstorable.length > 0 ? err(unstorable) : imported;
}

function runImporter(
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

/** A place as importers give it (`line 3` or a JSON pointer) as an issue's pointer and line. */
function issueAtSource(source: string): Issue {
  const line = /^line (\d+)/.exec(source)?.[1];
  return line === undefined
    ? { pointer: source, detail: UNSTORABLE_TEXT_DETAIL }
    : { pointer: `/line/${line}`, line: Number(line), detail: UNSTORABLE_TEXT_DETAIL };
}

/** Unstorable text in what an importer read: each indicator by its source, each alert field by its name. */
function unstorableIn(imported: ImportedAlert): Issue[] {
  const out: Issue[] = [];
  for (const [name, value] of Object.entries(imported.fields)) {
    if (findUnstorableText(value).length > 0) {
      out.push({
        pointer: imported.format === 'native' ? `/${name}` : '',
        detail: `the ${name} ${UNSTORABLE_TEXT_DETAIL}`,
      });
    }
  }
  for (const i of imported.indicators) {
    if (!isStorableText(i.value) || (typeof i.comment === 'string' && !isStorableText(i.comment))) {
      out.push(issueAtSource(isStorableText(i.source) ? i.source : ''));
    }
  }
  if (imported.unsupported.some((u) => findUnstorableText(u).length > 0)) {
    out.push({ pointer: '', detail: `a member name ${UNSTORABLE_TEXT_DETAIL}` });
  }
  return out.slice(0, 100);
}
