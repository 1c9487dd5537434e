/** An expected failure is a value, not a throw (STYLE.md §2). */
export type Result<T, E = Issue[]> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** One thing wrong with an input: where (a JSON pointer, or a CSV line) and why. */
export interface Issue {
  readonly pointer: string;
  readonly detail: string;
  readonly line?: number;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
