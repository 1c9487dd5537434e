// Builds the web console (a single-page app) into dist/console, served by the hub's api role at /console/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  // React's automatic JSX runtime, through Vite's own esbuild transform (no Babel plugin needed).
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline script or style: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
