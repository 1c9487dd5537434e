/**
 * Decides which events of the feed are new, so each is handled once even across reconnections and replays.
 *
 * Several events share one seq: an `alert`, its `alert-indicators` chunks 1…n−1, then its `constituency-hit`. So the
 * gate keeps the seq in progress and which parts of it it has let through; everything at or below `doneThrough`
 * (the seq before it, or the saved cursor) is old. A reconnection asks the hub for everything after
 * {@link resumeAfter}: the seq before the one in progress, so a seq cut in the middle is sent again whole and only
 * its missing parts pass.
 */
export class SeqGate {
  private done: number | undefined;
  private current: { seq: number; parts: Set<string> } | undefined;

  constructor(doneThrough?: number) {
    this.done = doneThrough;
  }

  /** Everything at or below it has been let through (or was before this gate: the saved cursor). */
  get doneThrough(): number | undefined {
    return this.done;
  }

  /** The highest seq let through. */
  get highest(): number | undefined {
    return this.current?.seq ?? this.done;
  }

  /** The `lastSeq` to resume with: every seq after it may still hold parts not let through. */
  resumeAfter(): number | undefined {
    return this.current ? this.current.seq - 1 : this.done;
  }

  /** True when the event `part` (its name, plus the chunk number for `alert-indicators`) of `seq` is new. */
  admit(seq: number, part: string): boolean {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      return false;
    }
    if (this.done !== undefined && seq <= this.done) {
      return false;
    }
    if (this.current && seq < this.current.seq) {
      return false;
    }
    if (this.current && seq === this.current.seq) {
      if (this.current.parts.has(part)) {
        return false;
      }
      this.current.parts.add(part);
      return true;
    }
    if (this.current) {
      this.done = this.current.seq;
    }
    this.current = { seq, parts: new Set([part]) };
    return true;
  }
}

/** The part of an event within its seq: its name, and the chunk for `alert-indicators`. */
export function partOf(event: string, payload: unknown): string {
  if (event === 'alert-indicators' && typeof payload === 'object' && payload !== null) {
    const chunk = (payload as { chunk?: unknown }).chunk;
    return `${event}#${typeof chunk === 'number' ? chunk : '?'}`;
  }
  return event;
}
