import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Where a watcher keeps the last seq it has processed (the client-kept cursor, sent as `lastSeq`). */
export interface CursorStore {
  /** The saved seq, or undefined when nothing was saved yet. */
  load(): Promise<number | undefined>;
  save(seq: number): Promise<void>;
}

/**
 * A cursor in a small JSON file (`{"lastSeq": 1042, "savedAt": "…"}`). Each save writes a temporary file beside it
 * and renames it over the old one, so a crash leaves the old cursor or the new one, never half a file. The folder
 * is created when missing. A file that cannot be read as a cursor is an error, not a silent restart from scratch.
 */
export class FileCursorStore implements CursorStore {
  constructor(readonly path: string) {}

  async load(): Promise<number | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw e;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new Error(`${this.path} is not a cursor file (not JSON): delete it to start over`);
    }
    const seq = (doc as { lastSeq?: unknown } | null)?.lastSeq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      throw new Error(`${this.path} holds no valid lastSeq (a non-negative integer): delete it to start over`);
    }
    return seq;
  }

  async save(seq: number): Promise<void> {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new RangeError(`a cursor is a non-negative integer (got ${seq})`);
    }
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ lastSeq: seq, savedAt: new Date().toISOString() })}\n`, { mode: 0o600 });
    await rename(tmp, this.path);
  }
}

/** A cursor kept in memory only (for one process's life): what a watcher without a store uses. */
export class MemoryCursorStore implements CursorStore {
  private seq: number | undefined;
  constructor(initial?: number) {
    this.seq = initial;
  }
  load(): Promise<number | undefined> {
    return Promise.resolve(this.seq);
  }
  save(seq: number): Promise<void> {
    this.seq = seq;
    return Promise.resolve();
  }
}
