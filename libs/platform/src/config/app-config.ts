import { envSchema, type Env } from './env.schema';

/** `redisUrlGiven` and `dataDirGiven`: whether REDIS_URL and TOCSIN_DATA_DIR were set rather than defaulted. */
export type AppConfig = Readonly<Env> & { readonly redisUrlGiven: boolean; readonly dataDirGiven: boolean };

/** The DI token for the frozen, typed configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = envSchema.safeParse(cleaned);
  if (!r.success) {
    return {
      ok: false,
      problems: r.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    };
  }
  return {
    ok: true,
    config: Object.freeze({
      ...r.data,
      redisUrlGiven: r.data.REDIS_URL !== undefined,
      dataDirGiven: cleaned.TOCSIN_DATA_DIR !== undefined,
    }),
  };
}

/** Parses process.env or prints every problem and exits 1 (STYLE.md §6). */
export function loadConfigOrExit(overrides: Record<string, string | undefined> = {}): AppConfig {
  const r = parseConfig({ ...process.env, ...overrides });
  if (!r.ok) {
    process.stderr.write(`tocsin: invalid configuration:\n${r.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  return r.config;
}

export function effectiveRedisUrl(config: AppConfig): string {
  return config.REDIS_URL ?? 'redis://127.0.0.1:6379';
}
