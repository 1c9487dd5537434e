import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

const libs = [
  'domain',
  'platform',
  'db',
  'queues',
  'orgs',
  'alerts',
  'coordination',
  'normalization',
  'vetting',
  'delivery',
  'runtime',
  'client',
  'taxii',
];
const alias = Object.fromEntries(libs.map((l) => [`@tocsin/${l}`, resolve(__dirname, `libs/${l}/src`)]));

const shared = { resolve: { alias }, plugins: [swc.vite({ module: { type: 'es6' } })] };

// CI sets TOCSIN_TEST_REPORT_DIR: each tier also writes a JSON report (<project>.json) that .ci/run sums up.
const reportDir = process.env.TOCSIN_TEST_REPORT_DIR;
const projectArg = process.argv.indexOf('--project');
const projectName = projectArg > 0 ? process.argv[projectArg + 1] : 'all';

export default defineConfig({
  ...shared,
  test: {
    ...(reportDir
      ? { reporters: ['default', 'json'], outputFile: { json: resolve(reportDir, `${projectName}.json`) } }
      : {}),
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/docs/**/*.spec.ts', 'test/types/**/*.spec.ts'],
          environment: 'node',
          setupFiles: ['test/harness/fast-check-seed.ts'],
        },
      },
      {
        ...shared,
        test: {
          name: 'int',
          include: ['libs/**/*.int-spec.ts', 'apps/**/*.int-spec.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e-spec.ts'],
          globalSetup: ['test/harness/global-setup.ts', 'test/harness/build-setup.ts'],
          setupFiles: ['test/harness/fast-check-seed.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
