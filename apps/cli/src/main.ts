#!/usr/bin/env node
import { TocsinClient } from '@tocsin/client';
import { readCliEnv } from './config/cli-env';
import { CLI_VERSION, runCli } from './program';

/** `tocsin`: the command line of a Tocsin hub, on the typed client (@tocsin/client) only. */
async function main(): Promise<void> {
  // `tocsin watch | head`: a closed pipe ends the CLI quietly, as it does for other Unix tools.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      process.exit(0);
    }
  });
  const code = await runCli(process.argv.slice(2), {
    io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
    env: readCliEnv(),
    makeClient: (c) => new TocsinClient({ url: c.url, key: c.key, userAgent: `tocsin-cli/${CLI_VERSION}` }),
    onStopSignal: (stop) => {
      let signals = 0;
      const handler = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) {
          process.exit(130); // a second Ctrl-C: stop now, without waiting for the cursor to flush
        }
        stop(signal);
      };
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  });
  process.exitCode = code;
}

void main();
