#!/usr/bin/env node
'use strict';
// The `tocsin` command (package.json "bin"): runs the built CLI, dist/apps/cli/src/main.js.
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const main = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    `tocsin: the command line is not built yet (${main} is missing): run \`npm run build\` in ${root}\n`,
  );
  process.exit(2);
}
require(main);
