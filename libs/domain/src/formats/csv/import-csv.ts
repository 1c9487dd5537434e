import { parse } from 'csv-parse/sync';
import type { IndicatorType } from '../../alerts/indicator-types';
import { tlpFromWord, TLP_LABELS, type TlpLabel } from '../../alerts/tlp';
import type { ImportedAlert, RawIndicator } from '../../model/canonical';
import { err, ok, type Issue, type Result } from '../../shared/result';
import { csvIndicatorType, planColumns, type ColumnPlan } from './csv-columns';
import {
  delimiterName,
  detectHeaderlessDelimiter,
  INLINE_COMMENT,
  isAddressCell,
  isIndicatorCell,
  splitCells,
  type HeaderlessDelimiter,
} from './headerless';

/**
 * CSV and plain-list importer (pure). Decisions (kept in step with the spec):
 *
 * - A UTF-8 BOM is dropped and CR LF / CR become LF before anything else, so every line number is a physical line.
 * - The header is the first line that is not blank and not a `#`/`;` comment, if its names match the column table
 *   (`csv-columns.ts`) and none of its cells is an IP address, CIDR range or URL (such a line is data); failing that, the last `#` comment line before it (URLhaus writes `# dateadded,url,…`).
 *   Delimiters tried on the header: `,`, then tab, then `;`. No header matches → a headerless delimited file or a
 *   plain list (`headerless.ts` decides).
 * - Headerless delimited file (tab, `|`, `;` or `,` splitting every sampled line into as many cells, at least two):
 *   read cell by cell; each cell that normalizes as an indicator (type inferred) becomes one, other cells
 *   (timestamps, numbers, free text) are ignored; a line with no indicator cell is reported. A file where no cell
 *   of any line is an indicator is refused at the first line.
 * - CSV rows: `#` lines (banners, `# END` footers) and blank lines are skipped; quoted fields may hold commas,
 *   quotes (`""`) and line breaks; a stray quote inside an unquoted field is kept as text. A row is reported at the
 *   line it starts on (`line N`, pointer `/line/N`).
 * - Plain list: `#` and `;` lines are comments; every other line is one value of unknown type (inferred later).
 *   `value ; comment` and `value # comment` (Spamhaus DROP) split into value and comment.
 * - Refused (Issue[]): malformed CSV (an unclosed quote…), more than `maxRows` rows, a file with no rows.
 *   Reported in `unsupported` and skipped: an unknown type cell, a value over {@link CSV_MAX_VALUE_LENGTH}
 *   characters, a row with no indicator cell, an unknown TLP cell. At most {@link CSV_MAX_ISSUES} are listed.
 * - TLP: the most restrictive `tlp` cell over all rows (`white` = CLEAR, `tlp:` prefix allowed).
 */

export const CSV_MAX_ROWS = 100_000;
/** The longest value imported, as for a native submission. */
export const CSV_MAX_VALUE_LENGTH = 2_048;
/** At most this many issues are listed (refusal or `unsupported`); the rest are counted in one last issue. */
export const CSV_MAX_ISSUES = 100;

export interface ImportCsvOptions {
  readonly maxRows?: number;
}

const DELIMITERS = [',', '\t', ';'] as const;
type Delimiter = (typeof DELIMITERS)[number];

const FALSE_CELLS = new Set(['0', 'false', 'no', 'n']);
const TRUE_CELLS = new Set(['1', 'true', 'yes', 'y']);

