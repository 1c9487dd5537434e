// Copies each lib's runtime data (libs/<lib>/data: taxonomies, warning lists) beside its compiled code in
// dist/, where the loaders look for it (`<lib>/src/../data`).
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

for (const lib of readdirSync('libs')) {
  const from = join('libs', lib, 'data');
  if (existsSync(from)) {
    cpSync(from, join('dist', 'libs', lib, 'data'), { recursive: true });
  }
}
