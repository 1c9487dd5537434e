import { plural } from './alert-text';
import { safeText, tlpLabel, type Colors } from './colors';

/** A part of a document the hub could not use, or an event that failed. */
export interface IssueLike {
  readonly pointer?: string;
  readonly line?: number;
  readonly detail: string;
}

/** What one accepted submission answers (one alert). */
export interface AcceptedLike {
  readonly id: string;
  readonly format?: string;
  readonly indicators?: number;
  readonly tlp?: string;
  readonly tlpDefaulted?: boolean;
  readonly unsupported?: readonly IssueLike[];
  readonly event?: string;
}

/** Unsupported parts shown per file; the rest are counted. */
export const MAX_UNSUPPORTED_LINES = 10;

function where(i: IssueLike): string {
  return i.line !== undefined ? `line ${i.line}` : i.pointer !== undefined ? safeText(i.pointer) : '';
}

/** `accepted: alert <id>, csv, 12 indicators, TLP:AMBER (defaulted)`. */
export function acceptedText(a: AcceptedLike, c: Colors): string {
  return [
    `${c.green('accepted')}: alert ${a.id}`,
    ...(a.event !== undefined ? [`event ${safeText(a.event)}`] : []),
    safeText(a.format ?? '?'),
    plural(a.indicators ?? 0, 'indicator'),
    `${tlpLabel(c, a.tlp)}${a.tlpDefaulted === true ? ' (defaulted: give --tlp)' : ''}`,
  ].join(', ');
}

/** The summary of what the hub could not use: a count, then the first few with their pointer or line. */
export function issuesSummary(title: string, issues: readonly IssueLike[], c: Colors): string[] {
  if (issues.length === 0) {
    return [];
  }
  const lines = [c.yellow(`${title} (${issues.length}):`)];
  for (const i of issues.slice(0, MAX_UNSUPPORTED_LINES)) {
    const w = where(i);
    lines.push(`  ${w ? `${w}: ` : ''}${safeText(i.detail)}`);
  }
  if (issues.length > MAX_UNSUPPORTED_LINES) {
    lines.push(`  … and ${issues.length - MAX_UNSUPPORTED_LINES} more (--json lists them all)`);
  }
  return lines;
}
