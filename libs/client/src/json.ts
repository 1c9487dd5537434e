/** A value as `JSON.stringify` sends it: dates become ISO strings, the rest keeps its shape. */
export type Json<T> = T extends Date
  ? string
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? T extends unknown[]
        ? Json<U>[]
        : readonly Json<U>[]
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;
