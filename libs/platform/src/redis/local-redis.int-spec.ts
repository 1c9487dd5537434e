import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/harness/processes';
import { parseConfig, type AppConfig } from '../config/app-config';
import { ensureRedis, RedisUnavailableError, redisAnswers } from './local-redis';

const dir = mkdtempSync(join(tmpdir(), 'tocsin-redis-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function config(env: Record<string, string> = {}): AppConfig {
  const r = parseConfig({ TOCSIN_DATA_DIR: dir, ...env });
  if (!r.ok) {
    throw new Error(r.problems.join('; '));
  }
  return r.config;
}

describe(ensureRedis.name, () => {
  it('uses the default address when something answers there', async () => {
    const r = await ensureRedis(config(), 'redis://127.0.0.1:6379');
    expect(r).toMatchObject({ url: 'redis://127.0.0.1:6379', private: false });
  });

  it('starts a private redis-server when nothing answers at the default address, and stops it', async () => {
    const silent = `redis://127.0.0.1:${await freePort()}`;
    const r = await ensureRedis(config(), silent);
    try {
      expect(r.private).toBe(true);
      expect(r.url).not.toBe(silent);
      expect(await redisAnswers(r.url)).toBe(true);
    } finally {
      await r.stop();
    }
    expect(await redisAnswers(r.url, 300)).toBe(false);
  });

  it('explains how to get Redis when none answers and no redis-server can be run', async () => {
    const silent = `redis://127.0.0.1:${await freePort()}`;
    const attempt = ensureRedis(config(), silent, 'redis-server-that-does-not-exist');
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/Install Redis .* or set REDIS_URL/);
  });

  it('never replaces an explicit REDIS_URL, even one that does not answer', async () => {
    const silent = `redis://127.0.0.1:${await freePort()}`;
    const r = await ensureRedis(config({ REDIS_URL: silent }));
    expect(r).toMatchObject({ url: silent, private: false });
  });
});
