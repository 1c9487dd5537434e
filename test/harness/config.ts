import { parseConfig, type AppConfig } from '@tocsin/platform';

/** The configuration `env` gives (defaults for everything else), or an error listing every problem. */
export function testConfig(env: Record<string, string>): AppConfig {
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    throw new Error(parsed.problems.join('; '));
  }
  return parsed.config;
}
