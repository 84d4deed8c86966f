import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// The Prisma CLI's configuration for the PostgreSQL schema (the root prisma.config.ts is SQLite's):
//   npx prisma generate --config prisma/postgres/prisma.config.ts
//   DATABASE_URL=postgresql://… npx prisma migrate dev --config prisma/postgres/prisma.config.ts --name x
// The running portal applies these migrations itself (lib/db/migrate.ts).
const here = path.dirname(fileURLToPath(import.meta.url));
// Even `migrate diff --from-empty` connects to the datasource: default to the local server's own
// `postgres` database when DATABASE_URL is not a PostgreSQL URL.
const url = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL!
  : 'postgresql://postgres@127.0.0.1:5432/postgres';

export default defineConfig({
  schema: path.join(here, 'schema.prisma'),
  migrations: { path: path.join(here, 'migrations') },
  datasource: { url },
});
