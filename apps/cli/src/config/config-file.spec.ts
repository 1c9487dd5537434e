import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colorEnabled, configFilePath, readCliEnv, stateDir } from './cli-env';
import { loadConfigFile, parseConfig, saveConfigFile } from './config-file';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tocsin-cli-cfg-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('config file', () => {
  it('writes it 0600 in a new 0700 folder, and reads back what it wrote', async () => {
    const path = join(dir, 'new', 'tocsin', 'config.json');
    const config = { defaultProfile: 'a', profiles: { a: { url: 'http://h', key: 'tcs_x' } } };
    await saveConfigFile(path, config);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'new', 'tocsin'))).mode & 0o777).toBe(0o700);
    expect(await loadConfigFile(path)).toEqual(config);
  });

  it('keeps 0600 when replacing a file that was readable by others', async () => {
    const path = join(dir, 'loose.json');
    await writeFile(path, '{}', { mode: 0o644 });
    await saveConfigFile(path, { profiles: {} });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ profiles: {} });
  });

  it('reads a missing file as no profiles', async () => {
    expect(await loadConfigFile(join(dir, 'absent.json'))).toEqual({ profiles: {} });
  });

  it('names the file when it is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ nope');
    await expect(loadConfigFile(path)).rejects.toThrow(`config file ${path} is not JSON`);
  });

  it.each([
    [[], 'the document must be a JSON object'],
    [{ profiles: [] }, '/profiles must be an object of profiles'],
    [{ profiles: { 'bad name': { url: 'x' } } }, '/profiles/bad name is not a valid profile name'],
    [{ profiles: { a: { url: 1 } } }, '/profiles/a/url must be a string'],
    [{ profiles: { a: { url: 'x', keyFile: 2 } } }, '/profiles/a/keyFile must be a string'],
    [{ profiles: { a: { url: 'x' } }, defaultProfile: 'b' }, '/defaultProfile must name one of the profiles'],
  ])('refuses a malformed document, naming the field (%#)', (raw, message) => {
    expect(() => parseConfig(raw, 'cfg.json')).toThrow(`config file cfg.json: ${message}`);
  });
});

describe('CLI environment', () => {
  it('ignores empty variables and those it does not use', () => {
    expect(readCliEnv({ TOCSIN_URL: '', TOCSIN_KEY: 'k', OTHER: 'x' })).toEqual({ TOCSIN_KEY: 'k' });
  });

  it('finds the config file: TOCSIN_CONFIG, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(configFilePath({ TOCSIN_CONFIG: '/x/c.json', XDG_CONFIG_HOME: '/xdg', HOME: '/h' })).toBe('/x/c.json');
    expect(configFilePath({ XDG_CONFIG_HOME: '/xdg', HOME: '/h' })).toBe('/xdg/tocsin/config.json');
    expect(configFilePath({ HOME: '/h' })).toBe('/h/.config/tocsin/config.json');
  });

  it('keeps state under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(stateDir({ XDG_STATE_HOME: '/s', HOME: '/h' })).toBe('/s/tocsin');
    expect(stateDir({ HOME: '/h' })).toBe('/h/.local/state/tocsin');
  });

  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, true],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ])('colours %o on a terminal=%s: %s', (env, tty, expected) => {
    expect(colorEnabled(env, tty)).toBe(expected);
  });
});
