/**
 * Every problem type the API answers, `urn:tocsin:problem:<code>`: the one registry. AppError and problem() take
 * only these codes (the type checker refuses any other), a unit test checks each is a valid URN segment and is
 * listed in the README's Errors table.
 */
export const PROBLEM_CODES = {
  'invalid-body': 400,
  'invalid-json': 400,
  'invalid-query': 400,
  'invalid-request': 400,
  'invalid-idempotency-key': 400,
  unauthorized: 401,
  'second-factor-required': 401,
  forbidden: 403,
  'csrf-refused': 403,
  'second-factor-enrolment-required': 403,
  'alert-not-found': 404,
  'org-not-found': 404,
  'key-not-found': 404,
  'coordinated-alert-not-found': 404,
  'subscription-not-found': 404,
  'route-not-found': 404,
  'collection-not-found': 404,
  'object-not-found': 404,
  'not-acceptable': 406,
  'taxii-status-not-found': 404,
  'user-not-found': 404,
  'invite-not-found': 404,
  'org-name-taken': 409,
  'alert-not-pending': 409,
  'alert-not-published': 409,
  'alert-final': 409,
  'illegal-transition': 409,
  'already-closed': 409,
  unreadable: 409,
  'last-hub-admin-key': 409,
  'idempotency-key-in-flight': 409,
  'too-many-subscriptions': 409,
  'email-taken': 409,
  'user-disabled': 409,
  'second-factor-enrolled': 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'idempotency-key-reused': 422,
  'unprocessable-envelope': 422,
  'rate-limited': 429,
  internal: 500,
} as const satisfies Record<string, number>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** Lower-case words joined by single hyphens: a code is a valid URN segment, with nothing to escape. */
export const PROBLEM_CODE_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const PROBLEM_TYPE_PREFIX = 'urn:tocsin:problem:';

export function problemType(code: ProblemCode): string {
  return `${PROBLEM_TYPE_PREFIX}${code}`;
}
