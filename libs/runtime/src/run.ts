import { EngineUnavailableError, startEngines } from '@tocsin/db';
import { loadConfigOrExit } from '@tocsin/platform';
import { startTocsin, type TocsinRole } from './tocsin-app';

/** The process entry of every main.ts (the hub and each role): config, engines, app, and a clean stop on SIGINT/SIGTERM. */
export async function run(roles: readonly TocsinRole[], selfContained: boolean): Promise<void> {
  const config = loadConfigOrExit();
  let engines;
  try {
    engines = await startEngines(config, { selfContained });
  } catch (e) {
    process.stderr.write(`tocsin: ${e instanceof EngineUnavailableError ? e.message : String(e)}\n`);
    process.exit(1);
  }
  const { embeddedPostgresDir, embeddedPostgresRelocatedFrom } = engines.started;
  if (embeddedPostgresDir && embeddedPostgresRelocatedFrom) {
    // Said on the terminal: where the database went, and why (the log's start-up line says it too).
    process.stderr.write(
      `tocsin: the postgres user cannot reach ${embeddedPostgresRelocatedFrom}; ` +
        `the embedded PostgreSQL keeps its data in ${embeddedPostgresDir}\n`,
    );
  }
  let running;
  try {
    running = await startTocsin(config, engines, roles);
  } catch (e) {
    process.stderr.write(`tocsin: failed to start: ${(e as Error).message}\n`);
    await engines.stop().catch(() => undefined);
    process.exit(1);
  }
  if (running.generatedAdminKey) {
    // Printed once, to the terminal only (never to the log): the hub's first admin key.
    process.stderr.write(
      `\n  Tocsin hub created. Admin API key (shown once, store it now):\n\n    ${running.generatedAdminKey}\n\n`,
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write(`tocsin: shutdown timed out after ${config.TOCSIN_SHUTDOWN_TIMEOUT_MS} ms\n`);
      process.exit(1);
    }, config.TOCSIN_SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await running.close();
    } finally {
      await engines.stop().catch(() => undefined);
    }
    process.stderr.write(`tocsin: stopped (${signal})\n`);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
