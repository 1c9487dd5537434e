import type { z } from 'zod';
import type { Issue } from './result';

/** Escapes one JSON-pointer reference token (RFC 6901). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => '/' + escapePointerToken(typeof p === 'symbol' ? String(p.description) : p)).join('');
}

/**
 * Turns zod's issues into ours: a JSON pointer into the submitted document and a short reason.
 * zod reports unknown keys once, at the enclosing object; we report each at the key itself, so the pointer
 * names the offending field.
 */
export function zodIssues(error: z.ZodError, maxIssues = 100): Issue[] {
  const out: Issue[] = [];
  for (const i of error.issues) {
    if (out.length >= maxIssues) {
      break;
    }
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) {
        out.push({ pointer: toPointer([...i.path, key]), detail: 'is not a known field' });
      }
    } else {
      out.push({ pointer: toPointer(i.path), detail: i.message });
    }
  }
  return out.slice(0, maxIssues);
}