/** A sender's value inside an issue: quoted, and cut at 100 characters. */
function shown(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

function issueAt(line: number, detail: string): Issue {
  return { pointer: `/line/${line}`, detail, line };
}

/** Collects indicators, the most restrictive TLP and the capped list of what was not imported. */
class Collector {
  readonly indicators: RawIndicator[] = [];
  readonly unsupported: Issue[] = [];
  tlp: TlpLabel | undefined;
  private omitted = 0;
  private firstOmittedLine = 0;

  report(line: number, detail: string): void {
    if (this.unsupported.length < CSV_MAX_ISSUES) {
      this.unsupported.push(issueAt(line, detail));
    } else if (this.omitted++ === 0) {
      this.firstOmittedLine = line;
    }
  }

  add(
    line: number,
    value: string,
    type: IndicatorType | undefined,
    comment: string | undefined,
    actionable?: boolean,
  ): void {
    if (value.length > CSV_MAX_VALUE_LENGTH) {
      this.report(line, `value is longer than ${CSV_MAX_VALUE_LENGTH} characters; not imported`);
      return;
    }
    this.indicators.push({
      ...(type !== undefined ? { type } : {}),
      value,
      source: `line ${line}`,
      ...(comment ? { comment } : {}),
      ...(actionable !== undefined ? { actionable } : {}),
    });
  }

  raiseTlp(label: TlpLabel): void {
    if (this.tlp === undefined || TLP_LABELS.indexOf(label) > TLP_LABELS.indexOf(this.tlp)) {
      this.tlp = label;
    }
  }

  unsupportedIssues(): Issue[] {
    return this.omitted === 0
      ? this.unsupported
      : [
          ...this.unsupported,
          issueAt(this.firstOmittedLine, `${this.omitted} more rows or values were not imported (not listed)`),
        ];
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** One parsed record with the physical lines it starts and ends on. */
interface CsvRecord {
  readonly line: number;
  readonly endLine: number;
  readonly cells: readonly string[];
}

const lineBreaks = (s: string): number => s.split('\n').length - 1;

/** csv-parse (with `info: true`) gives `{ info: { lines }, record }`, `lines` being the line the record ends on. */
function toRecord(x: unknown): CsvRecord | undefined {
  if (!isRecord(x) || !isRecord(x['info']) || !Array.isArray(x['record'])) {
    return undefined;
  }
  const end = x['info']['lines'];
  const cells = x['record'].filter((c): c is string => typeof c === 'string');
  if (typeof end !== 'number') {
    return undefined;
  }
  return { line: end - cells.reduce((n, c) => n + lineBreaks(c), 0), endLine: end, cells };
}

const CSV_ERRORS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field opens here and is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters than a delimiter',
  INVALID_OPENING_QUOTE: 'a quote opens inside an unquoted field',
};

interface CsvFault {
  readonly code: string | undefined;
  /** The line csv-parse reports (for an unclosed quote: where the file ended inside it). */
  readonly line: number | undefined;
}

function csvFault(e: unknown): CsvFault {
  const { code, lines } = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; lines?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    line: typeof lines === 'number' && lines > 0 ? lines : undefined,
  };
}

/** The first line after `after` that is neither blank nor a `#` comment: where a record starts. */
function nextRowLine(lines: readonly string[], after: number): number {
  for (let i = after; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t !== '' && !t.startsWith('#')) {
      return i + 1;
    }
  }
  return after + 1;
}

/**
 * A fault as an issue. An unclosed quote runs to the end of the file, so csv-parse reports the last line; the
 * issue points at the row where the quote opened (the first row after the last good one) and names both.
 */
function faultIssue(f: CsvFault, lines: readonly string[], lastGoodLine: number): Issue {
  const known = f.code === undefined ? undefined : CSV_ERRORS[f.code];
  const detail = `malformed CSV: ${known ?? f.code ?? 'unreadable row'}`;
  if (f.code === 'CSV_QUOTE_NOT_CLOSED') {
    const start = nextRowLine(lines, lastGoodLine);
    return issueAt(start, `${detail} (the file ends inside it, at line ${f.line ?? lines.length})`);
  }
  return issueAt(f.line ?? lastGoodLine + 1, detail);
}

/** Parses one line on its own (a header candidate); undefined when it is not valid CSV. */
function parseLine(line: string, delimiter: Delimiter): readonly string[] | undefined {
  try {
    const rows: unknown = parse(line, { delimiter, trim: true, relax_quotes: true, relax_column_count: true });
    const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
    return Array.isArray(first) ? first.filter((c): c is string => typeof c === 'string') : undefined;
  } catch {
    return undefined;
  }
}

