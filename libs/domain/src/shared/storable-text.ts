import { z } from 'zod';
import type { Issue } from './result';
import { escapePointerToken } from './zod-issues';

/**
 * Characters PostgreSQL cannot keep: U+0000 (refused in text and jsonb) and UTF-16 surrogates that are not part
 * of a pair (refused as a jsonb escape, silently turned into U+FFFD in text). Everything else in Unicode is stored
 * as sent, so these are the only characters refused; never stripped or replaced, since a changed value is a lie.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_DETAIL =
  'holds a character that cannot be stored (U+0000 or an unpaired UTF-16 surrogate)';
const UNSTORABLE_NAME_DETAIL =
  'is a member name that holds a character that cannot be stored (U+0000 or an unpaired UTF-16 surrogate)';

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** A zod string that refuses unstorable characters: the base of every text field a schema accepts. */
export function storableString(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine(isStorableText, UNSTORABLE_TEXT_DETAIL);
}

/**
 * Every string (member names included) in a parsed JSON value that holds an unstorable character, each named by
 * its JSON pointer (RFC 6901) from `base`, in document order; at most `max` issues. Iterative, so a deeply nested
 * body cannot overflow the stack.
 */
export function findUnstorableText(value: unknown, base = '', max = 100): Issue[] {
  const out: Issue[] = [];
  const stack: { v: unknown; pointer: string; badName?: true }[] = [{ v: value, pointer: base }];
  while (stack.length > 0 && out.length < max) {
    const { v, pointer, badName } = stack.pop()!;
    if (badName) {
      out.push({ pointer, detail: UNSTORABLE_NAME_DETAIL });
    } else if (typeof v === 'string') {
      if (!isStorableText(v)) {
        out.push({ pointer, detail: UNSTORABLE_TEXT_DETAIL });
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ v: v[i], pointer: `${pointer}/${i}` });
      }
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const p = `${pointer}/${escapePointerToken(k)}`;
        stack.push(isStorableText(k) ? { v: child, pointer: p } : { v: null, pointer: p, badName: true });
      }
    }
  }
  return out;
}

/** The lines (1-based) of a text body (CSV, a plain list, JSON lines) that hold an unstorable character. */
export function findUnstorableLines(text: string, max = 100): Issue[] {
  if (isStorableText(text)) {
    return [];
  }
  const out: Issue[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < max; i++) {
    if (!isStorableText(lines[i]!)) {
      out.push({ pointer: `/line/${i + 1}`, line: i + 1, detail: UNSTORABLE_TEXT_DETAIL });
    }
  }
  return out;
}
