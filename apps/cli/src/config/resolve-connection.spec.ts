import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import type { ConfigFile } from './config-file';
import { resolveConnection } from './resolve-connection';

let dir: string;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tocsin-cli-conn-'));
  keyA = join(dir, 'a.key');
  keyB = join(dir, 'b.key');
  await writeFile(keyA, 'tcs_fileA_secret\n');
  await writeFile(keyB, '  tcs_fileB_secret  \nsecond line ignored\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (): ConfigFile => ({
  defaultProfile: 'prod',
  profiles: {
    prod: { url: 'https://prod.example/', keyFile: keyA },
    lab: { url: 'http://127.0.0.1:3000', key: 'tcs_stored_secret' },
  },
});

describe('resolveConnection', () => {
  it('takes the default profile when nothing else is given, the key from its file', async () => {
    const c = await resolveConnection({}, {}, file(), '/cfg/config.json');
    expect(c).toMatchObject({ url: 'https://prod.example', key: 'tcs_fileA_secret', profile: 'prod' });
    expect(c.from.url).toBe('profile "prod" of /cfg/config.json');
  });

  it('lets TOCSIN_PROFILE and then --profile choose the profile', async () => {
    expect((await resolveConnection({}, { TOCSIN_PROFILE: 'lab' }, file(), 'c')).key).toBe('tcs_stored_secret');
    const c = await resolveConnection({ profile: 'prod' }, { TOCSIN_PROFILE: 'lab' }, file(), 'c');
    expect(c.profile).toBe('prod');
  });

  it('ranks each setting flag, then environment, then profile', async () => {
    const env = { TOCSIN_URL: 'http://env.example:1', TOCSIN_KEY: 'tcs_env' };
    const fromEnv = await resolveConnection({}, env, file(), 'c');
    expect(fromEnv).toMatchObject({
      url: 'http://env.example:1',
      key: 'tcs_env',
      from: { url: 'TOCSIN_URL', key: 'TOCSIN_KEY' },
    });
    const fromFlags = await resolveConnection({ url: 'http://flag.example', keyFile: keyB }, env, file(), 'c');
    expect(fromFlags).toMatchObject({ url: 'http://flag.example', key: 'tcs_fileB_secret' });
  });

  it('works from the environment alone, with no config file', async () => {
    const c = await resolveConnection({}, { TOCSIN_URL: 'http://h:3000', TOCSIN_KEY: 'tcs_k' }, { profiles: {} }, 'c');
    expect(c).toEqual({ url: 'http://h:3000', key: 'tcs_k', from: { url: 'TOCSIN_URL', key: 'TOCSIN_KEY' } });
  });

  it.each([
    [{}, {}, 'no hub URL configured'],
    [{}, { TOCSIN_URL: 'http://h' }, 'no API key configured'],
  ])('says which variable to set when a setting is missing (%#)', async (flags, env, message) => {
    const e = await resolveConnection(flags, env, { profiles: {} }, 'c').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliUsageError);
    expect((e as CliUsageError).exitCode).toBe(ExitCode.usage);
    expect((e as CliUsageError).message).toBe(message);
    expect((e as CliUsageError).hint).toContain('TOCSIN_KEY');
    expect((e as CliUsageError).hint).toContain('tocsin config set-profile');
  });

  it('refuses an unknown profile, naming the known ones', async () => {
    const e = await resolveConnection({ profile: 'nope' }, {}, file(), 'c').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliUsageError);
    expect((e as CliUsageError).message).toContain('"nope" (from --profile)');
    expect((e as CliUsageError).hint).toBe('known profiles: prod, lab');
  });

  it('refuses a URL that is not http(s), naming where it came from', async () => {
    await expect(resolveConnection({ url: 'ftp://x' }, { TOCSIN_KEY: 'k' }, file(), 'c')).rejects.toThrow(
      '--url must be an http:// or https:// URL',
    );
    await expect(resolveConnection({}, { TOCSIN_URL: 'not a url', TOCSIN_KEY: 'k' }, file(), 'c')).rejects.toThrow(
      'TOCSIN_URL is not a URL',
    );
  });

  it('names a missing or empty key file without quoting any key', async () => {
    const empty = join(dir, 'empty.key');
    await writeFile(empty, '\n');
    await expect(
      resolveConnection({ keyFile: join(dir, 'none') }, { TOCSIN_URL: 'http://h' }, file(), 'c'),
    ).rejects.toThrow(/cannot read the key file .*none \(--key-file\): ENOENT/);
    await expect(resolveConnection({ keyFile: empty }, { TOCSIN_URL: 'http://h' }, file(), 'c')).rejects.toThrow(
      /the key file .*empty\.key \(--key-file\) is empty/,
    );
  });
});
