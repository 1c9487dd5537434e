import { normalizeIndicator } from '../../indicators/normalize-indicator';

/**
 * Headerless delimited files (a TSV export, IntelMQ's generic CSV parser input, a CSV without its header row):
 * deciding that a file is one, and which of its cells are indicators.
 *
 * - Only the first {@link HEADERLESS_SAMPLE_LINES} data lines (not blank, not a `#`/`;` comment) are looked at.
 * - A plain list stays a plain list: when every sampled line is one value (`value`, `value ; comment`,
 *   `value # comment`) that reads as an indicator, the file is not split (a URL may hold a comma).
 * - Delimiters tried in this order: tab, `|`, `;`, `,`. One is chosen when every sampled line splits on it into the
 *   same number of cells, at least two. A file with no such delimiter is a plain list, as before.
 * - A cell is an indicator when it normalizes as one with its type inferred (an IP address, CIDR, domain under a
 *   known suffix, URL, e-mail address, hash, CVE, `AS…`); timestamps, numbers, ports and free text are not.
 */

export const HEADERLESS_DELIMITERS = ['\t', '|', ';', ','] as const;
export type HeaderlessDelimiter = (typeof HEADERLESS_DELIMITERS)[number];
export const HEADERLESS_SAMPLE_LINES = 20;

/** A value with an inline comment, as plain lists write it (Spamhaus DROP: `192.0.2.0/24 ; SBL123`). */
export const INLINE_COMMENT = /^(\S+)\s+[#;]\s*(.*)$/;

/** The name of a delimiter in a message. */
export function delimiterName(d: HeaderlessDelimiter): string {
  return d === '\t' ? 'tab' : `"${d}"`;
}

/** True when the cell (trimmed) normalizes as an indicator; the type is inferred, never given. */
export function isIndicatorCell(cell: string): boolean {
  const v = cell.trim();
  return v !== '' && normalizeIndicator({ value: v }).rejection === null;
}

/**
 * True when the cell is unmistakably data, never a column name: an IP address, a CIDR range or a URL with a scheme.
 * (Domain-shaped cells are not counted: IntelMQ's column names, `source.ip`, are domain-shaped.)
 */
export function isAddressCell(cell: string): boolean {
  const v = cell.trim();
  if (v === '') {
    return false;
  }
  const n = normalizeIndicator({ value: v });
  return n.rejection === null && ADDRESS_TYPES.has(n.type);
}
const ADDRESS_TYPES: ReadonlySet<string> = new Set(['ipv4', 'ipv6', 'cidr', 'url']);

/** The data lines a plain-list reader would read (not blank, not a comment), untrimmed: a tab may open a line. */
export function dataLines(lines: readonly string[], limit: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) {
      continue;
    }
    out.push(line);
    if (out.length >= limit) {
      break;
    }
  }
  return out;
}

/**
 * Splits one line on a delimiter, honouring double quotes (`"a,b"` is one cell, `""` a quote inside one); a line
 * whose quotes do not balance is split as it stands.
 */
export function splitCells(line: string, d: HeaderlessDelimiter): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quoted) {
      if (c === '"' && line.charAt(i + 1) === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === d) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function isListLine(line: string): boolean {
  const t = line.trim();
  const m = INLINE_COMMENT.exec(t);
  return isIndicatorCell(m?.[1] ?? t);
}

/**
 * The delimiter of a headerless delimited file, or undefined for a plain list (see the module comment). `lines` are
 * the file's lines (comments and blanks included).
 */
export function detectHeaderlessDelimiter(lines: readonly string[]): HeaderlessDelimiter | undefined {
  const sample = dataLines(lines, HEADERLESS_SAMPLE_LINES);
  if (sample.length === 0 || sample.every(isListLine)) {
    return undefined;
  }
  return HEADERLESS_DELIMITERS.find((d) => {
    const counts = new Set(sample.map((l) => splitCells(l, d).length));
    const [n] = counts;
    return counts.size === 1 && n !== undefined && n >= 2;
  });
}
