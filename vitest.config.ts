import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

const libs = ['domain', 'platform', 'db', 'queues', 'orgs', 'alerts', 'normalization', 'vetting', 'delivery'];
const alias = Object.fromEntries(libs.map((l) => [`@tocsin/${l}`, resolve(__dirname, `libs/${l}/src`)]));

const shared = { resolve: { alias }, plugins: [swc.vite({ module: { type: 'es6' } })] };

export default defineConfig({
  ...shared,
  test: {
    projects: [
      { ...shared, test: { name: 'unit', include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts'], environment: 'node' } },
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
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
