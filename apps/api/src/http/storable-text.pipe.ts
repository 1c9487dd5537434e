import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { findUnstorableLines, findUnstorableText, type Issue } from '@tocsin/domain';
import { Invalid } from '@tocsin/platform';

/** `/title/0` (a pointer into the parsed query) → `?title`: query issues name the parameter. */
function asQueryIssue(i: Issue): Issue {
  const name = i.pointer.slice(1).split('/')[0] ?? '';
  return { pointer: `?${name.replace(/~1/g, '/').replace(/~0/g, '~')}`, detail: i.detail };
}

/**
 * The edge's one check for text PostgreSQL cannot store (U+0000, unpaired surrogates), on every route's body and
 * query, after authentication and before any use-case: a 400 naming each field (a JSON pointer, a CSV/JSON-lines
 * `line`, or `?param`). Path parameters are ids, checked where they are looked up (a malformed one is a 404).
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'body') {
      const issues = typeof value === 'string' ? findUnstorableLines(value) : findUnstorableText(value);
      if (issues.length > 0) {
        throw new Invalid(issues, 'invalid-body');
      }
    } else if (meta.type === 'query') {
      const issues = meta.data
        ? findUnstorableText(value, `?${meta.data}`).map((i) => ({ pointer: `?${meta.data}`, detail: i.detail }))
        : findUnstorableText(value).map(asQueryIssue);
      if (issues.length > 0) {
        throw new Invalid(issues, 'invalid-query');
      }
    }
    return value;
  }
}