function headerPlan(line: string, minCells: number): { plan: ColumnPlan; delimiter: Delimiter } | undefined {
  for (const delimiter of DELIMITERS) {
    const cells = parseLine(line, delimiter);
    // A line holding an address or URL is data, whatever names its other cells happen to match.
    const plan = cells && cells.length >= minCells && !cells.some(isAddressCell) ? planColumns(cells) : undefined;
    if (plan) {
      return { plan, delimiter };
    }
  }
  return undefined;
}

interface Header {
  readonly line: number;
  readonly firstDataLine: number;
  readonly plan: ColumnPlan;
  readonly delimiter: Delimiter;
}

function findHeader(lines: readonly string[]): Header | undefined {
  let lastComment: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t === '' || t.startsWith(';')) {
      continue;
    }
    if (t.startsWith('#')) {
      lastComment = i;
      continue;
    }
    const here = headerPlan(t, 1);
    if (here) {
      return { line: i + 1, firstDataLine: i + 2, ...here };
    }
    if (lastComment !== undefined) {
      const commented = (lines[lastComment] ?? '').trim().replace(/^#+\s*/, '');
      // A banner line is prose; a commented header has at least two names.
      const there = headerPlan(commented, 2);
      if (there) {
        return { line: lastComment + 1, firstDataLine: i + 1, ...there };
      }
    }
    return undefined;
  }
  return undefined;
}

function parseRecords(lines: readonly string[], header: Header, maxRows: number, fatal: Issue[]): readonly CsvRecord[] {
  // The lines up to the header become empty lines (csv-parse's from_line miscounts after comment lines), so
  // csv-parse still numbers the physical lines.
  const rows = '\n'.repeat(header.firstDataLine - 1) + lines.slice(header.firstDataLine - 1).join('\n');
  let raw: readonly unknown[] = [];
  const faults: CsvFault[] = [];
  try {
    const out: unknown = parse(rows, {
      delimiter: header.delimiter,
      // Stop one row past the limit: enough to know the file is too long.
      ...(Number.isSafeInteger(maxRows + 1) ? { to: maxRows + 1 } : {}),
      info: true,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      comment: '#',
      comment_no_infix: true,
      skip_records_with_error: true,
      on_skip: (e) => {
        faults.push(csvFault(e));
        return undefined;
      },
    });
    if (Array.isArray(out)) {
      raw = out as unknown[];
    }
  } catch (e) {
    faults.push(csvFault(e));
  }
  const records = raw.map(toRecord).filter((r): r is CsvRecord => r !== undefined);
  for (const f of faults) {
    const lastGood = records.reduce(
      (m, r) => (r.endLine > m && (f.line === undefined || r.endLine < f.line) ? r.endLine : m),
      header.line,
    );
    fatal.push(faultIssue(f, lines, lastGood));
  }
  return records;
}

function tooMany(line: number, maxRows: number): Issue {
  return issueAt(line, `the file has more than ${maxRows} rows; at most ${maxRows} are accepted`);
}

function readCsvRows(records: readonly CsvRecord[], plan: ColumnPlan, out: Collector): void {
  for (const { line, cells } of records) {
    const cell = (i: number | undefined): string => (i === undefined ? '' : (cells[i] ?? '').trim());
    if (cells.every((c) => c.trim() === '')) {
      continue;
    }
    const comment = [...new Set(plan.comments.map(cell).filter((c) => c !== ''))].join('; ');
    const tlpCell = cell(plan.tlp);
    if (tlpCell !== '') {
      const label = tlpFromWord(tlpCell);
      if (label) {
        out.raiseTlp(label);
      } else {
        out.report(line, `tlp ${shown(tlpCell)} is not a TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED); ignored`);
      }
    }
    const toIds = cell(plan.toIds).toLowerCase();
    const actionable = FALSE_CELLS.has(toIds) ? false : TRUE_CELLS.has(toIds) ? true : undefined;

    let values = 0;
    for (const column of plan.indicators) {
      const value = cell(column.index);
      if (value === '') {
        continue;
      }
      values += 1;
      let type = column.type;
      if (type === 'per-row') {
        const typeCell = cell(plan.typeColumn);
        const known = typeCell === '' ? { type: undefined } : csvIndicatorType(typeCell);
        if (!known) {
          out.report(line, `type ${shown(typeCell)} is not an indicator type Tocsin imports; not imported`);
          continue;
        }
        type = known.type;
      }
      out.add(line, value, type, comment, actionable);
    }
    if (values === 0) {
      out.report(line, 'the row has no indicator value; not imported');
    }
  }
}

