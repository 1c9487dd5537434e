import type { LogEntry } from '@tocsin/db';
import { TLP_LABELS, type TlpLabel } from '@tocsin/domain';

/**
 * The publish log entries a worker just committed, carried by its wake-up (`published`) to every gateway, so a
 * gateway whose tail has reached the entry before them sends them without reading the log back. A hint only: a
 * gateway that is behind, a wake-up without entries, or entries that fail the checks below, and the gateway reads
 * the log as before, so the log stays the one truth and nothing depends on the wake-up arriving.
 *
 * Only `alert` entries travel, with their payload as the exact JSON stored in the log (parsed at the gateway, as the
 * log's jsonb would be), and only when the group's payloads together are at most WAKE_ENTRIES_MAX_BYTES: a large
 * alert's first chunk is read from the log.
 */
export interface WakeEntry {
  readonly seq: number;
  readonly alertId: string;
  readonly tlp: TlpLabel;
  readonly sourceOrgId: string;
  readonly recipients: readonly string[];
  /** The payload as stored: JSON text. */
  readonly payload: string;
  /** ISO 8601, the log row's `published_at` as PostgreSQL returned it. */
  readonly publishedAt: string;
  readonly sourceOrgName: string | null;
}

/** The most payload bytes (JSON characters) one wake-up carries; more, and it carries the seq alone. */
export const WAKE_ENTRIES_MAX_BYTES = 64 * 1024;

/** The entries to send with a wake-up: consecutive seqs, within the size bound; otherwise none. */
export function wakeEntries(entries: readonly WakeEntry[]): readonly WakeEntry[] | undefined {
  if (entries.length === 0) {
    return undefined;
  }
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  let bytes = 0;
  for (const [i, e] of sorted.entries()) {
    bytes += e.payload.length;
    if (bytes > WAKE_ENTRIES_MAX_BYTES || (i > 0 && e.seq !== sorted[i - 1]!.seq + 1)) {
      return undefined;
    }
  }
  return sorted;
}

/** The most entries one wake-up may carry, checked on receipt (a worker's group is far smaller). */
const MAX_ENTRIES = 1_000;
const TLPS: ReadonlySet<string> = new Set(TLP_LABELS);

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * The log entries a wake-up carried, as the log would give them; null for anything else (no entries, too many, a
 * malformed field, seqs not consecutive), in which case the gateway reads the log.
 */
export function entriesFromWake(raw: unknown): LogEntry[] | null {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_ENTRIES) {
    return null;
  }
  const out: LogEntry[] = [];
  for (const item of raw as unknown[]) {
    const e = (typeof item === 'object' && item !== null ? item : {}) as Partial<Record<keyof WakeEntry, unknown>>;
    const seq = e.seq;
    const publishedAt = isString(e.publishedAt) ? new Date(e.publishedAt) : null;
    if (
      typeof seq !== 'number' ||
      !Number.isSafeInteger(seq) ||
      seq < 1 ||
      (out.length > 0 && seq !== out[out.length - 1]!.seq + 1) ||
      !isString(e.alertId) ||
      !isString(e.tlp) ||
      !TLPS.has(e.tlp) ||
      !isString(e.sourceOrgId) ||
      !Array.isArray(e.recipients) ||
      !e.recipients.every(isString) ||
      !isString(e.payload) ||
      publishedAt === null ||
      Number.isNaN(publishedAt.getTime()) ||
      !(e.sourceOrgName === null || isString(e.sourceOrgName))
    ) {
      return null;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(e.payload);
    } catch {
      return null;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return null;
    }
    out.push({
      seq,
      event: 'alert',
      alertId: e.alertId,
      coordinatedAlertId: null,
      tlp: e.tlp as TlpLabel,
      sourceOrgId: e.sourceOrgId,
      recipients: e.recipients,
      payload: payload as Record<string, unknown>,
      publishedAt,
      sourceOrgName: e.sourceOrgName,
    });
  }
  return out;
}
