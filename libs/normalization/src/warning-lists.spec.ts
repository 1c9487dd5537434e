import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WARNING_LISTS_DIR, loadWarningLists, readWarningLists } from './warning-lists';

const dirs: string[] = [];
function tempListsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-warninglists-'));
  dirs.push(dir);
  for (const [folder, text] of Object.entries(files)) {
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, 'list.json'), text);
  }
  return dir;
}

const GOOD = JSON.stringify({ name: 'good', description: 'a list', type: 'cidr', list: ['192.0.2.0/24'] });

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe(loadWarningLists.name, () => {
  const matcher = loadWarningLists();

  it('loads every list of the data folder, compiling every entry', () => {
    const folders = readdirSync(WARNING_LISTS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.length).toBeGreaterThanOrEqual(17);
    expect(matcher.lists).toHaveLength(folders.length);
    for (const list of matcher.lists) {
      expect({ list: list.name, skipped: list.skipped }).toEqual({ list: list.name, skipped: [] });
    }
  });

  it('reads the lists in folder-name order', () => {
    const names = readWarningLists().map((l) => l.name);
    expect(names[0]).toBe('Top 1000 websites from Cisco Umbrella');
    expect(names).toContain('List of IPv6 special-purpose blocks (Tocsin)');
    expect(names).toContain('List of reserved special-use domain names (Tocsin)');
  });

  it.each<[Parameters<typeof matcher.match>[0], string, string]>([
    ['ipv4', '192.168.1.1', 'List of RFC 1918 CIDR blocks'],
    ['ipv4', '8.8.8.8', 'List of known IPv4 public DNS resolvers'],
    ['ipv6', '::1', 'List of IPv6 special-purpose blocks (Tocsin)'],
    ['domain', 'mail.google.com', 'List of known google domains'],
    ['url', 'http://intranet.local/login', 'List of reserved special-use domain names (Tocsin)'],
    [
      'sha256',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'List of known hashes for empty files',
    ],
  ])('flags %s %s (%s)', (type, value, list) => {
    expect(matcher.match(type, value)?.list).toBe(list);
  });

  it.each<[Parameters<typeof matcher.match>[0], string]>([
    ['ipv4', '8.8.4.5'],
    ['domain', 'google.com.evil.net'],
  ])('leaves %s %s alone', (type, value) => {
    expect(matcher.match(type, value)).toBeNull();
  });

  it('loads a folder given as argument', () => {
    const dir = tempListsDir({ good: GOOD });
    expect(loadWarningLists(dir).match('ipv4', '192.0.2.9')?.list).toBe('good');
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['not JSON', { good: GOOD, broken: '{ "name": ' }, /broken[/\\]list\.json is not valid JSON/],
    [
      'not a warning list',
      { good: GOOD, bad: JSON.stringify({ name: 'bad', type: 'ipv4', list: 'x' }) },
      /bad[/\\]list\.json is not a MISP warning list: \/type must be one of .*; \/list must be an array of strings/,
    ],
    ['no list at all', {}, /No warning list/],
  ])('throws an error naming the file when a folder holds %s', (_label, files, message) => {
    const dir = tempListsDir(files);
    expect(() => loadWarningLists(dir)).toThrow(message);
  });

  it('throws a clear error when the folder is missing', () => {
    expect(() => loadWarningLists(join(tmpdir(), 'tocsin-no-such-folder'))).toThrow(
      /Cannot read the warning-list folder .*tocsin-no-such-folder/,
    );
  });
});
