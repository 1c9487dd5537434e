/**
 * What a log line may say about an error: its class, and for a database error the driver's SQLSTATE code and the
 * constraint, table and column it names; for any other error its message. Never the failed query, its parameters,
 * a database error's message or detail (PostgreSQL quotes the refused value: `invalid input syntax for type uuid:
 * "…"`, `Key (name)=(…) already exists`), nor any other property an error carries (TypeORM's QueryFailedError
 * carries `query` and `parameters`, which hold titles and indicator values). The stack keeps its frames only: its
 * first line repeats the message.
 */
export interface ErrorFacts {
  readonly class: string;
  readonly code?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly message?: string;
  readonly stack?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const MAX_MESSAGE = 300;

type Loose = Record<string, unknown>;

function str(o: Loose, key: string, max = 200): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined;
}

/** The driver error under a TypeORM error, or the error itself when it is a PostgreSQL (pg) error. */
function databaseError(e: Loose): Loose | null {
  const driver = e.driverError;
  if (typeof driver === 'object' && driver !== null) {
    return driver as Loose;
  }
  const code = e.code;
  const looksLikePg = typeof code === 'string' && SQLSTATE.test(code) && ('severity' in e || 'routine' in e);
  return looksLikePg || e.name === 'QueryFailedError' ? e : null;
}

function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') {
    return undefined;
  }
  const frames = stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 20)
    .join('\n');
  return frames.length > 0 ? frames : undefined;
}

/** `withStack`: add the stack's frames (for an unexpected error, where a human will look). */
export function errorFacts(e: unknown, withStack = false): ErrorFacts {
  if (typeof e !== 'object' || e === null) {
    return { class: typeof e };
  }
  const o = e as Loose;
  const cls = (e as { constructor?: { name?: unknown } }).constructor?.name;
  const name = typeof cls === 'string' && cls.length > 0 && cls !== 'Object' ? cls : (str(o, 'name') ?? 'Object');
  const stack = withStack ? framesOf(o.stack) : undefined;
  const db = databaseError(o);
  if (db) {
    const code = str(db, 'code');
    const constraint = str(db, 'constraint');
    const table = str(db, 'table');
    const column = str(db, 'column');
    return {
      class: name,
      ...(code ? { code } : {}),
      ...(constraint ? { constraint } : {}),
      ...(table ? { table } : {}),
      ...(column ? { column } : {}),
      ...(stack ? { stack } : {}),
    };
  }
  const message = str(o, 'message', MAX_MESSAGE);
  return {
    class: name,
    ...(message ? { message } : {}),
    ...(stack ? { stack } : {}),
  };
}
