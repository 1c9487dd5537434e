import { TocsinProblem } from '@tocsin/client';

/** The longest `Retry-After` the CLI waits out before its one retry; longer ones fail at once (exit 7). */
export const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * Runs `fn`; when the hub answers 429 (rate limited) or 503 (unavailable), waits its `Retry-After` (1 s when it
 * gives none, at most 60 s) and tries once more. Only for calls a retry cannot duplicate: a refused request was not
 * processed, and a submission carries an Idempotency-Key.
 */
export async function retryOnceWhenBusy<T>(
  fn: () => Promise<T>,
  onRetry: (seconds: number) => void = () => undefined,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof TocsinProblem) || (e.status !== 429 && e.status !== 503)) {
      throw e;
    }
    const seconds = e.retryAfterSeconds ?? 1;
    if (seconds > MAX_RETRY_AFTER_SECONDS) {
      throw e;
    }
    onRetry(seconds);
    await wait(seconds * 1000);
    return fn();
  }
}
