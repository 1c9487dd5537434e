import { createHash } from 'node:crypto';
import { err, ok, type Issue, type Result } from '../shared/result';

/** How long a submission's first answer is kept for replay (draft-ietf-httpapi-idempotency-key-header; Stripe). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** What a submission with an `Idempotency-Key` is recorded and matched by. */
export interface IdempotencyClaim {
  readonly key: string;
  /** SHA-256 (hex) of what makes two submissions the same: body bytes, media type and query. */
  readonly fingerprint: string;
}

const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * Reads the `Idempotency-Key` header: absent → `null`; else 1–255 printable ASCII characters. The draft writes the
 * key as a structured-field string (`"8e03978e-…"`); a bare token, as Stripe takes it, is accepted too.
 */
export function parseIdempotencyKey(header: string | readonly string[] | undefined): Result<string | null> {
  if (header === undefined) {
    return ok(null);
  }
  const issue = (detail: string): Result<never> => err([{ pointer: 'Idempotency-Key', detail }] satisfies Issue[]);
  if (typeof header !== 'string') {
    return issue('send one Idempotency-Key header, not several');
  }
  const trimmed = header.trim();
  const key = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !PRINTABLE.test(key)) {
    return issue(`must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters`);
  }
  return ok(key);
}

/**
 * The fingerprint of a submission: the SHA-256 of its body bytes, its media type (which picks the format and the
 * charset) and every query parameter (format, title, tlp, recipients… fill in the alert), in a canonical order.
 */
export function submissionFingerprint(input: {
  readonly bodySha256: string;
  readonly contentType: string | undefined;
  readonly query: Readonly<Record<string, unknown>>;
}): string {
  const query = Object.keys(input.query)
    .sort()
    .map((k) => [k, input.query[k]]);
  const canonical = JSON.stringify([input.bodySha256, (input.contentType ?? '').trim().toLowerCase(), query]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** SHA-256 (hex) of a body's bytes; an absent body hashes as empty. */
export function bodySha256(bytes: Uint8Array | undefined): string {
  return createHash('sha256')
    .update(bytes ?? new Uint8Array())
    .digest('hex');
}
