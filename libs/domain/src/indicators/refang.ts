import { inferIndicatorType } from './infer-type';

/** What {@link refang} returns: the value with defanging undone, and whether anything beyond edge whitespace changed. */
export interface Refanged {
  readonly value: string;
  readonly changed: boolean;
}

/**
 * Every token is of bounded length, so one pass is linear in the input:
 * - dots: `[.]`, `(.)`, `{.}`, `[dot]`, `(dot)`, `{dot}` (any case, one optional space inside and around);
 * - at signs: `[at]`, `(at)`, `{at}`, `[@]`, `(@)`, `{@}` (same);
 * - colons and slashes in square brackets: `[:]`, `[://]`, `[:/]`, `[//]`, `[/]`;
 * - backslash escapes: `\.`, `\@`, `\:`, `\/` (regex-escaped dots, JSON-escaped slashes).
 */
const TOKEN =
  / ?(?:\[ ?(\.|dot) ?\]|\( ?(\.|dot) ?\)|\{ ?(\.|dot) ?\}) ?| ?(?:\[ ?(@|at) ?\]|\( ?(@|at) ?\)|\{ ?(@|at) ?\}) ?|\[(:\/\/|:\/|:|\/\/|\/)\]|\\([.@:/])/gi;

/** Defanged schemes, only at the start and only before a colon: hxxp, hXXp, hxtp, htxp, h**p, h[tt]p (+s), fxp (+s). */
const DEFANGED_SCHEME = /^(?:(h(?:xx|xt|tx|\*\*|\[tt\])p)|(fxp))(s?)(?=:)/i;

/** ` dot ` between labels, applied only when the whole value is a hostname (or local@hostname) written that way. */
const DOT_WORD = /[ \t]+dot[ \t]+/gi;
const DOT_WORD_HOSTNAME = /^(?:[^\s@]+@)?[\p{L}\p{N}_-]+(?:(?:\.|[ \t]+dot[ \t]+)[\p{L}\p{N}_-]+)+$/iu;

/** Opening → closing characters stripped when they enclose the whole value. */
const WRAPPERS: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '`': '`',
  '\u201c': '\u201d', // “ ”
  '\u2018': '\u2019', // ‘ ’
  '\u00ab': '\u00bb', // « »
  '<': '>',
  '(': ')',
  '[': ']',
  '{': '}',
};

/** Each round shortens the value or ends the loop; the bound only matters for absurdly nested input. */
const MAX_ROUNDS = 64;

function isEdgeSpace(code: number): boolean {
  // ASCII whitespace, NBSP, the Unicode spaces JS trims, and the zero-width characters copy-paste leaves behind.
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200d) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x2060 ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Trims whitespace and zero-width characters at both ends (a loop, so it stays linear on long space runs). */
export function trimEdges(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isEdgeSpace(value.charCodeAt(start))) {
    start++;
  }
  while (end > start && isEdgeSpace(value.charCodeAt(end - 1))) {
    end--;
  }
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function replaceTokens(value: string): string {
  if (!/[[({\\]/.test(value)) {
    return value;
  }
  return value.replace(TOKEN, (...groups: unknown[]) => {
    const [, d1, d2, d3, a1, a2, a3, colon, escaped] = groups as (string | undefined)[];
    if (d1 !== undefined || d2 !== undefined || d3 !== undefined) {
      return '.';
    }
    if (a1 !== undefined || a2 !== undefined || a3 !== undefined) {
      return '@';
    }
    return colon ?? escaped ?? '';
  });
}

/** Index-based, so that deeply nested wrappers cost one slice, not one per level. */
function stripWrappers(value: string): string {
  let start = 0;
  let end = value.length;
  while (end - start >= 2) {
    const close = WRAPPERS[value.charAt(start)];
    if (close === undefined || value.charAt(end - 1) !== close) {
      break;
    }
    start++;
    end--;
    while (start < end && isEdgeSpace(value.charCodeAt(start))) {
      start++;
    }
    while (end > start && isEdgeSpace(value.charCodeAt(end - 1))) {
      end--;
    }
  }
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function fixScheme(value: string): string {
  const m = DEFANGED_SCHEME.exec(value);
  if (!m) {
    return value;
  }
  const scheme = (m[1] !== undefined ? 'http' : 'ftp') + (m[3] ?? '').toLowerCase();
  return scheme + value.slice(m[0].length);
}

/** Only when the result is a domain or e-mail address under a known public suffix (`my dot file` stays as it is). */
function fixDotWords(value: string): string {
  if (!/[ \t]dot[ \t]/i.test(value) || !DOT_WORD_HOSTNAME.test(value)) {
    return value;
  }
  const fixed = value.replace(DOT_WORD, '.');
  const type = inferIndicatorType(fixed);
  return type === 'domain' || type === 'email' ? fixed : value;
}

/**
 * A trailing `,` or `.` is sentence punctuation only where the value cannot end with it:
 * - always stripped after a closing quote or bracket that encloses the whole value (`"…",`);
 * - never stripped from a URL (both may end a path or query) or from a value of unknown type;
 * - `,` is stripped from a domain or e-mail address, but `.` is kept (it is the DNS root, which domain
 *   normalization removes anyway, so refang does not report a fully qualified name as refanged);
 * - both are stripped from an IP address, CIDR block, hash, CVE id or AS number.
 */
function stripTrailingPunctuation(value: string): string {
  const last = value.charAt(value.length - 1);
  if (last !== ',' && last !== '.') {
    return value;
  }
  const body = trimEdges(value.slice(0, -1));
  const unwrapped = stripWrappers(body);
  if (unwrapped !== body) {
    return body; // `"…",` or `<…>.`: the punctuation is outside the quotes
  }
  const type = inferIndicatorType(body);
  if (type === null || type === 'url') {
    return value;
  }
  if ((type === 'domain' || type === 'email') && last === '.') {
    return value;
  }
  return body;
}

/**
 * Undoes common defanging (`hxxps://evil[.]example[.]com`, `user[at]example(.)org`, `2001[:]db8[:][:]1`, …),
 * trims whitespace and enclosing quotes or brackets, and strips a trailing `,` or `.` where it cannot be part
 * of the value. Conservative: it never touches text that is not a known defanging pattern. Never throws.
 * `changed` is false when only whitespace around the value was trimmed.
 */
export function refang(value: string): Refanged {
  const trimmed = trimEdges(value);
  let v = trimmed;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = v;
    v = trimEdges(replaceTokens(v));
    v = stripWrappers(v);
    v = fixScheme(v);
    v = fixDotWords(v);
    v = stripTrailingPunctuation(v);
    if (v === before) {
      break;
    }
  }
  return { value: v, changed: v !== trimmed };
}
