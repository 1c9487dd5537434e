/** Polls `check` until it stops throwing, for at most `timeoutMs` (no sleeps in tests, no timing asserts). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw last;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