function readList(lines: readonly string[], maxRows: number, out: Collector, fatal: Issue[]): number {
  let rows = 0;
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) {
      continue;
    }
    if (++rows > maxRows) {
      fatal.push(tooMany(i + 1, maxRows));
      break;
    }
    const m = INLINE_COMMENT.exec(t);
    const value = m?.[1] ?? t;
    const comment = m?.[2]?.trim();
    out.add(i + 1, value, undefined, comment);
  }
  return rows;
}

/** Reads a headerless delimited file cell by cell; returns the number of rows (data lines). */
function readHeaderless(
  lines: readonly string[],
  delimiter: HeaderlessDelimiter,
  maxRows: number,
  out: Collector,
  fatal: Issue[],
): number {
  let rows = 0;
  let firstUnread: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t === '' || t.startsWith('#') || (t.startsWith(';') && delimiter !== ';')) {
      continue;
    }
    if (++rows > maxRows) {
      fatal.push(tooMany(i + 1, maxRows));
      return rows;
    }
    let found = 0;
    for (const cell of splitCells(lines[i] ?? '', delimiter)) {
      if (cell.length > CSV_MAX_VALUE_LENGTH) {
        out.report(i + 1, `a cell is longer than ${CSV_MAX_VALUE_LENGTH} characters; not imported`);
      } else if (isIndicatorCell(cell)) {
        out.add(i + 1, cell, undefined, undefined);
        found += 1;
      }
    }
    if (found === 0) {
      firstUnread ??= i + 1;
      out.report(
        i + 1,
        'no cell of the line is an indicator (IP, CIDR, domain, URL, e-mail, hash, CVE, AS); not imported',
      );
    }
  }
  if (out.indicators.length === 0 && firstUnread !== undefined) {
    fatal.push(
      issueAt(
        firstUnread,
        `read as a ${delimiterName(delimiter)}-delimited file without a header, and no cell of this line (nor of any other) is an indicator`,
      ),
    );
  }
  return rows;
}

/**
 * Imports a CSV file or a plain one-value-a-line list (format `csv`). Refuses malformed CSV, files over
 * `maxRows` rows and files without rows (each issue with its `line`); otherwise returns the indicators (source
 * `line N`), the most restrictive TLP cell and what could not be used. Never throws.
 */
export function importCsv(text: string, opts: ImportCsvOptions = {}): Result<ImportedAlert, Issue[]> {
  const maxRows = opts.maxRows ?? CSV_MAX_ROWS;
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  const header = findHeader(lines);
  const out = new Collector();
  const fatal: Issue[] = [];

  let rows: number;
  if (header) {
    const records = parseRecords(lines, header, maxRows, fatal);
    const over = records[maxRows];
    if (over) {
      fatal.push(tooMany(over.line, maxRows));
    }
    if (fatal.length === 0) {
      readCsvRows(records, header.plan, out);
    }
    rows = records.length;
  } else {
    const delimiter = detectHeaderlessDelimiter(lines);
    rows =
      delimiter === undefined
        ? readList(lines, maxRows, out, fatal)
        : readHeaderless(lines, delimiter, maxRows, out, fatal);
  }

  if (fatal.length > 0) {
    return err(fatal.slice(0, CSV_MAX_ISSUES));
  }
  if (rows === 0) {
    return err([
      header
        ? issueAt(header.line, 'the file has a header but no rows')
        : issueAt(1, 'the file holds no indicators: it is empty or only comments'),
    ]);
  }
  return ok({
    format: 'csv',
    fields: out.tlp !== undefined ? { tlp: out.tlp } : {},
    indicators: out.indicators,
    unsupported: out.unsupportedIssues(),
  });
}
