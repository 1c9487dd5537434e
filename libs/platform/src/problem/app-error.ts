import type { Issue } from '@tocsin/domain';
import type { ProblemCode } from './problem-codes';

/** Expected failures of a use-case; the ProblemFilter maps each to its HTTP status (RFC 9457). */
export abstract class AppError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly title: string,
    detail: string,
    readonly errors: readonly Issue[] = [],
  ) {
    super(detail);
  }
}

export class Invalid extends AppError {
  readonly status = 400;
  constructor(
    errors: readonly Issue[],
    code: 'invalid-body' | 'invalid-query' | 'invalid-idempotency-key' = 'invalid-body',
    detail?: string,
  ) {
    super(
      code,
      'Invalid input',
      detail ?? `${errors.length} field${errors.length === 1 ? ' is' : 's are'} invalid`,
      errors,
    );
  }
}
export class Unauthorized extends AppError {
  readonly status = 401;
  constructor(
    detail = 'a valid API key is required (Authorization: Bearer <key>)',
    code: 'unauthorized' | 'second-factor-required' = 'unauthorized',
  ) {
    super(code, 'Unauthorized', detail);
  }
}
export class Forbidden extends AppError {
  readonly status = 403;
  constructor(
    detail = 'your key may not do this',
    code: 'forbidden' | 'csrf-refused' | 'second-factor-enrolment-required' = 'forbidden',
  ) {
    super(code, 'Forbidden', detail);
  }
}
/** What a 404 names; its code is `<what>-not-found`, which must be in the registry. */
export type NotFoundSubject =
  | 'alert'
  | 'org'
  | 'key'
  | 'coordinated-alert'
  | 'subscription'
  | 'collection'
  | 'object'
  | 'taxii-status'
  | 'user'
  | 'invite';

export class NotFound extends AppError {
  readonly status = 404;
  constructor(what: NotFoundSubject) {
    super(`${what}-not-found`, 'Not found', `no such ${what.replace('-', ' ')}`);
  }
}
export class NotAcceptable extends AppError {
  readonly status = 406;
  constructor(detail: string) {
    super('not-acceptable', 'Not acceptable', detail);
  }
}
export class Conflict extends AppError {
  readonly status = 409;
  constructor(code: ProblemCode, detail: string) {
    super(code, 'Conflict', detail);
  }
}
export class TooLarge extends AppError {
  readonly status = 413;
  constructor(detail: string) {
    super('too-large', 'Payload too large', detail);
  }
}
export class UnsupportedMediaType extends AppError {
  readonly status = 415;
  constructor(detail: string) {
    super('unsupported-media-type', 'Unsupported media type', detail);
  }
}
export class Unprocessable extends AppError {
  readonly status = 422;
  constructor(code: ProblemCode, detail: string) {
    super(code, 'Unprocessable content', detail);
  }
}
export class RateLimited extends AppError {
  readonly status = 429;
  constructor(
    readonly retryAfterSeconds: number,
    detail = `too many requests; retry after ${retryAfterSeconds} s`,
  ) {
    super('rate-limited', 'Too many requests', detail);
  }
}
