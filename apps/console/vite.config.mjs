// Builds the web console (a single-page app) into dist/console, served by the hub's api role at /console/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  // React's automatic JSX runtime, through Vite's own esbuild transform (no Babel plugin needed).
  esbuild: { jsx: 'automatic', jsxDev: false },
  // Always React's production build, whatever NODE_ENV the builder inherits (vitest sets it to "test", which made
  // the e2e tier's build bundle React's development build, twice the size).
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline script or style: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
