import { describe, expect, it } from 'vitest';
import { parseConfig } from './app-config';

describe(parseConfig.name, () => {
  it('applies the documented defaults to an empty environment', () => {
    const r = parseConfig({});
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config).toMatchObject({
        PORT: 3000,
        HOST: '127.0.0.1',
        TOCSIN_MAX_INDICATORS: 100_000,
        TOCSIN_REDIS_PREFIX: 'tocsin',
        redisUrlGiven: false,
        TOCSIN_DATA_DIR: '.data',
        dataDirGiven: false,
      });
      expect(r.config.DATABASE_URL).toBeUndefined();
      expect(Object.isFrozen(r.config)).toBe(true);
    }
  });

  it('reports every bad variable at once, each with its reason', () => {
    const r = parseConfig({
      PORT: '70000',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'nope',
      TOCSIN_BOOTSTRAP_ADMIN_KEY: 'short',
      TOCSIN_MAX_INDICATORS: '-1',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const vars = r.problems.map((p) => p.split(':')[0]);
      expect(vars.sort()).toEqual([
        'DATABASE_URL',
        'PORT',
        'REDIS_URL',
        'TOCSIN_BOOTSTRAP_ADMIN_KEY',
        'TOCSIN_MAX_INDICATORS',
      ]);
    }
  });

  it('treats an empty variable as unset and notes an explicit REDIS_URL', () => {
    const r = parseConfig({ DATABASE_URL: '', REDIS_URL: 'redis://10.0.0.1:6380' });
    expect(r.ok && r.config.DATABASE_URL === undefined && r.config.redisUrlGiven).toBe(true);
  });

  it('notes an explicit TOCSIN_DATA_DIR, even one equal to the default', () => {
    const r = parseConfig({ TOCSIN_DATA_DIR: '.data' });
    expect(r.ok && r.config.dataDirGiven).toBe(true);
  });

  it('arms the named crash points only, and never in production', () => {
    const ok = parseConfig({ TOCSIN_CRASH_POINTS: ' relay.after-enqueue , relay.after-enqueue' });
    expect(ok.ok && ok.config.TOCSIN_CRASH_POINTS).toEqual(['relay.after-enqueue', 'relay.after-enqueue']);
    const none = parseConfig({});
    expect(none.ok && none.config.TOCSIN_CRASH_POINTS).toEqual([]);
    const unknown = parseConfig({ TOCSIN_CRASH_POINTS: 'relay.after-enqueue,somewhere' });
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.problems.join('\n')).toMatch(
      /^TOCSIN_CRASH_POINTS\.1: each must be one of: relay\.after-enqueue/m,
    );
    const production = parseConfig({ NODE_ENV: 'production', TOCSIN_CRASH_POINTS: 'relay.after-enqueue' });
    expect(production.ok).toBe(false);
    expect(!production.ok && production.problems).toEqual([
      'TOCSIN_CRASH_POINTS: crash points are for tests: never armed when NODE_ENV is production',
    ]);
  });
});
