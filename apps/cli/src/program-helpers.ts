import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number in [min, max]; a usage error (exit 2) naming the bounds otherwise. */
export function intOption(min: number, max: number): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    }
    const n = Number(value);
    if (n < min || n > max) {
      throw new InvalidArgumentError(`must be from ${min} to ${max}.`);
    }
    return n;
  };
}

/** A repeatable option: `--subscription A --subscription B` (or comma-separated) gives [A, B]. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ];
}

/** A choice among fixed values (case-insensitive); a usage error listing them otherwise. */
export function choice<T extends string>(values: readonly T[]): (value: string) => T {
  return (value: string) => {
    const found = values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
    if (found === undefined) {
      throw new InvalidArgumentError(`must be one of ${values.join(', ')}.`);
    }
    return found;
  };
}

/** The first `limit` items of a paged list. */
export async function take<T>(items: AsyncIterable<T>, limit: number): Promise<T[]> {
  const out: T[] = [];
  if (limit <= 0) {
    return out;
  }
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) {
      break;
    }
  }
  return out;
}
