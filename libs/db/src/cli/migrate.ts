/* Runs pending migrations against DATABASE_URL: npm run db:migrate */
import { createDataSource, migrate } from '../data-source';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('usage: DATABASE_URL=postgres://… npm run db:migrate');
    process.exit(2);
  }
  const ds = createDataSource(url);
  await ds.initialize();
  const ran = await migrate(ds);
  await ds.destroy();
  console.log(ran.length > 0 ? `ran ${ran.join(', ')}` : 'schema is up to date');
}

void main();
