/** Microseconds since the Unix epoch: TAXII's `date_added` precision (a JS Date keeps only milliseconds). */
export type Micros = bigint;

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/i;

/**
 * Reads an RFC 3339 UTC timestamp as TAXII and STIX write them (`2026-01-02T03:04:05.123456Z`); digits past the
 * microsecond are dropped (a `added_after` of x.1234567 then means "after x.123456", which is the same set of
 * entries, each being a whole microsecond). Null for anything else.
 */
export function parseTaxiiTimestamp(s: string): Micros | null {
  if (s.length > 40) {
    return null;
  }
  const m = TIMESTAMP.exec(s);
  if (!m) {
    return null;
  }
  const [, y, mo, d, h, mi, sec, frac = ''] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  const check = new Date(ms);
  if (
    !Number.isFinite(ms) ||
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi) ||
    check.getUTCSeconds() !== Number(sec)
  ) {
    return null;
  }
  return BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
}

/** `2026-01-02T03:04:05.123456Z`: microsecond precision, UTC. */
export function formatTaxiiTimestamp(us: Micros): string {
  const ms = us / 1000n;
  const iso = new Date(Number(ms)).toISOString(); // 2026-01-02T03:04:05.123Z
  const micro = ((us % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return `${iso.slice(0, 19)}.${micro.toString().padStart(6, '0')}Z`;
}

/** `2026-01-02T03:04:05.123Z`: millisecond precision, as STIX `created`/`modified` are written. */
export function formatStixMillis(us: Micros): string {
  return new Date(Number(us / 1000n)).toISOString();
}
