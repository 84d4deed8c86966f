import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The CLI (generate, migrate dev/diff) uses this; the running app applies migrations itself
// (lib/db/migrate.ts) and never needs the schema engine.
export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/switchboard.db' },
});
