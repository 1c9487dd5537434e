import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileCursorStore } from './cursor-store';

const dir = mkdtempSync(join(tmpdir(), 'tocsin-cursor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(FileCursorStore.name, () => {
  it('loads nothing before the first save, then what was saved last, creating the folder', async () => {
    const path = join(dir, 'a', 'b', 'cursor.json');
    const store = new FileCursorStore(path);
    expect(await store.load()).toBeUndefined();
    await store.save(41);
    await store.save(42);
    expect(await store.load()).toBe(42);
    expect(await new FileCursorStore(path).load()).toBe(42);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ lastSeq: 42, savedAt: expect.any(String) });
  });

  it('writes through a temporary file and a rename: no temporary file is left behind', async () => {
    const path = join(dir, 'atomic', 'cursor.json');
    const store = new FileCursorStore(path);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(i)));
    expect(readdirSync(join(dir, 'atomic'))).toEqual(['cursor.json']);
    expect(await store.load()).toEqual(expect.any(Number));
  });

  it.each([
    ['not JSON', 'lastSeq=3', /not a cursor file/],
    ['no lastSeq', '{"seq": 3}', /no valid lastSeq/],
    ['a negative lastSeq', '{"lastSeq": -1}', /no valid lastSeq/],
    ['a fractional lastSeq', '{"lastSeq": 1.5}', /no valid lastSeq/],
  ])('refuses a file holding %s rather than starting over', async (_name, text, message) => {
    const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, text);
    await expect(new FileCursorStore(path).load()).rejects.toThrow(message);
  });

  it('refuses to save what is not a seq', async () => {
    await expect(new FileCursorStore(join(dir, 'x.json')).save(-3)).rejects.toThrow(RangeError);
  });
});
