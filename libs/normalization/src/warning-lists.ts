import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  compileWarningLists,
  parseMispWarningList,
  type MispWarningList,
  type WarningListMatcher,
} from '@tocsin/domain';

/** The folder holding one `<name>/list.json` per warning list (MISP format); copied next to the build as an asset. */
export const WARNING_LISTS_DIR = resolve(__dirname, '../data/warninglists');

/**
 * Reads every `<dir>/<name>/list.json` (in folder-name order) and checks each minimally. Throws an Error naming the
 * file when the folder cannot be read, holds no list, or a file is not JSON or not a warning list: a bad list is a
 * deployment error, reported at start rather than skipped silently.
 */
export function readWarningLists(dir: string = WARNING_LISTS_DIR): MispWarningList[] {
  let folders: string[];
  try {
    folders = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (e) {
    throw new Error(`Cannot read the warning-list folder ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const lists: MispWarningList[] = [];
  for (const folder of folders) {
    const file = join(dir, folder, 'list.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        continue;
      }
      throw new Error(`Cannot read warning list ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`Warning list ${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const parsed = parseMispWarningList(json);
    if (!parsed.ok) {
      const why = parsed.error.map((i) => `${i.pointer || '(document)'} ${i.detail}`).join('; ');
      throw new Error(`Warning list ${file} is not a MISP warning list: ${why}`);
    }
    lists.push(parsed.value);
  }
  if (lists.length === 0) {
    throw new Error(`No warning list (<name>/list.json) found in ${dir}`);
  }
  return lists;
}

/** Reads and compiles the warning lists once, at start (sync I/O on purpose). */
export function loadWarningLists(dir: string = WARNING_LISTS_DIR): WarningListMatcher {
  return compileWarningLists(readWarningLists(dir));
}
