/**
 * Exact type equality, for compile-time tests: `Expect<Equal<A, B>>` type-checks only when A and B are the same
 * type — not merely assignable one way or the other (a missing optional field, a wider `string` for a union of
 * literals, `any`, a `Date` where JSON carries a string all fail). test/types/type-equality.spec.ts proves it bites.
 */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export type Expect<T extends true> = T;
